"""Anonymisation: the person's identity leaves the record, what the statistics count stays.

Removed: the name, the IIN (replaced by a marker that is no IIN, see `marker`), the birth date
(kept as the year), education, skills, languages, housing, programme notes, the notes of their
placements, interviews, placement steps and workplace checks, and the text of their correction
requests. Kept: the status, region, district, institution, trades, consent flag and history,
offences, bans, supervision, placements and their history — every figure of the dashboard reads
only these (portal/stats/). The search index drops the person (portal/search/schema.py reads
only records that are not anonymised). One operation for both causes: the end of the retention
period and the person's request for erasure; never while a placement is active or a proposal
open.
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from portal import clock
from portal.auth.audit import record
from portal.auth.models import User
from portal.candidates.models import Candidate, CorrectionRequest
from portal.candidates.schedule import held
from portal.database import lock, write_transaction
from portal.extensions import db
from portal.placements.models import Interview, Placement, PlacementEvent, WorkplaceCheck
from portal.programmes.models import NOT_POSSIBLE, Assessment, Programme, ProgrammeStep

RETENTION, ERASURE = "retention", "erasure"
CLEARED_TEXT = ("education", "skills", "languages", "housing", "programme_notes")
MSG_HELD = _l(
    "This record cannot be anonymised while the person is in work or a proposal is open: "
    "end the placement or withdraw the proposals first."
)
MSG_ANONYMISED = _l("This record has been anonymised: it can no longer be changed.")


class AnonymiseRefused(Exception):
    def __init__(self, code: str, message):
        super().__init__(code)
        self.code = code
        self.message = message


def marker(candidate_id: int) -> str:
    """The IIN column's value once anonymised: unique (the id), 12 characters like an IIN, and
    never an IIN — it starts with a letter, so no IIN lookup or import can match it."""
    return f"X{candidate_id:011d}"


def is_held(candidate_id: int) -> bool:
    return bool(
        db.session.scalar(
            sa.select(held()).where(Candidate.id == candidate_id).select_from(Candidate)
        )
    )


def _clear(candidate: Candidate) -> None:
    candidate.full_name = ""
    candidate.iin = marker(candidate.id)
    if candidate.birth_date is not None:
        candidate.birth_year = candidate.birth_date.year
    candidate.birth_date = None
    for name in CLEARED_TEXT:
        setattr(candidate, name, "")
    placements = sa.select(Placement.id).where(Placement.candidate_id == candidate.id)
    db.session.execute(
        sa.update(Placement).where(Placement.candidate_id == candidate.id).values(inspector_note="")
    )
    db.session.execute(
        sa.update(Interview).where(Interview.placement_id.in_(placements)).values(note="", place="")
    )
    db.session.execute(
        sa.update(PlacementEvent).where(PlacementEvent.placement_id.in_(placements)).values(note="")
    )
    db.session.execute(  # what probation wrote when it checked the workplace
        sa.update(WorkplaceCheck).where(WorkplaceCheck.placement_id.in_(placements)).values(note="")
    )
    db.session.execute(
        sa.update(CorrectionRequest)
        .where(CorrectionRequest.candidate_id == candidate.id)
        .values(asked="", reason="")
    )
    # The programme keeps its steps' services, dates and states (the statistics count them);
    # what was written about the person goes. A step "not possible" must keep a reason.
    programme = sa.select(Programme.id).where(Programme.candidate_id == candidate.id)
    db.session.execute(
        sa.update(Assessment).where(Assessment.programme_id.in_(programme)).values(note="")
    )
    db.session.execute(
        sa.update(ProgrammeStep)
        .where(ProgrammeStep.programme_id.in_(programme))
        .values(
            outcome="",
            reason=sa.case((ProgrammeStep.state == NOT_POSSIBLE, "—"), else_=""),
        )
    )


def anonymise_locked(candidate: Candidate, kind: str, by: User | None, reason: str = "") -> None:
    """Anonymise a record the caller has locked, in the caller's transaction."""
    if candidate.anonymised_at is not None:
        raise AnonymiseRefused("anonymised", MSG_ANONYMISED)
    if is_held(candidate.id):
        raise AnonymiseRefused("held", MSG_HELD)
    _clear(candidate)
    candidate.anonymised_at = clock.now()
    candidate.anonymised_kind = kind
    record(
        "candidate_anonymised" if kind == RETENTION else "candidate_erased",
        candidate,
        user=by,
        code=candidate.code,
        **({"reason": reason} if kind == ERASURE else {}),
    )


def anonymise(candidate_id: int, kind: str, by: User | None, reason: str = "") -> Candidate:
    """Anonymise one record, committed (its search document goes after the commit)."""
    with write_transaction():
        candidate = db.session.scalar(lock(Candidate, Candidate.id == candidate_id))
        anonymise_locked(candidate, kind, by, reason)
    return candidate


def erase(candidate: Candidate, by: User, reason: str) -> Candidate:
    """The person asked for erasure: the same anonymisation at once, with the reason."""
    if not reason.strip():
        raise AnonymiseRefused("no_reason", _l("Give the reason for the erasure."))
    return anonymise(candidate.id, ERASURE, by, reason.strip())
