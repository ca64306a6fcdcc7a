"""The one place that changes a placement: proposed → interview | declined → hired → ended,
withdrawn by the inspector at any open step; a hire makes the person's other open proposals
obsolete. Every step runs in one transaction that locks the candidate and the vacancy rows
(candidate first, always, so two steps never wait on each other in a cycle), re-checks
eligibility on the day of the step, refuses with reasons, and appends a history row. A hire
also locks the vacancy's employer (after the vacancy, before the placement): its workshop's
places bound the hires into all its vacancies together.
"""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import format_number
from flask_babel import lazy_gettext as _l

from portal import clock
from portal.auth.audit import record
from portal.auth.models import ADMIN, EMPLOYER, INSPECTOR, User
from portal.candidates.models import Candidate
from portal.candidates.scope import candidate_filter
from portal.database import lock, write_transaction
from portal.employers.models import Employer, Vacancy
from portal.extensions import db
from portal.matching.eligibility import Reason, evaluate
from portal.matching.facts import facts_from_candidate, facts_from_vacancy
from portal.placements import notices
from portal.placements.models import Interview, Placement, PlacementEvent
from portal.placements.reasons import DECLINE_REASONS, END_REASONS, WITHDRAW_REASONS
from portal.placements.vocabulary import ACTIVE, OPEN, STATE_LABELS

# The state machine in one table: the states each step starts from. The pages offer a step
# only where this allows it; the step functions below refuse anything else.
STEP_FROM = {
    "interview": ("proposed",),
    "decline": OPEN,
    "hire": ("interview",),
    "end": ACTIVE,
    "withdraw": OPEN,
}
# Steps that decide on a proposal, which a closed vacancy no longer takes.
DECISIONS = ("interview", "decline", "hire")

MSG_GONE = _l("The record no longer exists.")
MSG_NO_CONSENT = _l("The candidate has not consented to be proposed to employers.")
MSG_STALE = _l(
    "Someone else has changed this placement since the page was opened. Reload the "
    "page and try again."
)


class StepRefused(Exception):
    """A step that may not happen: a stable `code`, a `message` for the user (lazy, in their
    language), and for ineligibility the `reasons` of the rules that failed."""

    def __init__(self, code: str, message, reasons: tuple[Reason, ...] = ()):
        super().__init__(code)
        self.code = code
        self.message = message
        self.reasons = reasons


@dataclass
class _Locked:
    placement: Placement
    candidate: Candidate
    vacancy: Vacancy


def _lock_rows(
    candidate_id: int, vacancy_id: int, *, employer: bool = False
) -> tuple[Candidate, Vacancy]:
    """Lock the candidate, then the vacancy, then (`employer`) the vacancy's employer."""
    candidate = db.session.scalar(lock(Candidate, Candidate.id == candidate_id))
    vacancy = db.session.scalar(lock(Vacancy, Vacancy.id == vacancy_id))
    if candidate is None or vacancy is None:
        raise StepRefused("not_found", MSG_GONE)
    if employer:
        db.session.scalar(lock(Employer, Employer.id == vacancy.employer_id))
    return candidate, vacancy


def _lock_placement(placement_id: int, version: int, *, employer: bool = False) -> _Locked:
    found = db.session.execute(
        sa.select(Placement.candidate_id, Placement.vacancy_id).where(Placement.id == placement_id)
    ).first()
    if found is None:
        raise StepRefused("not_found", MSG_GONE)
    candidate, vacancy = _lock_rows(*found, employer=employer)
    placement = db.session.scalar(lock(Placement, Placement.id == placement_id))
    if placement.version != version:
        raise StepRefused("stale", MSG_STALE)
    return _Locked(placement, candidate, vacancy)


def _in_candidate_scope(user: User, candidate: Candidate) -> bool:
    return (
        db.session.scalar(
            sa.select(sa.func.count()).where(Candidate.id == candidate.id, candidate_filter(user))
        )
        == 1
    )


