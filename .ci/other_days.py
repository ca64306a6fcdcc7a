"""The days .ci/run runs the date-sensitive tests on, besides today (PORTAL_TEST_TODAY):
the last day of the month a year and a half ahead, the first 29 February at least a year
ahead, and the last day of next year. Read from the real calendar, so they move with it."""

import calendar
from datetime import date, timedelta
from itertools import count

today = date.today()
year, month = divmod(today.year * 12 + today.month - 1 + 18, 12)
month_end = date(year, month + 1, calendar.monthrange(year, month + 1)[1])
a_year_on = today + timedelta(days=366)
leap_day = next(
    date(y, 2, 29)
    for y in count(a_year_on.year)
    if calendar.isleap(y) and date(y, 2, 29) >= a_year_on
)
year_end = date(today.year + 1, 12, 31)
print(month_end, leap_day, year_end)
