"""The structured reasons for declining, ending and withdrawing a placement (the codes stay
stable; the labels are translated). The states themselves are in vocabulary.py."""

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