def _require(
    user: User, candidate: Candidate, vacancy: Vacancy, *, employer: bool, inspector: bool
) -> None:
    """The employer of the vacancy, or an inspector of the candidate (admins act as both)."""
    if user.role == ADMIN:
        return
    if employer and user.role == EMPLOYER and vacancy.employer_id == user.employer_id:
        return
    if inspector and user.role == INSPECTOR and _in_candidate_scope(user, candidate):
        return
    raise StepRefused("not_allowed", _l("You may not take this step for this placement."))


def _require_state(placement: Placement, *states: str) -> None:
    if placement.state not in states:
        raise StepRefused(
            "wrong_state",
            _l(
                "This step is not possible: the placement is already “%(state)s”.",
                state=STATE_LABELS[placement.state],
            ),
        )


def _open_for_decisions(vacancy: Vacancy) -> bool:
    return vacancy.status == "published"


def possible_steps(placement: Placement, vacancy: Vacancy) -> frozenset[str]:
    """The steps the state machine allows next (who may take them is checked by each step)."""
    return frozenset(
        step
        for step, states in STEP_FROM.items()
        if placement.state in states and (step not in DECISIONS or _open_for_decisions(vacancy))
    )


def _require_open_vacancy(vacancy: Vacancy) -> None:
    if not _open_for_decisions(vacancy):
        raise StepRefused(
            "vacancy_closed", _l("The vacancy is closed: no decisions can be taken on it.")
        )


def _require_consent(candidate: Candidate) -> None:
    """Checked by every step that moves a proposal forward, on the locked candidate row (a
    withdrawal of the consent locks it too, so the two never pass each other)."""
    if not candidate.consent:
        raise StepRefused("no_consent", MSG_NO_CONSENT)
    if candidate.anonymised_at is not None:
        raise StepRefused("anonymised", _l("This record has been anonymised."))


def _require_eligible(candidate: Candidate, vacancy: Vacancy, on: date) -> None:
    verdict = evaluate(facts_from_candidate(candidate), facts_from_vacancy(vacancy), on)
    if not verdict.eligible:
        raise StepRefused(
            "ineligible", _l("The candidate is not eligible for this vacancy."), verdict.exclusions
        )


def _move(
    placement: Placement,
    to: str,
    by: User | None,
    *,
    on_date: date | None = None,
    reason: str | None = None,
    note: str = "",
    caused_by: Placement | None = None,
    rule_codes: list[str] | None = None,
    tell: bool = True,
) -> None:
    db.session.add(
        PlacementEvent(
            placement_id=placement.id,
            from_state=placement.state,
            to_state=to,
            user_id=by.id if by else None,
            on_date=on_date,
            reason_code=reason,
            note=note,
            caused_by_id=caused_by.id if caused_by is not None else None,
            rule_codes=rule_codes,
        )
    )
    placement.state = to
    placement.version += 1
    if by is not None and tell:
        notices.stepped(placement, by_employer=by.role != INSPECTOR)


def _check_reason(reason: str, allowed: dict) -> None:
    if reason not in allowed:
        raise StepRefused("unknown_reason", _l("Choose a reason from the list."))


def propose(candidate_id: int, vacancy_id: int, by: User, on: date) -> Placement:
    with write_transaction():
        candidate, vacancy = _lock_rows(candidate_id, vacancy_id)
        _require(by, candidate, vacancy, employer=False, inspector=True)
        _require_open_vacancy(vacancy)
        _require_consent(candidate)
        already = db.session.scalar(
            sa.select(sa.func.count()).where(
                Placement.candidate_id == candidate.id,
                Placement.vacancy_id == vacancy.id,
                Placement.state.in_(OPEN + ACTIVE),
            )
        )
        if already:
            raise StepRefused(
                "already_proposed", _l("The candidate has already been proposed for this vacancy.")
            )
        _require_eligible(candidate, vacancy, on)
        placement = Placement(
            candidate_id=candidate.id, vacancy_id=vacancy.id, state="proposed", proposed_by_id=by.id
        )
        db.session.add(placement)
        db.session.flush()
        db.session.add(
            PlacementEvent(placement_id=placement.id, to_state="proposed", user_id=by.id)
        )
        record("placement_proposed", placement, user=by, vacancy_id=vacancy.id)
        notices.proposed(placement)
    return placement


