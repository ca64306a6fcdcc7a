"""Workplace checks: probation checks that a person in work is at their place of work.

An inspector of the record's scope (or an administrator) records a check on a placement that
started: the day (not in the future, within the employment), found at work or not, a note.
Checks are staff's only: no employer page reads this table.
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from portal.auth.audit import record
from portal.auth.models import User
from portal.database import lock, write_transaction
from portal.extensions import db
from portal.placements.lifecycle import MSG_GONE, StepRefused
from portal.placements.models import Placement, WorkplaceCheck
from portal.placements.vocabulary import STARTED

NOTE_MAX = 1000
NEWEST_FIRST = (WorkplaceCheck.checked_on.desc(), WorkplaceCheck.id.desc())


def _require_valid_day(placement: Placement, checked_on: date, today: date) -> None:
    if placement.state not in STARTED or placement.hired_on is None:
        raise StepRefused(
            "not_started", _l("A workplace check can be recorded only once the person has started.")
        )
    if checked_on > today:
        raise StepRefused("check_in_future", _l("The day of the check cannot be in the future."))
    if checked_on < placement.hired_on:
        raise StepRefused(
            "check_before_start", _l("The day of the check cannot be before the start date.")
        )
    if placement.ended_on is not None and checked_on > placement.ended_on:
        raise StepRefused(
            "check_after_end", _l("The day of the check cannot be after the employment ended.")
        )


def record_check(
    placement_id: int, by: User, today: date, *, checked_on: date, found_at_work: bool, note: str
) -> WorkplaceCheck:
    """Record one check; the caller has checked that `by` may see the placement. The placement
    row is locked, so an end recorded at the same moment is seen before the day is checked."""
    with write_transaction():
        placement = db.session.scalar(lock(Placement, Placement.id == placement_id))
        if placement is None:
            raise StepRefused("not_found", MSG_GONE)
        _require_valid_day(placement, checked_on, today)
        check = WorkplaceCheck(
            placement_id=placement.id,
            checked_on=checked_on,
            found_at_work=found_at_work,
            note=note[:NOTE_MAX],
            user_id=by.id,
        )
        db.session.add(check)
        db.session.flush()
        record(  # on the placement, so the audit log links to its page
            "workplace_checked",
            placement,
            user=by,
            check_id=check.id,
            candidate_id=placement.candidate_id,
            checked_on=checked_on.isoformat(),
            found_at_work=found_at_work,
        )
    return check


def checks_of(placement_id: int) -> sa.Select:
    """A placement's checks, newest first, each with who recorded it (for a paginated list)."""
    return (
        sa.select(WorkplaceCheck)
        .where(WorkplaceCheck.placement_id == placement_id)
        .order_by(*NEWEST_FIRST)
    )


def last_checks(placement_ids: list[int]) -> dict[int, WorkplaceCheck]:
    """The last check of each of these placements: one query, whatever their number."""
    if not placement_ids:
        return {}
    ranked = (
        sa.select(
            WorkplaceCheck.id,
            sa.func.row_number()
            .over(partition_by=WorkplaceCheck.placement_id, order_by=NEWEST_FIRST)
            .label("n"),
        )
        .where(WorkplaceCheck.placement_id.in_(placement_ids))
        .subquery()
    )
    found = db.session.scalars(
        sa.select(WorkplaceCheck)
        .join(ranked, ranked.c.id == WorkplaceCheck.id)
        .where(ranked.c.n == 1)
    )
    return {check.placement_id: check for check in found}
