"""Per-account back-off for sign-in: after a few failures for one e-mail, from any address,
each next try waits, the wait doubling up to a ceiling. It slows a guesser to a crawl without
locking the owner out for long; the per-address limits (Flask-Limiter, views.py) stop one
address from trying many accounts. Kept by the typed e-mail, known or not, so that it answers
the same for accounts that do not exist."""

import math

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from portal import clock
from portal.auth import accounts  # the module: accounts.py calls this one's functions
from portal.auth.models import LoginBackoff
from portal.extensions import db


def key(email: str) -> str:
    return accounts.normal_email(email)[:254]


def wait_seconds(email: str) -> int:
    """Seconds before the next try for `email` is heard (0: now)."""
    row = db.session.get(LoginBackoff, key(email))
    free = current_app.config["LOGIN_BACKOFF_FREE"]
    if row is None or row.failures < free:
        return 0
    delay = min(2 ** (row.failures - free + 1), current_app.config["LOGIN_BACKOFF_MAX_SECONDS"])
    waited = (clock.now() - row.last_failed_at).total_seconds()
    return max(0, math.ceil(delay - waited))


def failed(email: str) -> None:
    """Count a failure in one statement (concurrent failures are all counted); the first
    failure's row is inserted in a savepoint, so two inserting at once is no error."""
    now = clock.now()
    count = (
        sa.update(LoginBackoff)
        .where(LoginBackoff.email == key(email))
        .values(failures=LoginBackoff.failures + 1, last_failed_at=now)
    )
    if db.session.execute(count).rowcount:
        return
    try:
        with db.session.begin_nested():
            db.session.add(LoginBackoff(email=key(email), failures=1, last_failed_at=now))
    except IntegrityError:
        db.session.execute(count)


def succeeded(email: str) -> None:
    db.session.execute(sa.delete(LoginBackoff).where(LoginBackoff.email == key(email)))
