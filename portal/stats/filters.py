"""The dashboard's filters: the form, the period they resolve to, and the one function that
turns the filters and the user's scope into SQL conditions."""

import calendar
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import DateField, Form, SelectField, ValidationError
from wtforms.fields.choices import SelectChoice

from portal.auth.models import ADMIN, AKIMAT, INSPECTOR, User
from portal.candidates.models import (
    CANDIDATE_STATUS_LABELS,
    CANDIDATE_STATUSES,
    Candidate,
    candidate_occupation,
)
from portal.candidates.scope import candidate_filter
from portal.employers.models import EMPLOYER_KIND_LABELS, EMPLOYER_KINDS, Employer, Vacancy
from portal.employers.scope import employer_filter, vacancy_filter
from portal.reference.models import Occupation

PERIODS = ("month", "quarter", "year", "custom")
DATES = ("on", "start", "end")
INVALID_DATE = _l("Enter a valid date.")
PERIOD_LABELS = {
    "month": _l("Month"),
    "quarter": _l("Quarter"),
    "year": _l("Year"),
    "custom": _l("Custom period"),
}


@dataclass(frozen=True)
class Filters:
    """The resolved filters: a closed period [start, end] and optional narrowing."""

    start: date
    end: date
    district_id: int | None = None
    employer_kind: str | None = None
    status: str | None = None
    group: str | None = None  # an НКЗ group code, 1–3 digits


class FilterForm(Form):
    period = SelectField(
        _l("Period"),
        choices=[SelectChoice(p, PERIOD_LABELS[p]) for p in PERIODS],
        default="quarter",
    )
    on = DateField(_l("Within"), validators=[], invalid_value_message=INVALID_DATE)
    start = DateField(_l("From"), validators=[], invalid_value_message=INVALID_DATE)
    end = DateField(_l("To"), validators=[], invalid_value_message=INVALID_DATE)
    district = SelectField(_l("District"), default="")
    kind = SelectField(
        _l("Employer kind"),
        default="",
        choices=[SelectChoice("", _l("All kinds"))]
        + [SelectChoice(k, EMPLOYER_KIND_LABELS[k]) for k in EMPLOYER_KINDS],
    )
    status = SelectField(
        _l("Candidate status"),
        default="",
        choices=[SelectChoice("", _l("All statuses"))]
        + [SelectChoice(s, CANDIDATE_STATUS_LABELS[s]) for s in CANDIDATE_STATUSES],
    )
    group = SelectField(_l("Occupation group"), default="")

    def validate_end(self, field):
        if self.period.data == "custom" and self.start.data and field.data:
            if self.start.data > field.data:
                raise ValidationError(_l("The period starts after it ends."))

    def date_errors(self) -> list[str]:
        """What the user must correct: a date that is no date, or a span that runs backwards
        (other unknown values — a district outside the territory — are simply dropped)."""
        return [
            f"{self[name].label.text}: {error}" for name in DATES for error in self[name].errors
        ]


def period_bounds(
    kind: str, on: date, start: date | None = None, end: date | None = None
) -> tuple[date, date]:
    """The first and last day of the month, quarter or year containing `on`, or a custom span."""
    if kind == "month":
        return on.replace(day=1), on.replace(day=calendar.monthrange(on.year, on.month)[1])
    if kind == "quarter":
        first = 3 * ((on.month - 1) // 3) + 1
        last = first + 2
        return date(on.year, first, 1), date(on.year, last, calendar.monthrange(on.year, last)[1])
    if kind == "custom" and start and end and start <= end:
        return start, end
    return date(on.year, 1, 1), date(on.year, 12, 31)


# The days a period may touch: the figures' SQL adds a day to the end and turns days into
# moments in UTC, which date.max and date.min do not survive; nothing happened outside them.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def _countable(value):
    """A day outside FIRST_DAY..LAST_DAY counts as not given; any other value is kept."""
    if isinstance(value, date) and not FIRST_DAY <= value <= LAST_DAY:
        return None
    return value


def resolve(form: FilterForm, today: date) -> Filters:
    """Filters from a validated (or partly invalid) form: a value that failed validation — a
    district outside the user's territory among them — is ignored, never an error page."""
    data = {
        name: (None if form[name].errors else _countable(value))
        for name, value in form.data.items()
    }
    start, end = period_bounds(
        data.get("period") or "quarter", data.get("on") or today, data.get("start"), data.get("end")
    )
    district = data.get("district") or ""
    group = data.get("group") or ""
    return Filters(
        start=start,
        end=end,
        district_id=int(district) if district.isdigit() else None,
        employer_kind=data.get("kind") if data.get("kind") in EMPLOYER_KINDS else None,
        status=data.get("status") if data.get("status") in CANDIDATE_STATUSES else None,
        group=group if group.isdigit() and len(group) <= 3 else None,
    )


def candidate_scope(user: User) -> sa.ColumnElement[bool]:
    """Candidates counted for the user: an akimat's residents, an inspector's records, all."""
    if user.role == AKIMAT:
        if user.district_id is not None:
            return Candidate.district_id == user.district_id
        return Candidate.region_id == user.region_id
    if user.role in (INSPECTOR, ADMIN):
        return candidate_filter(user)
    return sa.false()


def placement_scope(user: User) -> sa.ColumnElement[bool]:
    """A placement belongs to a territory through its vacancy's district (akimats); inspectors
    count the placements of the candidates they see."""
    if user.role == AKIMAT:
        return vacancy_filter(user)
    if user.role in (INSPECTOR, ADMIN):
        return candidate_filter(user)
    return sa.false()


def conditions(filters: Filters, user: User, *, subject: str = "placement") -> list:
    """THE one place that turns filters + scope into SQL. `subject` says what is counted:
    "placement" (rows joined to Vacancy, Employer, Candidate, Occupation), "candidate"
    (Candidate rows), "vacancy" (Vacancy joined to Employer and Occupation) or "employer"."""
    where = []
    if subject == "placement":
        where.append(placement_scope(user))
    elif subject == "candidate":
        where.append(candidate_scope(user))
    elif subject == "vacancy":
        where.append(vacancy_filter(user))
    elif subject == "employer":
        where.append(employer_filter(user))
    else:
        raise ValueError(subject)
    if filters.district_id is not None:
        where.append(
            {"candidate": Candidate.district_id, "employer": Employer.district_id}.get(
                subject, Vacancy.district_id
            )
            == filters.district_id
        )
    if filters.employer_kind and subject in ("placement", "vacancy", "employer"):
        where.append(Employer.kind == filters.employer_kind)
    if filters.status and subject in ("placement", "candidate"):
        where.append(Candidate.status == filters.status)
    if filters.group and subject in ("placement", "vacancy"):
        where.append(Occupation.code.startswith(filters.group, autoescape=True))
    if filters.group and subject == "candidate":
        where.append(
            sa.exists().where(
                candidate_occupation.c.candidate_id == Candidate.id,
                candidate_occupation.c.occupation_id == Occupation.id,
                Occupation.code.startswith(filters.group, autoescape=True),
            )
        )
    return where


def district_scope(user: User) -> sa.ColumnElement[bool]:
    """The districts of the user's territory (for the district filter's choices)."""
    from portal.reference.models import District

    if user.role == AKIMAT and user.district_id is not None:
        return District.id == user.district_id
    if user.role in (AKIMAT, INSPECTOR):
        return District.region_id == user.region_id
    if user.role == ADMIN:
        return sa.true()
    return sa.false()
