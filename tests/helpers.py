"""What tests import: the suite's day, settings, reference rows by code, sign-in, translations.

The fixtures (apps, clients, factories, the frozen clock) are in conftest.py.
"""

import difflib
import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time

import sqlalchemy as sa
from cryptography.fernet import Fernet
from flask import session

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


def _run_key(name: str, make) -> str:
    """A key made afresh for each run (nothing may rely on a known key), and the same in the
    processes the tests start (they inherit the environment): they read what this one wrote."""
    return os.environ.setdefault(f"PORTAL_TEST_{name}", make())


BASE_CONFIG = {
    "TESTING": True,
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    "SECRET_KEY": _run_key("SECRET_KEY", lambda: secrets.token_hex(32)),
    "TOTP_ENCRYPTION_KEY": _run_key("TOTP_KEY", lambda: Fernet.generate_key().decode()),
    "DATA_ENCRYPTION_KEYS": _run_key("DATA_KEYS", lambda: Fernet.generate_key().decode()),
    "DATA_HASH_KEY": _run_key("DATA_HASH_KEY", lambda: secrets.token_hex(32)),
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


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # a test user's second factor (enrolled())


def enrolled(user: User, secret: str = TOTP_SECRET) -> User:
    """`user` with the second factor turned on (as if enrolled), committed."""
    from portal.auth import second_factor

    user.totp_secret = second_factor.encrypt(secret)
    user.totp_enrolled_at = clock.now()
    db.session.commit()
    return user


def totp_now(secret: str = TOTP_SECRET, offset_steps: int = 0) -> str:
    """The code an authenticator app shows now (on the portal's clock), or `offset_steps` away."""
    import pyotp

    return pyotp.TOTP(secret).at(clock.timestamp() + 30 * offset_steps)


def login_with_code(client, user, code: str | None = None, password: str = PASSWORD):
    """Sign in through both forms: the password, then the code (the current one by default)."""
    login(client, user, password)
    return client.post("/auth/second-factor", data={"code": code or totp_now()})


def sign_in(client, user_or_email: User | str) -> None:
    """Sign in on `client` by giving it the session a successful sign-in leaves.

    For the tests that are not about signing in: no password check (scrypt), no form.
    """
    user = user_or_email
    if isinstance(user, str):
        user = db.session.scalar(sa.select(User).where(User.email == user))
    db.session.refresh(user)  # the current session version (a sign-out bumps it)
    with client.application.test_request_context(environ_base=client.environ_base):
        start_session(user)  # signed in with every factor the user has, as after the code
        signed_in = dict(session)
    with client.session_transaction() as saved:
        saved.update(signed_in)


def page_text(client, path: str, **kwargs) -> str:
    """The HTML of a page that must be served (200): a negative check on the text of a
    redirect or an error page would pass for the wrong reason."""
    response = client.get(path, **kwargs)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


CSRF_TOKEN = re.compile(
    r'(?<=name="csrf_token" value=")[^"]*|(?<=name="csrf-token" content=")[^"]*'
)


def masked(html: str, replacements: dict[str, str]) -> str:
    """A page with each `replacements` key written as its value, and no CSRF token (they
    differ from page to page): what stays is what the reader learns."""
    for secret, placeholder in replacements.items():
        html = html.replace(secret, placeholder)
    return CSRF_TOKEN.sub("", html)


def assert_same_pages(pages: dict[str, str]) -> None:
    """Every page of `pages` ({name: html}) reads the same as the first, with the diff shown."""
    (first_name, first), *others = pages.items()
    for name, html in others:
        diff = difflib.unified_diff(first.splitlines(), html.splitlines(), first_name, name)
        assert html == first, "\n".join(diff)


def translated(app, text, lang: str = "kk", **variables) -> str:
    """A message (a msgid, or a lazy string) as the user reading `lang` sees it."""
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale(lang):
        return gettext(text, **variables) if isinstance(text, str) else str(text)


# Curfew boundaries, (curfew, shift, minutes for the way home, excluded), for the pure rule
# (test_eligibility.py) and its SQL form on both databases (test_sql_filters.py) alike.
CURFEW_CASES = [
    # The way home: a shift must end `minutes` before the curfew starts.
    (("23:00", "06:00"), ("14:00", "22:00"), 60, False),
    (("23:00", "06:00"), ("14:00", "22:01"), 60, True),
    (("23:00", "06:00"), ("09:00", "22:45"), 60, True),  # passed before the margin
    (("23:00", "06:00"), ("09:00", "22:45"), 0, False),
    # The way to work: a shift may start `minutes` after the curfew ends.
    (("23:00", "06:00"), ("07:00", "15:00"), 60, False),
    (("23:00", "06:00"), ("06:59", "15:00"), 60, True),
    (("23:00", "06:00"), ("06:00", "15:00"), 0, False),
    # Across midnight: the way home after midnight, the way to work before it.
    (("00:30", "05:00"), ("18:00", "23:30"), 60, False),
    (("00:30", "05:00"), ("18:00", "23:31"), 60, True),
    (("02:00", "05:00"), ("20:00", "01:00"), 60, False),  # night shift ends 1 h before
    (("02:00", "05:00"), ("20:00", "01:01"), 60, True),
    (("22:00", "23:30"), ("00:30", "08:00"), 60, False),  # curfew ends before midnight
    (("22:00", "23:30"), ("00:29", "08:00"), 60, True),
    # A day curfew, other margins.
    (("13:00", "15:00"), ("08:00", "12:30"), 30, False),
    (("13:00", "15:00"), ("08:00", "12:31"), 30, True),
    (("13:00", "15:00"), ("15:30", "20:00"), 30, False),
    (("13:00", "15:00"), ("15:29", "20:00"), 30, True),
    (("13:00", "15:00"), ("15:01", "20:00"), 1, False),
    # Widened by the margin to 24 h or more, a shift leaves no time outside it.
    (("23:59", "00:01"), ("01:00", "23:00"), 59, False),  # [00:01, 23:59) touches it
    (("23:59", "00:01"), ("01:00", "23:00"), 60, True),  # 22 h + 2 h = the whole day
    (("12:00", "12:01"), ("08:00", "08:00"), 0, True),  # a 24 h shift, as before
    (("22:00", "06:00"), ("08:00", "08:00"), 60, True),
    # An all-day curfew leaves no shift, whatever the margin.
    (("09:00", "09:00"), ("10:00", "11:00"), 0, True),
    (("09:00", "09:00"), ("10:00", "11:00"), 60, True),
]


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