@dataclass(frozen=True)
class Booking:
    """An interview's time (aware), and its place or "by phone", and an optional note."""

    starts_at: datetime
    by_phone: bool = False
    place: str = ""
    note: str = ""


def _require_bookable(booking: Booking) -> None:
    if booking.starts_at <= clock.now():
        raise StepRefused("interview_past", _l("Choose a time for the interview in the future."))
    if not booking.by_phone and not booking.place:
        raise StepRefused(
            "interview_place", _l("Give the place of the interview, or choose by phone.")
        )


def _book(interview: Interview, booking: Booking, by: User) -> None:
    interview.starts_at = booking.starts_at
    interview.by_phone = booking.by_phone
    interview.place = "" if booking.by_phone else booking.place
    interview.note = booking.note
    interview.booked_by_id = by.id
    interview.cancelled_at = None


def accept_for_interview(
    placement_id: int, version: int, by: User, on: date, booking: Booking | None = None
) -> Placement:
    """Invite the candidate, with the interview's time and place when the employer gives them
    (the pages always do): then the booking is what the other side is told of."""
    with write_transaction():
        rows = _lock_placement(placement_id, version)
        _require(by, rows.candidate, rows.vacancy, employer=True, inspector=False)
        _require_consent(rows.candidate)
        _require_state(rows.placement, *STEP_FROM["interview"])
        _require_open_vacancy(rows.vacancy)
        _require_eligible(rows.candidate, rows.vacancy, on)
        if booking is not None:
            _require_bookable(booking)
            interview = Interview(placement_id=rows.placement.id)
            _book(interview, booking, by)
            db.session.add(interview)
        _move(rows.placement, "interview", by, tell=booking is None)
        if booking is not None:
            notices.interview(rows.placement, "interview_booked", by, booking.starts_at)
    return rows.placement


def _locked_interview(placement_id: int, version: int, by: User) -> tuple[_Locked, Interview]:
    rows = _lock_placement(placement_id, version)
    _require(by, rows.candidate, rows.vacancy, employer=True, inspector=False)
    _require_state(rows.placement, "interview")
    interview = db.session.scalar(lock(Interview, Interview.placement_id == placement_id))
    if interview is None:
        raise StepRefused("no_interview", _l("No interview has been booked for this proposal."))
    return rows, interview


def move_interview(placement_id: int, version: int, by: User, booking: Booking) -> Placement:
    """Book (again) the interview of an invited candidate: a new time or place, or one
    booked again after it was cancelled."""
    with write_transaction():
        rows, interview = _locked_interview(placement_id, version, by)
        _require_bookable(booking)
        _book(interview, booking, by)
        rows.placement.version += 1
        notices.interview(rows.placement, "interview_moved", by, booking.starts_at)
    return rows.placement


def cancel_interview(placement_id: int, version: int, by: User) -> Placement:
    """Cancel the booking; the candidate stays invited (the employer decides as before)."""
    with write_transaction():
        rows, interview = _locked_interview(placement_id, version, by)
        if interview.cancelled_at is not None:
            raise StepRefused("interview_cancelled", _l("The interview is already cancelled."))
        interview.cancelled_at = clock.now()
        rows.placement.version += 1
        notices.interview(rows.placement, "interview_cancelled", by, interview.starts_at)
    return rows.placement


def set_inspector_note(placement_id: int, version: int, by: User, note: str) -> Placement:
    """The inspector's note to the employer on an open or active proposal."""
    with write_transaction():
        rows = _lock_placement(placement_id, version)
        _require(by, rows.candidate, rows.vacancy, employer=False, inspector=True)
        _require_state(rows.placement, *OPEN, *ACTIVE)
        rows.placement.inspector_note = note
        rows.placement.version += 1
        record("placement_note_set", rows.placement, user=by)
    return rows.placement


