"""The audit log: one call records who did or read what, in the caller's transaction."""

from flask import has_request_context, request
from flask_login import current_user

from portal.auth.models import AuditEntry, User
from portal.extensions import db


def record(action: str, obj=None, *, user: User | None = None, **details) -> AuditEntry:
    """Add an audit row to the current session; the caller's commit writes it with the change."""
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    entry = AuditEntry(
        action=action,
        user_id=user.id if user is not None else None,
        object_type=obj.__tablename__ if obj is not None else None,
        object_id=obj.id if obj is not None else None,
        ip=request.remote_addr if has_request_context() else None,
        details=details,
    )
    db.session.add(entry)
    return entry
