"""Flask-Login wiring: session ids carry a version (so sessions can be ended), timeouts, and
the half-signed-in state between the password and the second factor.

A session is started afresh (emptied: a new CSRF secret too) at every sign-in and every change
of privilege; signing out bumps the version, so a cookie copied before is worth nothing.
"""

import time
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Flask, current_app, flash, make_response, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_user, logout_user

from portal import clock, generation
from portal.auth import kept_forms
from portal.auth.models import User
from portal.extensions import db, htmx


def load_user(session_id: str) -> User | None:
    """Accept "<id>:<version>" only while the version is current and the account active."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = _known_users.get(int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


class _KnownUsers:
    """Each worker's copy of the accounts it has read, each worth as long as no write has
    committed since (portal/generation.py) and at most PAGE_CACHE_SECONDS: a signed-in
    request then costs no query for its user. Its columns only: a page that shows the
    organisation or district loads it then (the eager joins of User would cost every request)."""

    def __init__(self, size: int = 1024) -> None:
        self._rows: dict[tuple, tuple[int, float, dict]] = {}  # (database, id) → copy
        self._size = size

    def get(self, user_id: int) -> User | None:
        counter = generation.for_request()
        session = db.session()
        # (class, primary key, token): SQLAlchemy's identity key, built without its lookups
        present = session.identity_map.get((User, (user_id,), None))
        if present is not None:
            return present
        key = (current_app.config["SQLALCHEMY_DATABASE_URI"], user_id)  # a str's hash is kept
        kept = self._rows.get(key)
        if counter is not None and kept and kept[0] == counter and kept[1] > time.monotonic():
            # Built as SQLAlchemy builds a row it loads (its columns set, no __init__ and its
            # events: 20 µs less), then made as if loaded: it joins the session as it is.
            copy = so.class_mapper(User).class_manager.new_instance()
            copy.__dict__.update(kept[2])
            so.make_transient_to_detached(copy)
            session.add(copy)
            return copy
        user = session.scalar(sa.select(User).where(User.id == user_id).options(so.lazyload("*")))
        if user is not None and counter is not None:
            if len(self._rows) >= self._size:
                self._rows.clear()
            columns = {c.key: getattr(user, c.key) for c in so.class_mapper(User).column_attrs}
            expires = time.monotonic() + current_app.config["PAGE_CACHE_SECONDS"]
            self._rows[key] = (counter, expires, columns)
        return user


_known_users = _KnownUsers()


def _fresh_session() -> float:
    """Empty the session (the CSRF secret goes with it); returns the time it starts."""
    session.clear()
    session.permanent = True
    return clock.timestamp()


def start_session(user: User) -> None:
    """Sign `user` in on a fresh permanent session with its own clock (password and second
    factor passed, or a privilege changed)."""
    now = _fresh_session()
    login_user(user)
    session["started_at"] = now
    session["seen_at"] = now


def end_sessions(user: User) -> None:
    """Sign out: every session of `user` ends on the server, this one included."""
    user.end_other_sessions()
    logout_user()
    session.clear()


PENDING_KEY = "second_factor_for"


def start_pending(user: User) -> None:
    """Password passed, second factor not yet: a fresh session that names the user and the
    session version, and signs no one in."""
    now = _fresh_session()
    session[PENDING_KEY] = user.get_id()
    session["pending_since"] = now


def pending_user() -> User | None:
    """The user between password and second factor, while that state is young enough."""
    session_id = session.get(PENDING_KEY)
    if session_id is None:
        return None
    limit = current_app.config["SECOND_FACTOR_MINUTES"] * 60
    if clock.timestamp() - session.get("pending_since", 0) > limit:
        return None
    return load_user(session_id)


# The idle clock is moved in the cookie at most once a minute on pages only read (a cookie
# signed again and sent on every request took 14 % of a kept page's time, py-spy on gunicorn):
# a session so ends between SESSION_IDLE_MINUTES and a minute more after its last request,
# never sooner. A form sent ("stay signed in" too) moves it at once.
SEEN_STEP_SECONDS = 60


def enforce_timeouts():
    """End a session idle longer than the idle limit, or older than the absolute limit."""
    if not current_user.is_authenticated or request.endpoint == "static":
        return None
    if "_user_id" not in session:  # signed in by an API token (portal/api/auth.py): no session
        return None
    now = clock.timestamp()
    started, seen = session.get("started_at", 0), session.get("seen_at", 0)
    if now - seen > idle_seconds() + SEEN_STEP_SECONDS or now - started > absolute_seconds():
        # Before the session goes: a form sent now is kept for its user (kept_forms.py).
        kept_page = kept_forms.keep(current_user.id)
        logout_user()
        session.clear()
        if kept_page is not None:
            flash(KEPT, "warning")
        else:
            flash(_l("Your session has expired. Please sign in again."), "warning")
        if request.method != "GET":
            back = kept_page
        else:  # the sign-in pages themselves are no page to come back to
            back = request.full_path if request.blueprint != "auth" else None
        return to_whole_page(url_for("auth.login", next=back))
    if request.method not in ("GET", "HEAD") or now - seen >= SEEN_STEP_SECONDS:
        session["seen_at"] = now
    return None


KEPT = _l("Your session had ended. What you typed is kept: sign in again to see it and save it.")


def idle_seconds() -> int:
    return current_app.config["SESSION_IDLE_MINUTES"] * 60


def absolute_seconds() -> int:
    return current_app.config["SESSION_ABSOLUTE_HOURS"] * 3600


def to_whole_page(url: str):
    """The redirect to a page (the sign-in page, a form's page); htmx is told to load it as
    a whole page (not to put it inside the fragment it asked for)."""
    if htmx:
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url)


def ends_at():
    """When this session ends if nothing more is asked: the idle limit from now, or the
    absolute limit if sooner (None without a session)."""
    started = session.get("started_at")
    if started is None:
        return None
    end = min(clock.timestamp() + idle_seconds(), started + absolute_seconds())
    return datetime.fromtimestamp(end, UTC)


def init_login(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    # Before CSRFProtect's check (register_extensions): a form sent after the session ended
    # is kept, not refused as expired.
    app.before_request(enforce_timeouts)
    kept_forms.init_app(app)
