"""Imports every model module, so the metadata (and Alembic) sees all tables."""

from portal.api.models import ApiToken  # noqa: F401
from portal.auth.models import AuditEntry, KeptForm, User  # noqa: F401
from portal.candidates.models import (  # noqa: F401
    ActivityBan,
    Candidate,
    ConsentEvent,
    CorrectionRequest,
    Offence,
    Supervision,
)
from portal.employers.models import Employer, Vacancy  # noqa: F401
from portal.generation import PageGeneration  # noqa: F401
from portal.imports.models import ImportJob, ImportRow  # noqa: F401
from portal.notifications.models import (  # noqa: F401
    MailOutbox,
    Notification,
    NotificationSetting,
)
from portal.placements.models import (  # noqa: F401
    Interview,
    Placement,
    PlacementEvent,
    Quota,
    RetentionCheck,
)
from portal.productions.models import Production  # noqa: F401
from portal.programmes.models import (  # noqa: F401
    Assessment,
    Programme,
    ProgrammeService,
    ProgrammeStep,
)
from portal.reference.models import (  # noqa: F401
    Activity,
    District,
    Institution,
    Occupation,
    OccupationGroup,
    OffenceCategory,
    PlaceType,
    ReferenceCorrection,
    Region,
    Sphere,
    WorkingCondition,
)
from portal.search.models import SearchOutbox  # noqa: F401
