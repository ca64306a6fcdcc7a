"""A person's consent to be proposed to employers, on record (Law of the Republic of Kazakhstan
"On personal data and their protection"): each grant and withdrawal is an entry of the history
(ConsentEvent), with the day the person gave or withdrew it, the version of the text, how it was
given, who recorded it and when. Candidate.consent, which lists and SQL filters read, is written
here only, together with the entry.

A withdrawal stops everything at once: in the same transaction the person's open proposals are
withdrawn through the placement life cycle. Each operation is one transaction with its audit
row; it locks the candidate row first, as every step of the life cycle does.
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from portal import clock
from portal.auth.audit import record
from portal.auth.models import User
from portal.candidates.consent_texts import CONSENT_TEXTS, CURRENT_VERSION
from portal.candidates.models import Candidate, ConsentEvent
from portal.candidates.vocabulary import CHOSEN_METHODS, GRANT, WITHDRAWAL
from portal.database import lock, write_transaction
from portal.extensions import db
from portal.placements import lifecycle
from portal.placements.models import Placement


class ConsentRefused(Exception):
    """An entry that may not be recorded: a stable `code`, a `message` for the user, and the
    `field` of the form it is about (None: the entry as a whole)."""

    def __init__(self, code: str, message, field: str | None = None):
        super().__init__(code)
        self.code = code
        self.message = message
        self.field = field


def history(candidate_id: int) -> list[ConsentEvent]:
    """The entries in the order they happened (the person's dates, then as recorded)."""
    return list(
        db.session.scalars(
            sa.select(ConsentEvent)
            .where(ConsentEvent.candidate_id == candidate_id)
            .order_by(ConsentEvent.on_date, ConsentEvent.id)
        )
    )


def _last(candidate_id: int) -> ConsentEvent | None:
    return db.session.scalar(
        sa.select(ConsentEvent)
        .where(ConsentEvent.candidate_id == candidate_id)
        .order_by(ConsentEvent.on_date.desc(), ConsentEvent.id.desc())
        .limit(1)
    )


def _check_entry(candidate: Candidate, on_date: date | None, method: str) -> None:
    """The checks the forms make too: an operation never trusts its caller."""
    if on_date is None:
        raise ConsentRefused("no_date", _l("Enter the date."), "on_date")
    if on_date > clock.today():
        raise ConsentRefused("future_date", _l("The date cannot be in the future."), "on_date")
    if method not in CHOSEN_METHODS:
        raise ConsentRefused("unknown_method", _l("Choose one of the ways listed."), "method")
    last = _last(candidate.id)
    if last is not None and on_date < last.on_date:
        raise ConsentRefused(
            "before_last_entry",
            _l("The date cannot be before the last entry of the consent history."),
            "on_date",
        )


def _add(candidate: Candidate, by: User | None, kind: str, on_date, method, text_version):
    event = ConsentEvent(
        candidate_id=candidate.id,
        kind=kind,
        on_date=on_date,
        method=method,
        text_version=text_version,
        recorded_by_id=by.id if by is not None else None,
    )
    db.session.add(event)
    candidate.consent = kind == GRANT
    db.session.flush()
    return event


def add_grant(
    candidate: Candidate, by: User, *, on_date: date | None, method: str, text_version: str
) -> ConsentEvent:
    """Record a grant inside the caller's transaction (a new record's first consent uses it;
    otherwise call grant_consent). A grant while consenting records a newer agreement."""
    _check_entry(candidate, on_date, method)
    if text_version not in CONSENT_TEXTS:
        raise ConsentRefused(
            "unknown_version", _l("Choose a version of the consent text."), "text_version"
        )
    event = _add(candidate, by, GRANT, on_date, method, text_version)
    record(
        "consent_granted",
        candidate,
        user=by,
        event_id=event.id,
        on_date=on_date.isoformat(),
        method=method,
        text_version=text_version,
    )
    return event


def loaded_grant(candidate: Candidate, on_date: date) -> ConsentEvent:
    """The grant of a record loaded as data (demo data, test factories): the entry a signed
    paper form of the current text leaves, recorded by nobody, in the loader's transaction."""
    if candidate.id is None:
        db.session.add(candidate)
        db.session.flush()
    return _add(candidate, None, GRANT, on_date, "paper_form", CURRENT_VERSION)


def grant_consent(
    candidate: Candidate, by: User, *, on_date: date | None, method: str, text_version: str
) -> ConsentEvent:
    with write_transaction():
        candidate = db.session.scalar(lock(Candidate, Candidate.id == candidate.id))
        event = add_grant(candidate, by, on_date=on_date, method=method, text_version=text_version)
    return event


def check_withdrawal(candidate: Candidate, *, on_date: date | None, method: str) -> None:
    """Raise ConsentRefused if this withdrawal could not be recorded (asked before the user
    confirms it; withdraw_consent checks again in its transaction)."""
    if not candidate.consent:
        raise ConsentRefused(
            "not_consenting", _l("There is no consent to withdraw: it is not given now.")
        )
    _check_entry(candidate, on_date, method)


def withdraw_consent(
    candidate: Candidate,
    by: User,
    *,
    on_date: date | None,
    method: str,
    expected_open: int | None = None,
) -> tuple[ConsentEvent, list[Placement]]:
    """Record the withdrawal and withdraw the person's open proposals, in one transaction.

    `expected_open`: the number of open proposals the user was told would be withdrawn; if it
    is no longer that, nothing is done (the user confirms again with the new number).
    """
    with write_transaction():
        candidate = db.session.scalar(lock(Candidate, Candidate.id == candidate.id))
        check_withdrawal(candidate, on_date=on_date, method=method)
        if expected_open is not None and open_proposals(candidate.id) != expected_open:
            raise ConsentRefused(
                "open_changed",
                _l("The open proposals have changed since the page was opened. Confirm again."),
            )
        last = _last(candidate.id)
        version = last.text_version if last is not None and last.kind == GRANT else None
        event = _add(candidate, by, WITHDRAWAL, on_date, method, version)
        withdrawn = lifecycle.withdraw_all_open(
            Placement.candidate_id == candidate.id, "consent_withdrawn", by
        )
        record(
            "consent_withdrawn",
            candidate,
            user=by,
            event_id=event.id,
            on_date=on_date.isoformat(),
            method=method,
            text_version=version,
            placements=[placement.id for placement in withdrawn],
        )
    return event, withdrawn


def open_proposals(candidate_id: int) -> int:
    """The person's open proposals: what a withdrawal of consent ends."""
    return lifecycle.count_open(Placement.candidate_id == candidate_id)
