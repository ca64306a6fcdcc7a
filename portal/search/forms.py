"""The search forms: plain GET forms (bookmarkable URLs, no CSRF), read from request.args.

A value that is not one of the choices is ignored rather than refused: a search page always
answers, with the filters it understood.
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SearchField, SelectChoice, SelectField

from portal.auth.models import User
from portal.candidates.choices import district_choices
from portal.candidates.vocabulary import CANDIDATE_STATUS_LABELS, CANDIDATE_STATUSES
from portal.employers.models import EMPLOYER_STATUSES, VACANCY_STATUSES
from portal.extensions import db
from portal.reference.models import District, OccupationGroup
from portal.search.filters import CandidateFilters, EmployerFilters, VacancyFilters

VACANCY_STATUS_LABELS = {"draft": _l("Draft"), "published": _l("Published"), "closed": _l("Closed")}
EMPLOYER_STATUS_LABELS = {
    "pending": _l("Awaiting approval"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
}
SCHEDULES = (("day", _l("Day shift")), ("night", _l("Night shift (any of 22:00–06:00)")))


class _SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField(_l("Words in Kazakh or Russian"))

    def value(self, field) -> str | None:
        """The field's value if it is one of its choices, else None."""
        data = field.data
        values = {str(c.value if isinstance(c, SelectChoice) else c[0]) for c in field.choices}
        return data if data and data in values else None


class VacancySearchForm(_SearchForm):
    district = SelectField(_l("District"), validate_choice=False)
    group = SelectField(_l("Occupation group"), validate_choice=False)
    schedule = SelectField(_l("Schedule"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    open_places = BooleanField(_l("Only with open places"))

    def __init__(self, user: User, *args, **kwargs):
        super().__init__(*args, **kwargs)
        in_region = District.region_id == user.region_id if user.region_id is not None else None
        self.district.choices = [("", _l("All districts"))] + district_choices(
            in_region, grouped=False
        )
        groups = db.session.scalars(sa.select(OccupationGroup).order_by(OccupationGroup.code))
        self.group.choices = [("", _l("All occupations"))] + [
            (g.code, f"{g.code} — {g.name}") for g in groups
        ]
        self.schedule.choices = [("", _l("Any schedule")), *SCHEDULES]
        self.status.choices = [("", _l("Any status"))] + [
            (s, VACANCY_STATUS_LABELS[s]) for s in VACANCY_STATUSES
        ]

    def filters(self) -> VacancyFilters:
        district = self.value(self.district)
        return VacancyFilters(
            district_id=int(district) if district else None,
            occupation_group=self.value(self.group),
            schedule=self.value(self.schedule),
            open_places=bool(self.open_places.data),
            status=self.value(self.status),
        )


class CandidateSearchForm(_SearchForm):
    q = SearchField(_l("Name, trade or skill"))
    status = SelectField(_l("Status"), validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [("", _l("Any status"))] + [
            (s, CANDIDATE_STATUS_LABELS[s]) for s in CANDIDATE_STATUSES
        ]

    def filters(self) -> CandidateFilters:
        return CandidateFilters(status=self.value(self.status))


class EmployerSearchForm(_SearchForm):
    q = SearchField(_l("Name or BIN"))
    status = SelectField(_l("Status"), validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [("", _l("Any status"))] + [
            (s, EMPLOYER_STATUS_LABELS[s]) for s in EMPLOYER_STATUSES
        ]

    def filters(self) -> EmployerFilters:
        return EmployerFilters(status=self.value(self.status))
