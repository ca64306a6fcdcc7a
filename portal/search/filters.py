"""The structured filters of the search pages, each in its two forms: a condition for the
database (the truth, applied to every result) and terms for the index (a pre-filter, so the
best hits within the filters are found, not the best hits overall).

Also the scope hints: the index's rough form of each user's scope (employers/scope.py,
candidates/scope.py). A hint may let through more than the scope — the scope's SQL filter is
applied afterwards, always — but never less; tests/search/test_scope_hints.py checks that.
"""

from dataclasses import dataclass
from datetime import time

import sqlalchemy as sa
import sqlalchemy.orm as so

from portal.auth.models import ADMIN, AKIMAT, EMPLOYER, INSPECTOR, User
from portal.candidates.models import Candidate
from portal.employers.models import Employer, Vacancy
from portal.placements.models import Placement
from portal.placements.vocabulary import ACTIVE
from portal.reference.models import Occupation

Hint = dict[str, list[str]]
NIGHT_START, NIGHT_END = time(22), time(6)


def night_shift() -> sa.ColumnElement[bool]:
    """The vacancy's shift covers some of 22:00–06:00 (as schema.schedule decides in Python):
    it crosses midnight or lasts round the clock, starts before 06:00, or ends after 22:00."""
    return sa.and_(
        Vacancy.shift_start.is_not(None),
        sa.or_(
            Vacancy.shift_end <= Vacancy.shift_start,
            Vacancy.shift_start < NIGHT_END,
            Vacancy.shift_end > NIGHT_START,
        ),
    )


def open_places() -> sa.ColumnElement[bool]:
    """Fewer people in work on the vacancy than its places, and in its employer's workshop
    than the workshop's places where it has some (the capacity rules of hire())."""
    hired = (
        sa.select(sa.func.count())
        .where(Placement.vacancy_id == Vacancy.id, Placement.state.in_(ACTIVE))
        .scalar_subquery()
    )
    sibling = so.aliased(Vacancy)
    in_workshop = (
        sa.select(sa.func.count())
        .select_from(Placement)
        .join(sibling, sibling.id == Placement.vacancy_id)
        .where(sibling.employer_id == Vacancy.employer_id, Placement.state.in_(ACTIVE))
        .correlate(Vacancy)
        .scalar_subquery()
    )
    capacity = (
        sa.select(Employer.workshop_capacity)
        .where(Employer.id == Vacancy.employer_id)
        .correlate(Vacancy)
        .scalar_subquery()
    )
    return sa.and_(Vacancy.places > hired, sa.or_(capacity.is_(None), capacity > in_workshop))


@dataclass(frozen=True)
class VacancyFilters:
    district_id: int | None = None
    occupation_group: str | None = None  # НКЗ code prefix: 7, 75, 753, 7533
    schedule: str | None = None  # "day" | "night"
    open_places: bool = False
    status: str | None = None

    def conditions(self) -> list[sa.ColumnElement[bool]]:
        found = []
        if self.district_id is not None:
            found.append(Vacancy.district_id == self.district_id)
        if self.occupation_group:
            found.append(
                Vacancy.occupation_id.in_(
                    sa.select(Occupation.id).where(
                        Occupation.code.startswith(self.occupation_group, autoescape=True)
                    )
                )
            )
        if self.schedule == "night":
            found.append(night_shift())
        elif self.schedule == "day":
            found.append(sa.and_(Vacancy.shift_start.is_not(None), sa.not_(night_shift())))
        if self.open_places:
            found.append(open_places())
        if self.status:
            found.append(Vacancy.status == self.status)
        return found

    def terms(self) -> Hint:
        found: Hint = {}
        if self.district_id is not None:
            found["district_id"] = [str(self.district_id)]
        if self.occupation_group:
            found["occupation_group"] = [self.occupation_group]
        if self.schedule:
            found["schedule"] = [self.schedule]
        if self.status:
            found["status"] = [self.status]
        return found


@dataclass(frozen=True)
class CandidateFilters:
    status: str | None = None

    def conditions(self) -> list[sa.ColumnElement[bool]]:
        return [Candidate.status == self.status] if self.status else []

    def terms(self) -> Hint:
        return {"status": [self.status]} if self.status else {}


@dataclass(frozen=True)
class EmployerFilters:
    status: str | None = None

    def conditions(self) -> list[sa.ColumnElement[bool]]:
        return [Employer.status == self.status] if self.status else []

    def terms(self) -> Hint:
        return {"status": [self.status]} if self.status else {}


def vacancy_hint(user: User) -> Hint | None:
    """None: the user sees no vacancy (unknown role). {}: no narrowing."""
    if user.role == ADMIN:
        return {}
    if user.role == EMPLOYER and user.employer_id is not None:
        return {"employer_id": [str(user.employer_id)]}
    if user.role == AKIMAT and user.district_id is not None:
        return {"district_id": [str(user.district_id)]}
    if user.role in (INSPECTOR, AKIMAT) and user.region_id is not None:
        return {"region_id": [str(user.region_id)]}
    return None


def candidate_hint(user: User) -> Hint | None:
    if user.role == ADMIN:
        return {}
    if user.role == INSPECTOR and user.region_id is not None:
        hint = {"region_id": [str(user.region_id)]}
        if user.institution_id is not None:
            hint["institution_id"] = [str(user.institution_id)]
        return hint
    return None


def employer_hint(user: User) -> Hint | None:
    if user.role == ADMIN:
        return {}
    if user.role == EMPLOYER and user.employer_id is not None:
        return {"id": [str(user.employer_id)]}
    if user.role == AKIMAT and user.district_id is not None:
        return {"district_id": [str(user.district_id)]}
    if user.role in (INSPECTOR, AKIMAT) and user.region_id is not None:
        return {"region_id": [str(user.region_id)]}
    return None


def combine(*hints: Hint | None) -> Hint | None:
    """Every hint at once: values of the same field intersect (an empty list allows nothing)."""
    combined: Hint = {}
    for hint in hints:
        if hint is None:
            return None
        for name, values in hint.items():
            combined[name] = (
                [v for v in combined[name] if v in values] if name in combined else list(values)
            )
    return combined
