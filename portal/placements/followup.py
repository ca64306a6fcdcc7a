"""When a hired person's retention checks fall due: 3, 6 and 12 months after the start date.

Pure: dates in, dates out. A month later is the same day of the month, or the month's last day
when it is shorter (31 January + 1 month = 28 or 29 February). A check is due from its
milestone date and stays due until it is recorded; a person who left before the milestone has
nothing to check there.
"""

import calendar
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from portal.placements.models import RETENTION_MILESTONES


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months (negative: back), clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _is_month_end(day: date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def latest_start(today: date, months: int) -> date:
    """The last start date whose `months` milestone falls on or before `today`.

    add_months only grows with the start date, so "milestone <= today" is "start <= this day":
    a database can filter by it without month arithmetic of its own. On a month's last day,
    every later start day of the earlier month clamps to it too (31 January → 28 February).
    """
    earlier = add_months(today, -months)
    if _is_month_end(today):
        return earlier.replace(day=calendar.monthrange(earlier.year, earlier.month)[1])
    return earlier


@dataclass(frozen=True)
class Due:
    milestone: int  # months after the start
    due_on: date


def due_checks(
    hired_on: date, ended_on: date | None, recorded: Collection[int], today: date
) -> list[Due]:
    """The checks to make today: milestones reached, not recorded, and still in work then."""
    due = []
    for months in RETENTION_MILESTONES:
        due_on = add_months(hired_on, months)
        if due_on > today or months in recorded:
            continue
        if ended_on is not None and ended_on < due_on:
            continue  # left before this milestone: nothing to check
        due.append(Due(months, due_on))
    return due


def may_record(hired_on: date, milestone: int, recorded: Collection[int], today: date) -> bool:
    """A check may be recorded once its milestone has come, and only once."""
    return (
        milestone in RETENTION_MILESTONES
        and milestone not in recorded
        and add_months(hired_on, milestone) <= today
    )
