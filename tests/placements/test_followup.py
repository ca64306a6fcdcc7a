"""The retention due dates: month ends, leap years, people who left, checks already recorded."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.placements.followup import Due, add_months, due_checks, latest_start, may_record


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 1, 30), 1, date(2026, 2, 28)),
        (date(2026, 3, 31), 3, date(2026, 6, 30)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 2, 28), 12, date(2028, 2, 28)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 11, 26), 3, date(2027, 2, 26)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2027, 1, 15), -12, date(2026, 1, 15)),
    ],
)
def test_add_months_clamps_to_the_end_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    "today, months, expected",
    [
        (date(2026, 2, 28), 1, date(2026, 1, 31)),  # 29-31 January all reach 28 February
        (date(2026, 3, 30), 1, date(2026, 2, 28)),
        (date(2026, 4, 30), 1, date(2026, 3, 31)),
        (date(2026, 5, 15), 3, date(2026, 2, 15)),
        (date(2028, 2, 29), 12, date(2027, 2, 28)),
    ],
)
def test_latest_start(today, months, expected):
    assert latest_start(today, months) == expected


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31))


@given(start=days, today=days, months=st.sampled_from([3, 6, 12]))
def test_latest_start_agrees_with_add_months(start, today, months):
    """What the database filters by (start <= latest_start) is exactly the milestone rule."""
    assert (add_months(start, months) <= today) == (start <= latest_start(today, months))


def test_nothing_is_due_before_three_months():
    assert due_checks(date(2026, 1, 31), None, (), date(2026, 4, 29)) == []
    assert due_checks(date(2026, 1, 31), None, (), date(2026, 4, 30)) == [Due(3, date(2026, 4, 30))]


def test_a_check_stays_due_until_recorded():
    hired = date(2025, 1, 31)
    today = date(2026, 3, 1)
    assert due_checks(hired, None, (), today) == [
        Due(3, date(2025, 4, 30)),
        Due(6, date(2025, 7, 31)),
        Due(12, date(2026, 1, 31)),
    ]
    assert due_checks(hired, None, (3, 12), today) == [Due(6, date(2025, 7, 31))]


def test_someone_who_left_is_checked_only_at_milestones_reached_in_work():
    hired = date(2025, 8, 31)
    left_early = date(2026, 2, 27)
    assert due_checks(hired, left_early, (), date(2026, 11, 1)) == [Due(3, date(2025, 11, 30))]
    assert due_checks(hired, date(2026, 2, 28), (), date(2026, 11, 1)) == [
        Due(3, date(2025, 11, 30)),
        Due(6, date(2026, 2, 28)),
    ]
    assert due_checks(hired, hired + timedelta(days=30), (), date(2026, 11, 1)) == []


def test_may_record_once_the_milestone_has_come_and_only_once():
    hired = date(2026, 1, 31)
    assert not may_record(hired, 3, (), date(2026, 4, 29))
    assert may_record(hired, 3, (), date(2026, 4, 30))
    assert not may_record(hired, 3, (3,), date(2026, 4, 30))
    assert not may_record(hired, 4, (), date(2027, 4, 30))  # not a milestone
