"""What tests import: the suite's day, settings, reference rows by code, sign-in, translations.

The fixtures (apps, clients, factories, the frozen clock) are in conftest.py.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time

import sqlalchemy as sa
from flask import session
from flask_login import login_user

from portal import clock, create_app
from portal.auth.models import User
from portal.auth.sessions import start_session
from portal.extensions import db
from portal.reference.identifiers import complete
from portal.reference.models import District, Institution, Region


def _suite_day() -> date:
    """PORTAL_TEST_TODAY (YYYY-MM-DD) when set, else today in Kazakhstan as the run starts."""
    chosen = os.environ.get("PORTAL_TEST_TODAY")
    return date.fromisoformat(chosen) if chosen else clock.today()


# The day every test runs on (conftest.py freezes the clock at its noon, local time): tests state
# their dates relative to it, so the suite passes on any day; .ci/run moves it to other days.
TEST_TODAY = _suite_day()


def noon(day: date) -> datetime:
    """Noon of `day` in Kazakhstan: far from either midnight, so a test's "today" stays put."""
    return datetime.combine(day, time(12), clock.LOCAL_ZONE)


TEST_NOON = noon(TEST_TODAY)

PASSWORD = "correct horse battery"
# Hashed once: scrypt costs ~0.1 s a call, and test users all share this password.
PASSWORD_HASH = User.hash_password(PASSWORD)
BASE_CONFIG = {
    "TESTING": True,
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    "SECRET_KEY": "test-secret",
}
ASTANA, KARAGANDA = "710000000", "350000000"
serial = iter(range(10_000, 99_999))  # unique numbers for e-mails, BINs and IINs in one run


def migrate_and_load(url: str) -> None:
    """The same set-up as `make run`: migrations to head, then the reference data."""
    from flask_migrate import upgrade

    from portal.reference.loader import load_reference_data

    app = create_app(
        {**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "SEARCH_SYNC_AFTER_COMMIT": False}
    )
    with app.app_context():
        upgrade()
        load_reference_data()
        db.session.commit()
        db.engine.dispose()


def region(kato: str) -> Region:
    return db.session.scalar(sa.select(Region).where(Region.kato == kato))


def district(kato: str) -> District:
    return db.session.scalar(sa.select(District).where(District.kato == kato))


def institution(code: str) -> Institution:
    return db.session.scalar(sa.select(Institution).where(Institution.code == code))


def new_iin() -> str:
    """A valid IIN not used before in this test run (born 1 Jan 1990, a running serial)."""
    iin = None
    while iin is None:
        iin = complete(f"9001013{next(serial) % 10_000:04d}")
    return iin


def login(client, user_or_email, password: str = PASSWORD, environ_base=None, **extra):
    """Sign in through the form, password and all (the tests of signing in)."""
    email = getattr(user_or_email, "email", user_or_email)
    return client.post(
        "/auth/login",
        data={"email": email, "password": password, **extra},
        environ_base=environ_base or {},
    )


def sign_in(client, user_or_email: User | str) -> None:
    """Sign in on `client` by giving it the session a successful sign-in leaves.

    For the tests that are not about signing in: no password check (scrypt), no form.
    """
    user = user_or_email
    if isinstance(user, str):
        user = db.session.scalar(sa.select(User).where(User.email == user))
    with client.application.test_request_context(environ_base=client.environ_base):
        login_user(user)
        start_session(user)
        signed_in = dict(session)
    with client.session_transaction() as saved:
        saved.update(signed_in)


def page_text(client, path: str, **kwargs) -> str:
    """The HTML of a page that must be served (200): a negative check on the text of a
    redirect or an error page would pass for the wrong reason."""
    response = client.get(path, **kwargs)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def translated(app, text, lang: str = "kk", **variables) -> str:
    """A message (a msgid, or a lazy string) as the user reading `lang` sees it."""
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale(lang):
        return gettext(text, **variables) if isinstance(text, str) else str(text)


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL statements run inside the block, on any engine (the web app has its own)."""
    seen: list[str] = []

    def listener(_conn, _cursor, statement, *_args):
        seen.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", listener)
