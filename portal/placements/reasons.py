"""Labels of placement states, and the structured reasons for declining, ending and
withdrawing a placement (the codes stay stable; the labels are translated)."""

from flask_babel import lazy_gettext as _l

DECLINE_REASONS = {
    "no_experience": _l("Not enough experience or skills"),
    "position_filled": _l("The position has been filled"),
    "failed_interview": _l("Did not pass the interview"),
    "no_show": _l("Did not come to the interview"),
    "candidate_refused": _l("The candidate turned the offer down"),
    "schedule_mismatch": _l("The schedule does not suit"),
    "other": _l("Other reason"),
}
END_REASONS = {
    "completed": _l("The contract was completed"),
    "quit": _l("Left of their own accord"),
    "dismissed": _l("Dismissed by the employer"),
    "reoffended": _l("Committed a new offence"),
    "moved": _l("Moved away"),
    "released_early": _l("Released early (the workshop job ends)"),
    "health": _l("Health reasons"),
    "other": _l("Other reason"),
}
WITHDRAW_REASONS = {
    "candidate_declined": _l("The candidate no longer wants this job"),
    "found_other_job": _l("The candidate found another job"),
    "ineligible": _l("The candidate is no longer eligible"),
    "moved": _l("The candidate moved away"),
    "other": _l("Other reason"),
}
# Withdrawals the portal makes itself (no form offers them).
PORTAL_WITHDRAW_REASONS = {
    "consent_withdrawn": _l("The candidate withdrew their consent"),
    "vacancy_changed": _l(
        "The employer changed the vacancy's terms: propose the person again if they may still "
        "take it"
    ),
    "no_answer": _l("The employer did not answer in time"),
}
# Every label a withdrawal may carry.
WITHDRAWN_REASONS = {**WITHDRAW_REASONS, **PORTAL_WITHDRAW_REASONS}

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


STATE_LABELS = {
    "proposed": _l("proposed"),
    "interview": _l("invited to an interview"),
    "declined": _l("declined"),
    "hired": _l("hired"),
    "ended": _l("employment ended"),
    "withdrawn": _l("withdrawn"),
    "obsolete": _l("no longer relevant"),
}