def decline(placement_id: int, version: int, by: User, reason: str, note: str = "") -> Placement:
    with write_transaction():
        rows = _lock_placement(placement_id, version)
        _require(by, rows.candidate, rows.vacancy, employer=True, inspector=False)
        _require_state(rows.placement, *STEP_FROM["decline"])
        _require_open_vacancy(rows.vacancy)
        _check_reason(reason, DECLINE_REASONS)
        rows.placement.reason_code = reason
        _move(rows.placement, "declined", by, reason=reason, note=note)
    return rows.placement


def hire(
    placement_id: int, version: int, by: User, start: date, on: date, part_time: bool = False
) -> Placement:
    """Hire within the vacancy's places and its workshop's; a second active job only when
    marked part-time."""
    with write_transaction():
        rows = _lock_placement(placement_id, version, employer=True)
        _require(by, rows.candidate, rows.vacancy, employer=True, inspector=True)
        _require_consent(rows.candidate)
        _require_state(rows.placement, *STEP_FROM["hire"])
        _require_open_vacancy(rows.vacancy)
        if start < clock.local_date(rows.placement.proposed_at):
            raise StepRefused(
                "start_before_proposal", _l("The start date cannot be before the proposal.")
            )
        _require_eligible(rows.candidate, rows.vacancy, on)
        _require_free_places(rows.vacancy)
        other_jobs = db.session.scalar(
            sa.select(sa.func.count()).where(
                Placement.candidate_id == rows.candidate.id,
                Placement.state.in_(ACTIVE),
                Placement.part_time.is_(False),
            )
        )
        if other_jobs and not part_time:
            raise StepRefused(
                "has_job",
                _l(
                    "The person already has a job. An inspector may record a "
                    "second job only as part-time."
                ),
            )
        if part_time and by.role not in (INSPECTOR, ADMIN):
            raise StepRefused(
                "part_time_by_inspector", _l("Only an inspector may record a part-time second job.")
            )
        rows.placement.hired_on = start
        rows.placement.part_time = part_time
        _move(rows.placement, "hired", by, on_date=start)
        _make_others_obsolete(rows.placement, by)
    return rows.placement


def workshop_places_taken(employer_ids: sa.Select | list[int]) -> dict[int, int]:
    """The places taken in each employer's workshop: its active placements across all its
    vacancies (what a hire is bounded by, with `workshop_capacity`). One aggregate query."""
    rows = db.session.execute(
        sa.select(Vacancy.employer_id, sa.func.count())
        .join(Placement, Placement.vacancy_id == Vacancy.id)
        .where(Vacancy.employer_id.in_(employer_ids), Placement.state.in_(ACTIVE))
        .group_by(Vacancy.employer_id)
    ).all()
    return dict(rows)


def _require_free_places(vacancy: Vacancy) -> None:
    """A free place in the vacancy, and in its employer's workshop when it has a capacity.
    The caller holds the vacancy and the employer rows locked (hire), so two hires into two
    vacancies of one workshop count one after the other."""
    hired = db.session.scalar(
        sa.select(sa.func.count()).where(
            Placement.vacancy_id == vacancy.id, Placement.state.in_(ACTIVE)
        )
    )
    if hired >= vacancy.places:
        raise StepRefused("places_taken", _l("All places of this vacancy are taken."))
    capacity = vacancy.employer.workshop_capacity
    if capacity is None:
        return
    taken = workshop_places_taken([vacancy.employer_id]).get(vacancy.employer_id, 0)
    if taken >= capacity:
        raise StepRefused(
            "workshop_full",
            _l(
                "All places of the workshop are taken (%(taken)s of %(capacity)s), across all "
                "its vacancies.",
                taken=format_number(taken),
                capacity=format_number(capacity),
            ),
        )


def _make_others_obsolete(hired: Placement, by: User) -> None:
    others = db.session.scalars(
        lock(
            Placement,
            Placement.candidate_id == hired.candidate_id,
            Placement.id != hired.id,
            Placement.state.in_(OPEN),
        )
    )
    for other in others:
        _move(other, "obsolete", by, caused_by=hired)


