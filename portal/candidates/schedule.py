"""The retention schedule (Law "On personal data and their protection", art. 12: data kept no
longer than their purpose needs): a record is anonymised RETENTION_YEARS[status] years after
the person's last activity — release, the end of supervision or of a court ban, a consent entry,
a step or the end of a placement, a change of the record — and never while a placement is
active or a proposal open. The record's inspectors are told RETENTION_NOTICE_DAYS ahead.

Which records are due is one SQL condition (`due_by`), so lists page and count in the database;
the day each is due is worked out for the rows shown (`due_dates`).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app

from portal import clock
from portal.candidates.models import ActivityBan, Candidate, ConsentEvent, Supervision
from portal.extensions import db
from portal.placements.lifecycle import ACTIVE, OPEN
from portal.placements.models import Placement, PlacementEvent


def add_years(day: date, years: int) -> date:
    """The same day `years` later (29 February: the 28th of a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _start_of(day: date) -> datetime:
    """The first moment of a local day, in UTC (what timestamps are compared with)."""
    return datetime.combine(day, time(0), clock.LOCAL_ZONE)


def _activity_dates() -> dict[str, sa.ColumnElement]:
    """Each kind of activity's latest day (a date) or moment (a timestamp) for the candidate of
    the outer query; NULL where there is none."""
    placement_of = Placement.candidate_id == Candidate.id
    return {
        "release": Candidate.release_date,
        "supervision": sa.select(Supervision.until)
        .where(Supervision.candidate_id == Candidate.id)
        .scalar_subquery(),
        "ban": sa.select(sa.func.max(ActivityBan.until))
        .where(ActivityBan.candidate_id == Candidate.id)
        .scalar_subquery(),
        "consent": sa.select(sa.func.max(ConsentEvent.on_date))
        .where(ConsentEvent.candidate_id == Candidate.id)
        .scalar_subquery(),
        "placement_end": sa.select(sa.func.max(Placement.ended_on))
        .where(placement_of)
        .scalar_subquery(),
    }


def _activity_moments() -> dict[str, sa.ColumnElement]:
    return {
        "changed": Candidate.updated_at,
        "placement_step": sa.select(sa.func.max(PlacementEvent.at))
        .join(Placement, Placement.id == PlacementEvent.placement_id)
        .where(Placement.candidate_id == Candidate.id)
        .scalar_subquery(),
    }


def held() -> sa.ColumnElement[bool]:
    """The record has an active placement or an open proposal: it is kept whatever its age."""
    return sa.exists().where(
        Placement.candidate_id == Candidate.id, Placement.state.in_(OPEN + ACTIVE)
    )


def _quiet_since(cutoff: date) -> sa.ColumnElement[bool]:
    """No activity of the record after `cutoff`."""
    dates = [sa.or_(column.is_(None), column <= cutoff) for column in _activity_dates().values()]
    moment = _start_of(cutoff + timedelta(days=1))
    moments = [sa.or_(column.is_(None), column < moment) for column in _activity_moments().values()]
    return sa.and_(*dates, *moments)


def due_by(day: date) -> sa.ColumnElement[bool]:
    """Records whose retention period ends on or before `day`, not yet anonymised and not held."""
    by_status = [
        sa.and_(Candidate.status == status, _quiet_since(add_years(day, -years)))
        for status, years in current_app.config["RETENTION_YEARS"].items()
        if years is not None
    ]
    if not by_status:
        return sa.false()
    return sa.and_(Candidate.anonymised_at.is_(None), sa.or_(*by_status), sa.not_(held()))


def notice_horizon(today: date) -> date:
    return today + timedelta(days=current_app.config["RETENTION_NOTICE_DAYS"])


def last_activity(row) -> date:
    days = [getattr(row, name) for name in _activity_dates()]
    days += [
        clock.local_date(getattr(row, name)) for name in _activity_moments() if getattr(row, name)
    ]
    return max(day for day in days if day is not None)


def due_dates(candidate_ids: list[int]) -> dict[int, date]:
    """The day each record's retention period ends (records of a kept status: left out)."""
    if not candidate_ids:
        return {}
    columns = {**_activity_dates(), **_activity_moments()}
    rows = db.session.execute(
        sa.select(
            Candidate.id,
            Candidate.status,
            *(column.label(name) for name, column in columns.items()),
        ).where(Candidate.id.in_(candidate_ids))
    )
    years = current_app.config["RETENTION_YEARS"]
    return {
        row.id: add_years(last_activity(row), years[row.status])
        for row in rows
        if years.get(row.status) is not None
    }


@dataclass(frozen=True)
class Due:
    candidate: Candidate
    on: date


def coming_due(scope: sa.ColumnElement[bool], today: date) -> sa.Select:
    """The records of `scope` that will be anonymised within the notice period (or are due)."""
    return (
        sa.select(Candidate)
        .where(scope, due_by(notice_horizon(today)))
        .order_by(Candidate.updated_at, Candidate.id)
    )


def with_dates(candidates: list[Candidate]) -> list[Due]:
    dates = due_dates([c.id for c in candidates])
    return sorted(
        (Due(c, dates[c.id]) for c in candidates if c.id in dates),
        key=lambda d: (d.on, d.candidate.id),
    )
