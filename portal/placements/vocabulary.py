"""The placements' vocabulary: the states of a placement, their groups, labels and display
order, and what an employer is shown of them. Codes are stable (they are stored); labels are
translated. The reasons of each step are in reasons.py; the steps themselves in lifecycle.py."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext


class State(StrEnum):
    PROPOSED = "proposed"
    INTERVIEW = "interview"
    DECLINED = "declined"
    HIRED = "hired"
    ENDED = "ended"
    WITHDRAWN = "withdrawn"
    OBSOLETE = "obsolete"  # the person was hired for another job


PLACEMENT_STATES = tuple(state.value for state in State)  # the order of the CHECK constraint

# Groups of states.
OPEN = (State.PROPOSED.value, State.INTERVIEW.value)  # proposals still waiting for a decision
ACTIVE = (State.HIRED.value,)  # people in work
STARTED = (State.HIRED.value, State.ENDED.value)  # a job began: counted, followed up, in quotas

STATE_LABELS = {
    State.PROPOSED.value: _l("proposed"),
    State.INTERVIEW.value: _l("invited to an interview"),
    State.DECLINED.value: _l("declined"),
    State.HIRED.value: _l("hired"),
    State.ENDED.value: _l("employment ended"),
    State.WITHDRAWN.value: _l("withdrawn"),
    State.OBSOLETE.value: _l("no longer relevant"),
}

# The order of the groups on a vacancy's proposals page: decisions waiting first.
STATE_ORDER = ("proposed", "interview", "hired", "ended", "declined", "withdrawn", "obsolete")
# Columns of the employer's dashboard, in the order a proposal moves.
DASHBOARD_STATES = ("proposed", "interview", "hired", "declined")

# Employers see one state for every proposal that ended without their decision, whatever the
# cause (the rules, the inspector, withdrawn consent, a hire for another job), with no reason:
# they never learn that a candidate was excluded, nor why (docs/design.md "Least data").
# Inspectors see it all.
SEEN_BY_EMPLOYERS_AS = {"withdrawn": "withdrawn", "obsolete": "withdrawn"}


def employer_state(state: str) -> str:
    """The state an employer is shown for a placement in `state`."""
    return SEEN_BY_EMPLOYERS_AS.get(state, state)


def employer_counts(counts: dict[str, int]) -> dict[str, int]:
    """{state: n} as an employer is shown it: the states it cannot tell apart counted as one."""
    shown: dict[str, int] = {}
    for state, number in counts.items():
        shown[employer_state(state)] = shown.get(employer_state(state), 0) + number
    return shown


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
