"""The portal's one clock: "now" in UTC (what is stored), "today" in Kazakhstan's local time.

Every date and time the portal takes from the calendar comes from here, never from
`date.today()`, `datetime.now()` or the database server's `now()`: a test
(`tests/test_clock.py`) fails when anything else asks. Tests freeze or move this clock with
time-machine, which patches what these functions read.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

# Kazakhstan has one time zone (UTC+5 since 1 March 2024); days, shifts and curfews are local.
LOCAL_ZONE_NAME = "Asia/Almaty"
LOCAL_ZONE = ZoneInfo(LOCAL_ZONE_NAME)


def now() -> datetime:
    """This moment, timezone-aware, in UTC."""
    return datetime.now(UTC)


def local_date(moment: datetime) -> date:
    """The calendar day in Kazakhstan at `moment`."""
    return moment.astimezone(LOCAL_ZONE).date()


def today() -> date:
    """Today in Kazakhstan: closing dates, start dates and bans are local calendar days."""
    return local_date(now())


def timestamp() -> int:
    """This moment in whole seconds since the epoch (session clocks)."""
    return int(now().timestamp())