def end(
    placement_id: int, version: int, by: User, end_date: date, reason: str, note: str = ""
) -> Placement:
    with write_transaction():
        rows = _lock_placement(placement_id, version)
        _require(by, rows.candidate, rows.vacancy, employer=True, inspector=True)
        _require_state(rows.placement, *STEP_FROM["end"])
        _check_reason(reason, END_REASONS)
        if end_date < rows.placement.hired_on:
            raise StepRefused(
                "end_before_start", _l("The end date cannot be before the start date.")
            )
        rows.placement.ended_on = end_date
        rows.placement.reason_code = reason
        _move(rows.placement, "ended", by, on_date=end_date, reason=reason, note=note)
    return rows.placement


def withdraw(
    placement_id: int, version: int, by: User | None, reason: str, note: str = ""
) -> Placement:
    """The inspector withdraws an open proposal; `by=None` is the portal itself (rule change)."""
    with write_transaction():
        rows = _lock_placement(placement_id, version)
        if by is not None:
            _require(by, rows.candidate, rows.vacancy, employer=False, inspector=True)
        _require_state(rows.placement, *STEP_FROM["withdraw"])
        _check_reason(reason, WITHDRAW_REASONS)
        rows.placement.reason_code = reason
        _move(rows.placement, "withdrawn", by, reason=reason, note=note)
    return rows.placement


def _open_locked(which: sa.ColumnElement[bool]):
    """The open proposals among `which`, locked. Called inside the caller's transaction, right
    after a vacancy or candidate record changed (the change is in the session, so the rules see
    it); the vacancy or candidate row the caller updates serialises this with any other step."""
    return db.session.scalars(lock(Placement, which, Placement.state.in_(OPEN)))


def _withdrawn_by_the_portal(
    placement: Placement,
    reason: str,
    by: User | None = None,
    rule_codes: list[str] | None = None,
    **audit,
) -> None:
    placement.reason_code = reason
    _move(placement, "withdrawn", by, reason=reason, rule_codes=rule_codes)
    if rule_codes:
        audit["rules"] = ",".join(rule_codes)
    record(f"placement_withdrawn_{reason}", placement, user=by, **audit)


def close_unanswered(placement_id: int, version: int, days: int) -> Placement:
    """The portal closes a proposal the employer left unanswered for `days` days ("no
    answer", a withdrawal of its own), and tells the inspector."""
    with write_transaction():
        rows = _lock_placement(placement_id, version)
        _require_state(rows.placement, "proposed")
        _withdrawn_by_the_portal(rows.placement, "no_answer", days=days)
        notices.to_inspectors(rows.placement, "proposal_expired", days=days)
    return rows.placement


def withdraw_ineligible(which: sa.ColumnElement[bool], on: date) -> list[Placement]:
    """Withdraw the open proposals (among `which`) that the rules now exclude, with the reason
    (after a change of a candidate's record)."""
    withdrawn = []
    for placement in _open_locked(which):
        verdict = evaluate(
            facts_from_candidate(placement.candidate), facts_from_vacancy(placement.vacancy), on
        )
        if not verdict.eligible:
            codes = sorted({reason.code for reason in verdict.exclusions})
            _withdrawn_by_the_portal(placement, "ineligible", rule_codes=codes)
            withdrawn.append(placement)
    return withdrawn


def withdraw_all_open(
    which: sa.ColumnElement[bool], reason: str, by: User | None = None
) -> list[Placement]:
    """Withdraw every open proposal among `which`, eligible or not, at once: after the employer
    changed a vacancy's facts the rules read (which of its proposals the change excludes must
    not show to the employer, so all go back to the inspectors), or after a person withdrew
    their consent (`by`: who recorded it; the caller holds the candidate row locked)."""
    withdrawn = list(_open_locked(which))
    for placement in withdrawn:
        _withdrawn_by_the_portal(placement, reason, by)
    return withdrawn


def count_open(which: sa.ColumnElement[bool]) -> int:
    """How many proposals among `which` are still open (what withdraw_all_open would end)."""
    return db.session.scalar(sa.select(sa.func.count()).where(which, Placement.state.in_(OPEN)))
