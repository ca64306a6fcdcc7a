"""Issuing, revoking and checking personal API tokens. Each change in write_transaction(),
audited.

A token is "prt_" and 43 URL-safe characters (256 random bits); the database keeps its
SHA-256 digest and its first characters, so a lost database reveals no usable token.
"""

import hashlib
import secrets
from datetime import date, datetime, time

import sqlalchemy as sa

from portal import clock
from portal.api.models import ApiToken
from portal.auth.audit import record
from portal.auth.models import User
from portal.database import write_transaction
from portal.extensions import db

PREFIX = "prt_"
SHOWN_CHARS = 10  # "prt_" and six more: enough to tell a user's tokens apart in a list


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def end_of(day: date) -> datetime:
    """A token valid "until" a day works to that day's end, local time."""
    return datetime.combine(day, time.max, clock.LOCAL_ZONE)


def issue(user: User, name: str, until: date, by: User) -> tuple[ApiToken, str]:
    """A new token for `user`; the secret is returned here and never again."""
    secret = PREFIX + secrets.token_urlsafe(32)
    with write_transaction():
        token = ApiToken(
            user_id=user.id,
            name=name,
            digest=digest(secret),
            prefix=secret[:SHOWN_CHARS],
            created_by_id=by.id,
            expires_at=end_of(until),
        )
        db.session.add(token)
        db.session.flush()
        record("api_token_issued", token, user=by, for_user=user.id, until=until.isoformat())
    return token, secret


def revoke(token: ApiToken, by: User) -> None:
    with write_transaction():
        if token.revoked_at is None:
            token.revoked_at, token.revoked_by_id = clock.now(), by.id
            record("api_token_revoked", token, user=by, for_user=token.user_id)


def user_for(secret: str) -> tuple[User, ApiToken] | None:
    """The active user a usable token belongs to, or None (unknown, expired, revoked, or the
    account disabled: a disabled user's tokens stop working with their sessions)."""
    if not secret.startswith(PREFIX):
        return None
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.digest == digest(secret)))
    now = clock.now()
    if token is None or not token.usable(now) or not token.user.active:
        return None
    return token.user, token


def tokens_of_all() -> sa.Select:
    return sa.select(ApiToken).order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())
