"""The rows behind a figure — placements, people or vacancies — with the same filters, scope and
conditions as the figure."""

from datetime import date

import sqlalchemy as sa

from portal.auth.models import User
from portal.candidates.models import Candidate
from portal.employers.models import Employer, Vacancy
from portal.placements.models import Placement
from portal.placements.reasons import DECLINE_REASONS
from portal.placements.vocabulary import PLACEMENT_STATES
from portal.reference.models import District, Occupation
from portal.stats.figures import MEASURES, _placements, measure, open_vacancies, people
from portal.stats.filters import Filters


def behind(
    filters: Filters,
    user: User,
    today: date,
    name: str,
    state: str | None = None,
    reason: str | None = None,
) -> sa.Select:
    """Rows (placement, candidate code, vacancy, employer, district) behind figure `name`."""
    select = (
        _placements(
            filters,
            user,
            Placement,
            Candidate.code,
            Vacancy.title_kk,
            Vacancy.title_ru,
            Employer.name_kk,
            Employer.name_ru,
            District.name_kk.label("district_kk"),
            District.name_ru.label("district_ru"),
        )
        .join(District, District.id == Vacancy.district_id)
        .where(measure(name if name in MEASURES else "", filters, today))
        .order_by(Placement.hired_on.desc(), Placement.id.desc())
    )
    if state in PLACEMENT_STATES:
        select = select.where(Placement.state == state)
    if reason in DECLINE_REASONS:
        select = select.where(Placement.reason_code == reason)
    return select


def people_behind(filters: Filters, user: User, today: date, name: str, **arguments) -> sa.Select:
    """Candidates (with their district) behind a count of people, by code."""
    return (
        sa.select(
            Candidate, District.name_kk.label("district_kk"), District.name_ru.label("district_ru")
        )
        .outerjoin(District, District.id == Candidate.district_id)
        .where(*people(name, filters, user, today, **arguments))
        .order_by(Candidate.code)
    )


def vacancies_behind(filters: Filters, user: User, code: str) -> sa.Select:
    """The open vacancies of an occupation group, largest first."""
    return (
        open_vacancies(
            filters,
            user,
            Vacancy,
            Employer.name_kk,
            Employer.name_ru,
            District.name_kk.label("district_kk"),
            District.name_ru.label("district_ru"),
        )
        .join(District, District.id == Vacancy.district_id)
        .where(Occupation.code.startswith(code, autoescape=True))
        .order_by(Vacancy.places.desc(), Vacancy.id)
    )
