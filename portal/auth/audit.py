"""The audit log: one call records who did or read what, in the caller's transaction.

`record` adds a row to the caller's change; `read` is the one way a page that shows people
writes who saw whom: one row per request, with the ids shown and the filters asked for (and
one row of audit_shown per person shown, for their copy); `record_refusal` writes a row that
is the whole change (a refused sign-in, a rate limit).
"""

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from cryptography.fernet import InvalidToken
from flask import has_request_context, request
from flask_login import current_user

from portal import data_crypto
from portal.auth.models import AuditEntry, AuditShown, User
from portal.database import write_transaction
from portal.extensions import db

# Words typed to find a person (an IIN, a name) are as personal as the record's own fields:
# sealed in the log with the same keys (portal/data_crypto.py); `opened` reads them back.
TYPED = ("q", "query")
SEALED = "sealed"
UNREADABLE = "•••"  # sealed with a key dropped before `flask data reencrypt` reached it


def sealed(details: dict, keys: data_crypto.Keyring | None = None) -> dict:
    """The details with what was typed (top level, or among the filters) encrypted."""
    keys = keys or data_crypto.current()

    def seal(found: dict) -> dict:
        return {
            name: {SEALED: keys.encrypt(value)}
            if name in TYPED and isinstance(value, str) and value
            else value
            for name, value in found.items()
        }

    details = seal(details)
    if isinstance(details.get("filters"), dict):
        details["filters"] = seal(details["filters"])
    return details


def _each_sealed(value, change):
    if isinstance(value, dict):
        if set(value) == {SEALED}:
            return change(value[SEALED])
        return {name: _each_sealed(item, change) for name, item in value.items()}
    return [_each_sealed(item, change) for item in value] if isinstance(value, list) else value


def opened(value, keys: data_crypto.Keyring | None = None):
    """Details as they were recorded, sealed words decrypted (for the log's readers)."""
    keys = keys or data_crypto.current()

    def open_(token: str) -> str:
        try:
            return keys.decrypt(token)
        except InvalidToken:
            return UNREADABLE

    return _each_sealed(value, open_)


def resealed(value, keys: data_crypto.Keyring):
    """The same details, each sealed word encrypted with the newest key (`flask data reencrypt`)."""
    return _each_sealed(value, lambda token: {SEALED: keys.rotate(token)})


def _row(action: str, obj, user: User | None, details: dict) -> dict:
    """The columns of an audit row; `user` defaults to the signed-in one."""
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    return {
        "action": action,
        "user_id": user.id if user is not None else None,
        "object_type": obj.__tablename__ if obj is not None else None,
        "object_id": obj.id if obj is not None else None,
        "ip": request.remote_addr if has_request_context() else None,
        "details": sealed(details),
    }


def record(action: str, obj=None, *, user: User | None = None, **details) -> AuditEntry:
    """Add an audit row to the current session; the caller's commit writes it with the change."""
    entry = AuditEntry(**_row(action, obj, user, details))
    db.session.add(entry)
    return entry


def record_refusal(action: str, obj=None, *, user: User | None = None, **details) -> None:
    """Record something refused or tried (a wrong code, a rate limit): the audit row is the
    whole change, written at once in a transaction of its own."""
    with write_transaction():
        record(action, obj, user=user, **details)


def query_filters() -> dict:
    """The request's query string as the page was asked for it (a list where a name repeats);
    empty values, which filter nothing, are left out."""
    found = {}
    if not has_request_context():
        return found
    for name, values in request.args.lists():
        values = [value for value in values if value != ""]
        if values:
            found[name] = values[0] if len(values) == 1 else values
    return found


def read(action: str, shown: Iterable[int], obj=None, *, user: User | None = None, **details):
    """A page that shows people was read: who (the signed-in user), what (`action`, `obj`),
    the ids of the people shown on it and the filters, in one row committed at once (a read
    has no transaction of its own for it to join). Each person shown also gets a row of
    audit_shown, by which their copy finds the lists they appeared in."""
    shown = sorted(set(shown))
    reads = request.environ.get(READS_KEY) if has_request_context() else None
    if reads is not None:  # a page being kept (page_cache.py): its reads go with it
        reads.append((action, shown, obj and Named(obj.__tablename__, obj.id), details))
    # Two statements, not objects: the ORM's flush of the entry and its rows took two thirds
    # of a kept matching page's time (pyinstrument, bench.page_cpu).
    row = _row(action, obj, user, {"shown": shown, "filters": query_filters(), **details})
    audit_id = db.session.execute(_INSERT_ENTRY, row).scalar_one()
    if shown:
        rows = [{"audit_id": audit_id, "candidate_id": person} for person in shown]
        db.session.execute(_INSERT_SHOWN, rows)
    commit_read()


_INSERT_ENTRY = sa.insert(AuditEntry.__table__).returning(AuditEntry.__table__.c.id)
_INSERT_SHOWN = sa.insert(AuditShown.__table__)


READS_KEY = "portal.audit_reads"


@dataclass(frozen=True)
class Named:
    """What an audit row names of an object: its table and id."""

    __tablename__: str
    id: int


def read_again(reads: tuple) -> None:
    """The reads a kept page recorded when it was built, recorded again for this showing of
    it (by the user who asks now: the page is only ever served to the session it was built
    for)."""
    for action, shown, obj, details in reads:
        read(action, shown, obj, **details)


def commit_read() -> None:
    """Commit the audit row of a page that reads, leaving what the page loaded as loaded: a
    plain commit expires it, and the template then reloads every row it touches, one query
    each (the matching page: 141 statements instead of 30). The page changed nothing, so what
    it loaded is what the database holds."""
    session = db.session()
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire
