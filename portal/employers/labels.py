"""What people read for the codes of this package: statuses, weekdays."""

from babel.dates import get_day_names
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

EMPLOYER_STATUS_LABELS = {
    "pending": _l("awaiting approval"),
    "approved": _l("approved"),
    "rejected": _l("rejected"),
}
VACANCY_STATUS_LABELS = {"draft": _l("draft"), "published": _l("published"), "closed": _l("closed")}


def weekday_names(days: str) -> str:
    """ "12345" -> "Mon, Tue, Wed, Thu, Fri" in the user's language (ISO weekdays, Monday = 1)."""
    names = get_day_names("abbreviated", locale=get_locale())
    return ", ".join(names[int(day) - 1] for day in days)
