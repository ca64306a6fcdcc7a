"""Who is told of each step of a placement: the employer's own users of what the inspector
did, the inspector(s) of what the employer did. Called by lifecycle inside the step's
transaction. Employers are never told why a proposal was withdrawn (reasons.py), so they are
not told of withdrawals at all: the proposal just leaves their list."""

from portal.notifications.notify import employer_users, inspectors_of, notify, placement_params
from portal.placements.models import Placement

# Steps the employer takes, and the kind each tells the inspector.
TO_INSPECTOR = {
    "interview": "proposal_invited",
    "declined": "proposal_declined",
    "hired": "proposal_hired",
    "ended": "placement_ended",
}


def to_employer(placement: Placement, kind: str, dedupe: str | None = None, **params) -> None:
    notify(
        employer_users(placement.vacancy.employer_id),
        kind,
        "vacancy",
        placement.vacancy_id,
        placement_params(placement, **params),
        dedupe,
    )


def to_inspectors(placement: Placement, kind: str, dedupe: str | None = None, **params) -> None:
    notify(
        inspectors_of(placement),
        kind,
        "placement",
        placement.id,
        placement_params(placement, **params),
        dedupe,
    )


def proposed(placement: Placement) -> None:
    to_employer(placement, "proposal_made")


def stepped(placement: Placement, by_employer: bool) -> None:
    """After the employer (or whoever acts for it) moved a placement to its new state."""
    kind = TO_INSPECTOR.get(placement.state)
    if kind is not None and by_employer:
        to_inspectors(placement, kind, reason=placement.reason_code)


def interview(placement: Placement, kind: str, by, starts_at) -> None:
    """A booking, a move or a cancellation: both sides are told, but not whoever made it."""
    params = placement_params(placement, at=starts_at.isoformat())
    employers = [u for u in employer_users(placement.vacancy.employer_id) if u.id != by.id]
    inspectors = [u for u in inspectors_of(placement) if u.id != by.id]
    notify(employers, kind, "vacancy", placement.vacancy_id, params)
    notify(inspectors, kind, "placement", placement.id, params)
