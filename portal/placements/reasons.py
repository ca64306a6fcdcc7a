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
    "consent_withdrawn": _l("The candidate withdrew their consent"),
    "other": _l("Other reason"),
}
# Given by the portal itself (with the withdrawal of the consent), never chosen on a form.
AUTOMATIC_WITHDRAW_REASONS = frozenset({"consent_withdrawn"})
CHOSEN_WITHDRAW_REASONS = {
    code: label
    for code, label in WITHDRAW_REASONS.items()
    if code not in AUTOMATIC_WITHDRAW_REASONS
}
# Reasons only staff read: an employer never learns that, or why, these were given.
STAFF_ONLY_REASONS = frozenset({"consent_withdrawn"})

STATE_LABELS = {
    "proposed": _l("proposed"),
    "interview": _l("invited to an interview"),
    "declined": _l("declined"),
    "hired": _l("hired"),
    "ended": _l("employment ended"),
    "withdrawn": _l("withdrawn"),
    "obsolete": _l("no longer relevant"),
}
