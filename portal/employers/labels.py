"""What people read for the codes of this package: statuses, proposal states, counts."""

from babel.dates import get_day_names
from flask_babel import get_locale, ngettext
from flask_babel import lazy_gettext as _l

EMPLOYER_STATUS_LABELS = {
    "pending": _l("awaiting approval"),
    "approved": _l("approved"),
    "rejected": _l("rejected"),
}
VACANCY_STATUS_LABELS = {"draft": _l("draft"), "published": _l("published"), "closed": _l("closed")}
# Columns of the dashboard, in the order a proposal moves.
DASHBOARD_STATES = ("proposed", "interview", "hired", "declined")


def proposal_count_text(state: str, num: int) -> str:
    """The words after a count ("2" + "candidates proposed"): one ngettext per state, so every
    language gets its plural forms."""
    if state == "proposed":
        return ngettext("candidate proposed", "candidates proposed", num)
    if state == "interview":
        return ngettext("invited to an interview", "invited to an interview", num)
    if state == "declined":
        return ngettext("candidate declined", "candidates declined", num)
    if state == "hired":
        return ngettext("candidate hired", "candidates hired", num)
    if state == "ended":
        return ngettext("employment ended", "employments ended", num)
    if state == "withdrawn":
        return ngettext("proposal withdrawn", "proposals withdrawn", num)
    return ngettext("proposal no longer current", "proposals no longer current", num)


def weekday_names(days: str) -> str:
    """ "12345" -> "Mon, Tue, Wed, Thu, Fri" in the user's language (ISO weekdays, Monday = 1)."""
    names = get_day_names("abbreviated", locale=get_locale())
    return ", ".join(names[int(day) - 1] for day in days)
