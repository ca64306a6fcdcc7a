"""The placements behind a figure: the same filters, scope and conditions as the figure."""
from datetime import date

import sqlalchemy as sa

from portal.auth.models import User
from portal.candidates.models import Candidate
from portal.employers.models import Employer, Vacancy
from portal.placements.models import PLACEMENT_STATES, Placement
from portal.placements.reasons import DECLINE_REASONS
from portal.reference.models import District
from portal.stats.figures import MEASURES, _placements, measure
from portal.stats.filters import Filters


def behind(filters: Filters, user: User, today: date, name: str, state: str | None = None,
           reason: str | None = None) -> sa.Select:
    """Rows (placement, candidate code, vacancy, employer, district) behind figure `name`."""
    select = (_placements(filters, user, Placement, Candidate.code, Vacancy.title_kk,
                          Vacancy.title_ru, Employer.name_kk, Employer.name_ru,
                          District.name_kk.label("district_kk"),
                          District.name_ru.label("district_ru"))
              .join(District, District.id == Vacancy.district_id)
              .where(measure(name if name in MEASURES else "", filters, today))
              .order_by(Placement.hired_on.desc(), Placement.id.desc()))
    if state in PLACEMENT_STATES:
        select = select.where(Placement.state == state)
    if reason in DECLINE_REASONS:
        select = select.where(Placement.reason_code == reason)
    return select
