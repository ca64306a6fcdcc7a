"""An organisation's life before it may post: registration, corrections, approval or rejection.

Each operation runs inside write_transaction() and records its audit rows; register() is
the part of register_unless_taken() that adds the rows, in the caller's transaction.
"""

import sqlalchemy as sa

from portal import clock
from portal.auth.accounts import normal_email
from portal.auth.audit import record
from portal.auth.models import EMPLOYER, User
from portal.database import write_transaction
from portal.employers.models import Employer
from portal.extensions import db
from portal.notifications.notify import employer_users, notify
from portal.reference.models import District

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
# Once approved, an organisation's identity is fixed for its own users (staff may correct it).
LOCKED_AFTER_APPROVAL = ("bin", "district_id")


class DecisionError(Exception):
    """A decision that the organisation's current status does not allow."""


def bin_taken(bin_: str, except_id: int | None = None) -> bool:
    query = sa.select(Employer.id).where(Employer.bin == bin_)
    if except_id is not None:
        query = query.where(Employer.id != except_id)
    return db.session.scalar(query) is not None


def email_taken(email: str) -> bool:
    query = sa.select(User.id).where(sa.func.lower(User.email) == normal_email(email))
    return db.session.scalar(query) is not None


def _text(value) -> str | None:
    return None if value is None else str(value)


def _apply(employer: Employer, values: dict) -> dict[str, list[str]]:
    """Set the organisation's fields; returns what changed as {field: [old, new]}."""
    if "district_id" in values:
        district = db.session.get(District, values["district_id"])
        values = {**values, "region_id": district.region_id}
    changed = {}
    for name, value in values.items():
        old = getattr(employer, name)
        if old != value:
            changed[name] = [_text(old), _text(value)]
            setattr(employer, name, value)
    return changed


def register(values: dict, *, email: str, password: str, locale: str | None) -> User:
    """A pending organisation and its first employer user, in the caller's transaction."""
    employer = Employer(status=PENDING)
    _apply(employer, values)
    db.session.add(employer)
    db.session.flush()
    user = User(
        email=normal_email(email),
        full_name=employer.contact_person,
        role=EMPLOYER,
        employer_id=employer.id,
        locale=locale,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record("employer_registered", employer, user=user, bin=employer.bin)
    record("user_created", user, user=user, role=EMPLOYER, via="registration")
    return user


def register_unless_taken(values: dict, *, email: str, password: str, locale: str | None) -> None:
    """register(), unless the e-mail has an account: then nothing but the same password hash
    (the same time taken) and an audit row for whoever investigates."""
    with write_transaction():
        if email_taken(email):
            User.hash_password(password)
            record("registration_email_taken", email=normal_email(email), bin=values.get("bin"))
        else:
            register(values, email=email, password=password, locale=locale)


def update(employer: Employer, values: dict, *, by_staff: bool) -> dict[str, list[str]]:
    """Correct the organisation's details; a rejected organisation's correction is re-submitted."""
    with write_transaction():
        if employer.status == APPROVED and not by_staff:
            values = {k: v for k, v in values.items() if k not in LOCKED_AFTER_APPROVAL}
        changed = _apply(employer, values)
        if employer.status == REJECTED and not by_staff:
            employer.status = PENDING
            changed["status"] = [REJECTED, PENDING]
        if changed:
            record("employer_updated", employer, changed=changed)
        return changed


def approve(employer: Employer, by: User) -> None:
    _decide(employer, APPROVED, by, None)


def reject(employer: Employer, by: User, reason: str) -> None:
    _decide(employer, REJECTED, by, reason)


def _decide(employer: Employer, status: str, by: User, reason: str | None) -> None:
    """Only a pending organisation is decided on (a rejected one returns by correcting itself)."""
    with write_transaction():
        if employer.status != PENDING:
            raise DecisionError(employer.status)
        employer.status = status
        employer.rejection_reason = reason
        employer.decided_at = clock.now()
        employer.decided_by_id = by.id
        record(f"employer_{status}", employer, user=by, **({"reason": reason} if reason else {}))
        notify(employer_users(employer.id), f"employer_{status}", "employer", employer.id)
