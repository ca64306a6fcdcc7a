"""Retention checks in the database: the follow-up list of a user's scope, and recording a check.

The due rule is followup.due_checks (pure). Month arithmetic at month ends differs between
SQLite and PostgreSQL, so the database only narrows the rows (hired long enough ago, not every
check recorded) and the rule itself runs in Python over those few columns; the page then loads
the placements of the one page it shows.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from portal.auth.audit import record
from portal.auth.models import User
from portal.database import lock, write_transaction
from portal.extensions import db
from portal.placements import lifecycle
from portal.placements.followup import Due, due_checks, latest_start, may_record
from portal.placements.lifecycle import MSG_GONE, MSG_STALE, StepRefused
from portal.placements.models import RETENTION_MILESTONES, Placement, RetentionCheck
from portal.placements.scope import placement_filter
from portal.placements.vocabulary import STARTED

MSG_NOT_DUE = _l("This check is not due, or it has already been recorded.")


@dataclass(frozen=True)
class DueCheck:
    placement_id: int
    due: Due


def _recorded(where: sa.ColumnElement[bool]) -> dict[int, set[int]]:
    recorded: dict[int, set[int]] = {}
    rows = db.session.execute(
        sa.select(RetentionCheck.placement_id, RetentionCheck.milestone)
        .join(Placement, Placement.id == RetentionCheck.placement_id)
        .where(where)
    )
    for placement_id, milestone in rows:
        recorded.setdefault(placement_id, set()).add(milestone)
    return recorded


def due_list(user: User, today: date) -> list[DueCheck]:
    """Every check due today in the user's scope, the longest overdue first."""
    return due_among(placement_filter(user), today)


def due_among(scope: sa.ColumnElement[bool], today: date) -> list[DueCheck]:
    """Every check due today among the placements of `scope`, the longest overdue first."""
    checks_done = (
        sa.select(sa.func.count())
        .where(RetentionCheck.placement_id == Placement.id)
        .correlate(Placement)
        .scalar_subquery()
    )
    where = sa.and_(
        scope,
        Placement.state.in_(STARTED),
        Placement.hired_on <= latest_start(today, RETENTION_MILESTONES[0]),
        checks_done < len(RETENTION_MILESTONES),
    )
    rows = db.session.execute(
        sa.select(Placement.id, Placement.hired_on, Placement.ended_on).where(where)
    ).all()
    recorded = _recorded(where)
    due = [
        DueCheck(placement_id, item)
        for placement_id, hired_on, ended_on in rows
        for item in due_checks(hired_on, ended_on, recorded.get(placement_id, ()), today)
    ]
    return sorted(due, key=lambda d: (d.due.due_on, d.placement_id, d.due.milestone))


def recorded_milestones(placement_id: int) -> set[int]:
    return _recorded(Placement.id == placement_id).get(placement_id, set())


def _require_may_record(placement: Placement, milestone: int, today: date) -> None:
    if (
        placement.hired_on is None
        or placement.state not in STARTED
        or not may_record(placement.hired_on, milestone, recorded_milestones(placement.id), today)
    ):
        raise StepRefused("not_due", MSG_NOT_DUE)


def record_check(
    placement_id: int, version: int, milestone: int, by: User, today: date, still_employed: bool
) -> RetentionCheck:
    """Record the check for one milestone, on a placement nobody changed since the page."""
    with write_transaction():
        placement = db.session.scalar(lock(Placement, Placement.id == placement_id))
        if placement is None:
            raise StepRefused("not_found", MSG_GONE)
        if placement.version != version:
            raise StepRefused("stale", MSG_STALE)
        _require_may_record(placement, milestone, today)
        check = RetentionCheck(
            placement_id=placement.id,
            milestone=milestone,
            checked_on=today,
            still_employed=still_employed,
            user_id=by.id,
        )
        db.session.add(check)
        db.session.flush()
        record(
            "retention_checked",
            check,
            user=by,
            placement_id=placement.id,
            milestone=milestone,
            still_employed=still_employed,
        )
    return check


def record_ended(
    placement_id: int,
    version: int,
    milestone: int,
    by: User,
    today: date,
    *,
    end_date: date,
    reason: str,
    note: str = "",
) -> RetentionCheck:
    """The person no longer works there: end the placement, then record the check.

    lifecycle.end is the one way to end a placement and runs its own transaction (locks, the
    eligibility and state checks, the history row), so the check is written right after it
    succeeds, in a second small transaction. Whether the check may be recorded is asked first,
    so a refusal there ends nothing; should a concurrent request record the same check in
    between, the end stands (it is true) and the refusal says the check is already recorded.
    """
    placement = db.session.get(Placement, placement_id)
    if placement is None:
        raise StepRefused("not_found", MSG_GONE)
    _require_may_record(placement, milestone, today)
    ended = lifecycle.end(placement_id, version, by, end_date=end_date, reason=reason, note=note)
    return record_check(placement_id, ended.version, milestone, by, today, still_employed=False)
