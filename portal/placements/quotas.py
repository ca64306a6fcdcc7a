"""Employment quotas: what an akimat sets, and how far each employer has fulfilled it.

Fulfilment = people of the quota's category in an active placement with the employer at any
time during the year, against the quota in whole workplaces. The rounding of a percentage is
decided here only (`workplaces`), the allowed range comes from the configuration.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from portal import clock
from portal.auth.audit import record
from portal.auth.models import User
from portal.candidates.models import Candidate
from portal.database import write_transaction
from portal.employers.models import Employer, Vacancy
from portal.extensions import db
from portal.placements.lifecycle import workshop_places_taken
from portal.placements.models import QUOTA_CATEGORIES, QUOTA_MODES, Placement, Quota
from portal.placements.vocabulary import STARTED

CATEGORY_LABELS = {
    "released": _l("People released from prison"),
    "probation": _l("People on the probation register"),
}
# The candidate status each quota category counts.
CATEGORY_STATUS = {"released": "released", "probation": "probation"}
_ROUNDING = {"half_up": ROUND_HALF_UP, "up": ROUND_CEILING, "down": ROUND_FLOOR}


class QuotaRefused(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class QuotasRefused(Exception):
    """Some of a year's quotas were refused: `refused` holds each one's refusal by category."""

    def __init__(self, refused: dict[str, QuotaRefused]):
        super().__init__(", ".join(refused))
        self.refused = refused


def workplaces(quota: Quota, headcount: int) -> int:
    """The quota in whole workplaces: a number as set, a percentage of the headcount rounded
    as configured (QUOTA_ROUNDING)."""
    if quota.mode == "number":
        return int(quota.value)
    exact = Decimal(headcount) * Decimal(quota.value) / 100
    rounding = _ROUNDING[current_app.config["QUOTA_ROUNDING"]]
    return int(exact.quantize(Decimal(1), rounding=rounding))


def save_quotas(
    employer: Employer, year: int, quotas: list[tuple[str, str, Decimal]], by: User
) -> None:
    """Each (category, mode, value) of the form, or none: a refusal leaves nothing written."""
    refused = {}
    with write_transaction():
        for category, mode, value in quotas:
            try:
                set_quota(employer, year, category, mode, value, by)
            except QuotaRefused as refusal:
                refused[category] = refusal
        if refused:
            raise QuotasRefused(refused)


def set_quota(
    employer: Employer, year: int, category: str, mode: str, value: Decimal, by: User
) -> Quota:
    """Create or replace the quota; the caller has checked that `by` may set it."""
    if category not in QUOTA_CATEGORIES or mode not in QUOTA_MODES:
        raise QuotaRefused(_l("Choose a category and a kind of quota from the list."))
    if mode == "percent":
        low, high = current_app.config["QUOTA_PERCENT_MIN"], current_app.config["QUOTA_PERCENT_MAX"]
        if not low <= float(value) <= high:
            raise QuotaRefused(
                _l(
                    "A quota must be between %(low)s%% and %(high)s%% of the headcount.",
                    low=low,
                    high=high,
                )
            )
    elif value != int(value) or not 0 <= value <= employer.headcount:
        raise QuotaRefused(
            _l(
                "A quota in workplaces must be a whole number between 0 and the "
                "headcount (%(headcount)d).",
                headcount=employer.headcount,
            )
        )
    quota = db.session.scalar(
        sa.select(Quota).where(
            Quota.employer_id == employer.id, Quota.year == year, Quota.category == category
        )
    )
    if quota is None:
        quota = Quota(
            employer_id=employer.id,
            year=year,
            category=category,
            mode=mode,
            value=value,
            set_by_id=by.id,
        )
        db.session.add(quota)
    else:
        quota.mode, quota.value, quota.set_by_id, quota.set_at = mode, value, by.id, clock.now()
    db.session.flush()
    record(
        "quota_set",
        quota,
        user=by,
        employer_id=employer.id,
        year=year,
        category=category,
        mode=mode,
        value=str(value),
    )
    return quota


@dataclass(frozen=True)
class Fulfilment:
    employer_id: int
    category: str
    quota: int
    filled: int

    @property
    def due(self) -> int:
        """Places still due (never negative)."""
        return max(self.quota - self.filled, 0)

    @property
    def label(self) -> str:
        return str(CATEGORY_LABELS[self.category])


def in_job_during(year: int) -> sa.ColumnElement[bool]:
    """A placement that was a job at any time during `year`."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    return sa.and_(
        Placement.state.in_(STARTED),
        Placement.hired_on <= last,
        sa.or_(Placement.ended_on.is_(None), Placement.ended_on >= first),
    )


def filled_counts(employer_ids: sa.Select | list[int], year: int) -> dict[tuple[int, str], int]:
    """People per (employer, category) in a job with the employer at any time during `year`:
    one aggregate query."""
    rows = db.session.execute(
        sa.select(
            Vacancy.employer_id,
            Candidate.status,
            sa.func.count(sa.distinct(Placement.candidate_id)),
        )
        .join(Placement, Placement.vacancy_id == Vacancy.id)
        .join(Candidate, Candidate.id == Placement.candidate_id)
        .where(
            Vacancy.employer_id.in_(employer_ids),
            in_job_during(year),
            Candidate.status.in_(CATEGORY_STATUS.values()),
        )
        .group_by(Vacancy.employer_id, Candidate.status)
    ).all()
    status_category = {status: category for category, status in CATEGORY_STATUS.items()}
    return {(employer_id, status_category[status]): count for employer_id, status, count in rows}


def fulfilment(employers: list[Employer], year: int) -> list[Fulfilment]:
    """Quota against filled places for each employer and category that has a quota."""
    by_id = {e.id: e for e in employers}
    quotas = db.session.scalars(
        sa.select(Quota).where(Quota.employer_id.in_(by_id), Quota.year == year)
    ).all()
    filled = filled_counts(list(by_id), year)
    return [
        Fulfilment(
            q.employer_id,
            q.category,
            workplaces(q, by_id[q.employer_id].headcount),
            filled.get((q.employer_id, q.category), 0),
        )
        for q in quotas
    ]


@dataclass(frozen=True)
class Standing:
    """What the pages show of an employer for a year: quotas against filled places, and the
    workshop's capacity against its places taken now (what a hire is bounded by)."""

    year: int
    fulfilment: tuple[Fulfilment, ...]  # in QUOTA_CATEGORIES order; only categories with a quota
    capacity: int | None
    occupied: int

    @property
    def due(self) -> int:
        return sum(f.due for f in self.fulfilment)


def standings(employers: list[Employer], year: int) -> dict[int, Standing]:
    """Each employer's standing: three queries whatever the number of employers."""
    if not employers:
        return {}
    by_employer: dict[int, list[Fulfilment]] = {e.id: [] for e in employers}
    for item in fulfilment(employers, year):
        by_employer[item.employer_id].append(item)
    occupied = workshop_places_taken([e.id for e in employers])
    order = {category: n for n, category in enumerate(QUOTA_CATEGORIES)}
    return {
        e.id: Standing(
            year,
            tuple(sorted(by_employer[e.id], key=lambda f: order[f.category])),
            e.workshop_capacity,
            occupied.get(e.id, 0),
        )
        for e in employers
    }
