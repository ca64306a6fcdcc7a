"""Operations on the main record: create, update, and audited reads. One commit each.

The audit rows say what changed. Values are logged only for fields an administrator sees on
the record anyway (codes, ids, dates of the procedure); free text and the birth date only by
name, the IIN masked.
"""

from datetime import date

import sqlalchemy as sa

from portal.auth.audit import commit_read, record
from portal.auth.models import INSPECTOR, User
from portal.candidates.consent import add_grant
from portal.candidates.identity import mask_iin, new_code
from portal.candidates.models import Candidate
from portal.candidates.scope import candidate_filter
from portal.candidates.sections import changing
from portal.database import write_transaction
from portal.extensions import db

LOGGED_VALUES = frozenset(
    {
        "status",
        "institution_id",
        "region_id",
        "district_id",
        "release_date",
        "available_from",
        "languages",
    }
)


def _loggable(name: str, value):
    if name == "iin":
        return mask_iin(value)
    return value.isoformat() if isinstance(value, date) else value


def _keep_in_scope(candidate: Candidate, user: User) -> None:
    """An inspector's record stays in their scope, whatever the form sent."""
    if user.role == INSPECTOR:
        candidate.region_id = user.region_id
        if user.institution_id is not None:
            candidate.institution_id = user.institution_id


def add_candidate(user: User, values: dict, consent: dict | None = None) -> Candidate:
    """A new record with a fresh pseudonymous code, in the caller's transaction; the offence
    section starts unknown.

    `consent`: the person's first grant, if given (on_date, method, text_version), recorded
    with it; without it the record starts without consent."""
    candidate = Candidate(
        code=new_code(), created_by_id=user.id, **{"offences_recorded": False, **values}
    )
    _keep_in_scope(candidate, user)
    db.session.add(candidate)
    db.session.flush()
    record(
        "candidate_created",
        candidate,
        user=user,
        code=candidate.code,
        status=candidate.status,
        region_id=candidate.region_id,
        institution_id=candidate.institution_id,
    )
    if consent is not None:
        add_grant(candidate, user, **consent)
    return candidate


def create_candidate(user: User, values: dict, consent: dict | None = None) -> Candidate:
    """A new record (add_candidate), committed."""
    with write_transaction():
        candidate = add_candidate(user, values, consent)
    return candidate


def update_candidate(candidate: Candidate, user: User, values: dict) -> list[str]:
    """Set the main record's fields; returns the names of those that changed."""
    watched = set(values) | {"region_id", "institution_id"}
    with changing(candidate):
        before = {name: getattr(candidate, name) for name in watched}
        for name, value in values.items():
            setattr(candidate, name, value)
        _keep_in_scope(candidate, user)
        changed = sorted(name for name in watched if getattr(candidate, name) != before[name])
        if changed:
            record(
                "candidate_updated",
                candidate,
                fields=changed,
                values={
                    name: [_loggable(name, before[name]), _loggable(name, getattr(candidate, name))]
                    for name in changed
                    if name in LOGGED_VALUES or name == "iin"
                },
            )
    return changed


def record_iin_conflict(user, holder_id: int, page: str) -> None:
    """An IIN typed that another record holds: who tried it, on which page, and whose record
    it is (the user was told neither), whether or not the record is in their scope."""
    in_scope = sa.exists().where(Candidate.id == holder_id, candidate_filter(user))
    with write_transaction():
        holder = db.session.get(Candidate, holder_id)
        record(
            "candidate_probe",
            holder,
            user=user,
            page=page,
            in_scope=db.session.scalar(in_scope.select()),
        )


def record_view(candidate: Candidate, page: str) -> None:
    """Every page that shows a record writes who read it (docs/design.md "Least data")."""
    record("candidate_viewed", candidate, page=page)
    commit_read()
