"""What the placement pages share: labels, reasons, refusals."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal import clock
from portal.auth.models import ADMIN, EMPLOYER, INSPECTOR, User
from portal.candidates.choices import language_names
from portal.placements import bp
from portal.placements.lifecycle import StepRefused
from portal.placements.models import Placement
from portal.placements.quotas import CATEGORY_LABELS
from portal.placements.reasons import (
    DECLINE_REASONS,
    END_REASONS,
    WITHDRAW_REASONS,
    WITHDRAWN_REASONS,
)
from portal.placements.vocabulary import SEEN_BY_EMPLOYERS_AS, STATE_LABELS, employer_state

# The reasons a step to each state is given from.
REASONS_BY_STATE = {
    "declined": DECLINE_REASONS,
    "ended": END_REASONS,
    "withdrawn": WITHDRAWN_REASONS,
}


def reason_label(state: str, code: str | None) -> str:
    """The reason of a step (for staff; employers read seen_reason)."""
    reasons = REASONS_BY_STATE.get(state, {})
    return str(reasons[code]) if code in reasons else ""


def seen_state(placement: Placement) -> str:
    """The placement's state as the signed-in user may see it (employers: employer_state)."""
    if current_user.role == EMPLOYER:
        return employer_state(placement.state)
    return placement.state


def seen_reason(placement: Placement) -> str:
    """The reason for the placement's state, but none of a withdrawal for an employer."""
    if current_user.role == EMPLOYER and placement.state in SEEN_BY_EMPLOYERS_AS:
        return ""
    return reason_label(placement.state, placement.reason_code)


@bp.context_processor
def placement_labels():
    return {
        "state_labels": STATE_LABELS,
        "decline_reasons": DECLINE_REASONS,
        "end_reasons": END_REASONS,
        "withdraw_reasons": WITHDRAW_REASONS,
        "category_labels": CATEGORY_LABELS,
        "reason_label": reason_label,
        "seen_state": seen_state,
        "seen_reason": seen_reason,
        "local_zone": clock.LOCAL_ZONE,
    }


bp.add_app_template_filter(language_names, "language_names")


# Employers never learn that a candidate was excluded, nor why (docs/design.md "Least data"),
# nor that a person's consent is missing.
PRIVATE_REFUSALS = frozenset({"no_consent"})
MSG_ASK_INSPECTOR = _l(
    "This step is not possible for this candidate now. Contact the inspector "
    "who proposed the candidate."
)


def refusal(error: StepRefused, user: User) -> tuple[str, list[str]]:
    """The message of a refused step and, for inspectors and administrators, the rules that
    refused it with their legal basis; in the user's language."""
    if user.role not in (INSPECTOR, ADMIN):
        private = error.reasons or error.code in PRIVATE_REFUSALS
        return str(MSG_ASK_INSPECTOR if private else error.message), []
    return str(error.message), [f"{r.message} ({r.legal_basis})" for r in error.reasons]
