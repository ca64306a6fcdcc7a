"""The portal's one clock (portal/clock.py): nothing else reads the calendar, its "today" is
Kazakhstan's, and the tests' frozen day is the one the portal sees."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from portal import clock
from tests.helpers import TEST_TODAY, noon

ROOT = Path(__file__).resolve().parent.parent
# Reading the calendar anywhere but portal/clock.py, in Python or from the database server.
CALENDAR_READS = re.compile(
    r"\bdate\.today\(|\bdatetime\.(?:now|utcnow|today)\(|\btime\.time\(|\btime\.time_ns\("
    r"|\bfunc\.(?:now|current_date|current_timestamp|localtimestamp)\b"
    r"|\bCURRENT_(?:DATE|TIMESTAMP|TIME)\b|(?<![\w.])now\(\)",
    re.IGNORECASE,
)


def _sources():
    for folder in ("portal", "bench", "tests"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".py", ".html", ".sql") and path.is_file():
                yield path


def test_nothing_but_the_clock_reads_the_calendar():
    allowed = {ROOT / "portal" / "clock.py", Path(__file__).resolve()}
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _sources()
        if path not in allowed
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if CALENDAR_READS.search(line)
    ]
    assert found == [], "read the time through portal.clock:\n" + "\n".join(found)


def test_the_check_catches_each_way_of_reading_the_calendar():
    for line in (
        "today = date.today()",
        "stamp = datetime.now(UTC)",
        "datetime.utcnow()",
        "int(time.time())",
        "default=sa.func.now()",
        "server_default=sa.text('CURRENT_TIMESTAMP')",
        "WHERE closes_on < current_date",
    ):
        assert CALENDAR_READS.search(line), line
    for line in ("clock.now()", "clock.today()", "known()", "time.perf_counter()"):
        assert not CALENDAR_READS.search(line), line


def test_a_frozen_test_runs_on_the_suites_day(today):
    assert clock.today() == today == TEST_TODAY
    assert clock.now().tzinfo is UTC
    assert clock.local_date(clock.now()) == TEST_TODAY


def test_today_is_the_day_in_kazakhstan_not_in_utc(frozen_clock):
    """Almaty is UTC+5: from 19:00 UTC the local calendar is a day ahead."""
    late = noon(TEST_TODAY).replace(hour=23, minute=30)  # 18:30 UTC
    frozen_clock.move_to(late)
    assert clock.today() == TEST_TODAY and clock.now().date() == TEST_TODAY
    frozen_clock.move_to(late + timedelta(hours=1))  # 00:30 local, 19:30 UTC the day before
    assert clock.today() == TEST_TODAY + timedelta(days=1)
    assert clock.now().date() == TEST_TODAY


@pytest.mark.real_clock
def test_on_the_real_clock_now_and_today_are_the_real_ones():
    real = datetime.now(UTC)
    assert abs(clock.now() - real) < timedelta(seconds=5)
    assert clock.today() in {
        clock.local_date(real),
        clock.local_date(real + timedelta(seconds=5)),  # midnight may pass between the two
    }
    assert abs(clock.timestamp() - real.timestamp()) < 5
