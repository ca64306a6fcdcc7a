"""Typing is not lost when a session ends: a form sent on an ended session is kept for the
user whose session it was, and shown to that user, pre-filled, once they sign in again.

- keep(): sessions.enforce_timeouts calls it for a POST on an ended session, before the session
  goes. Only a form of that session is kept (its CSRF token is the session's), never the
  sign-in pages' forms, and never a password, a file or the CSRF token. One per user, for
  KEPT_FORM_MINUTES; the person is sent to sign in with `next` back to the form's page.
- after_sign_in(): the user who signs in finds their own kept form only (the row is theirs):
  another user signing in on the same browser finds nothing.
- keep_stale(): a form sent by the signed-in user of a valid session, but with a token of an
  older state of the session (a tab left open, signed in again in another tab), is refused
  by the CSRF check (errors.py): it is kept the same way and the user is sent back to its page.
- On that page, every form whose fields match what was kept is filled from it (FlaskForm's
  form data, _wrap_formdata), once, with a message; a page whose forms are written by hand
  takes it with kept_post(). Nothing is saved until it is sent again.
"""

from datetime import timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Flask, current_app, flash, g, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import validate_csrf
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import ImmutableMultiDict
from wtforms import (
    BooleanField,
    FileField,
    PasswordField,
    RadioField,
    SelectMultipleField,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from portal import clock
from portal.auth.models import KeptForm, User
from portal.database import write_transaction
from portal.extensions import db
from portal.safe_redirect import is_local_url, referrer_path

SESSION_KEY = "kept_form_page"  # the kept form's page, in the session of the user it is for
# Forms whose fields are never kept: signing in, the language switch (nothing typed there).
NOT_KEPT_BLUEPRINTS = {"auth"}
NOT_KEPT_ENDPOINTS = {"main.set_language"}
STALE_KEY = "kept_form_stale"  # kept from a page open too long (the user is told at once)
RESTORED = _l("Your session had ended; here is what you typed. Check it and save.")
STALE = _l("This page was open too long; check what you entered and send it again.")
MAX_KEPT_CHARS = 100_000  # longer than any form of the portal: what is longer is not kept


def _secret(name: str) -> bool:
    name = name.lower()
    return name == "csrf_token" or "password" in name


def _sent_fields() -> list[list[str]]:
    """The text fields sent, in order, but any password and the CSRF token (files are in
    request.files, never in request.form)."""
    return [[name, value] for name, value in request.form.items(multi=True) if not _secret(name)]


def _of_this_session() -> bool:
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return True  # the portal checks no token at all (some tests)
    token = request.form.get("csrf_token") or request.headers.get("X-CSRFToken")
    try:
        validate_csrf(token)
    except ValidationError:
        return False
    return True


def _issued_here() -> bool:
    """The token is one the portal issued, to some session (signed with its key): a form of
    this site left open, not a forged one."""
    token = request.form.get("csrf_token") or request.headers.get("X-CSRFToken") or ""
    key = current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    try:
        URLSafeTimedSerializer(key, salt="wtf-csrf-token").loads(token)
    except BadData:
        return False
    return True


def _same_origin() -> bool:
    """Sent from a page of this site (browsers name the page's site in Origin on a POST)."""
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host


def form_page() -> str | None:
    """The page the form was on: its own address when it answers GET too, else the page the
    form names (`next`) or the one it was sent from, when on this site."""
    if request.url_rule is None:
        return None
    if "GET" in request.url_rule.methods:
        return request.full_path.rstrip("?")
    for page in (request.form.get("next"), referrer_path()):
        if is_local_url(page):
            return page
    return None


def _cutoff():
    return clock.now() - timedelta(minutes=current_app.config["KEPT_FORM_MINUTES"])


def keep(user_id: int) -> str | None:
    """Keep the form this POST sends for `user_id`, whose session has ended; returns the page
    to come back to after signing in, or None when nothing was kept."""
    return _keep(user_id) if _of_this_session() else None


def keep_stale() -> str | None:
    """Keep the form this POST sends, refused for its token, when the user is signed in on a
    valid session (the timeouts ran before the check) and the form is this site's with a
    token of another session; returns its page, where the user finds it filled in, or None
    when nothing was kept (then it is refused as before)."""
    if (
        not current_user.is_authenticated
        or "_user_id" not in session  # signed in by an API token: no form, no session
        or not (_same_origin() and _issued_here())
        or _of_this_session()  # refused for something else (HTTPS without a referrer)
    ):
        return None
    page = _keep(current_user.id)
    if page is not None:
        session[SESSION_KEY], session[STALE_KEY] = page, True
        flash(STALE, "warning")
    return page


def _keep(user_id: int) -> str | None:
    if (
        request.method != "POST"
        or request.blueprint in NOT_KEPT_BLUEPRINTS
        or request.endpoint in NOT_KEPT_ENDPOINTS
    ):
        return None
    page, fields = form_page(), _sent_fields()
    if page is None or not fields or sum(len(n) + len(v) for n, v in fields) > MAX_KEPT_CHARS:
        return None
    try:
        with write_transaction():
            db.session.execute(
                sa.delete(KeptForm).where(
                    sa.or_(KeptForm.user_id == user_id, KeptForm.kept_at < _cutoff())
                )
            )
            db.session.add(
                KeptForm(
                    user_id=user_id,
                    path=page,
                    sent_to=request.path,
                    fields=fields,
                    kept_at=clock.now(),
                )
            )
    except IntegrityError:  # the same user's other tab kept its form at the same instant
        return page
    return page


def after_sign_in(user: User) -> None:
    """Point the new session at the user's own kept form, if one is young enough."""
    page = db.session.scalar(
        sa.select(KeptForm.path).where(KeptForm.user_id == user.id, KeptForm.kept_at >= _cutoff())
    )
    if page is not None:
        session[SESSION_KEY] = page


def _path(page: str) -> str:
    return page.partition("?")[0]


def _take_kept() -> None:
    """On the kept form's page (a GET by its user): load what was kept for the forms the view
    makes, and remove it, so that it is shown once."""
    page = session.get(SESSION_KEY)
    if page is None or request.method != "GET" or not current_user.is_authenticated:
        return
    if _path(page) != request.path:
        return
    session.pop(SESSION_KEY)
    if session.pop(STALE_KEY, False):
        g.kept_form_shown = True  # the user was told when it was sent (keep_stale)
    with write_transaction():
        kept = db.session.scalar(
            sa.select(KeptForm).where(
                KeptForm.user_id == current_user.id, KeptForm.kept_at >= _cutoff()
            )
        )
        if kept is not None:
            db.session.delete(kept)
            g.kept_formdata = ImmutableMultiDict([tuple(pair) for pair in kept.fields])
            g.kept_sent_to = kept.sent_to
            # Sent to another address than its page's: one of a page's several forms.
            g.kept_from_one_of_several = kept.sent_to != request.path


def kept_post() -> tuple[str, ImmutableMultiDict] | None:
    """For a page whose forms are written by hand (no FlaskForm takes what was kept): on the
    kept form's page, the address the form was sent to and what it held, taken once (the
    page's FlaskForms no longer take it); the page then calls restored()."""
    kept = g.pop("kept_formdata", None)
    return None if kept is None else (g.kept_sent_to, kept)


def restored() -> None:
    """Tell the user, once, that the page shows what they had typed."""
    if not g.get("kept_form_shown"):
        g.kept_form_shown = True
        flash(RESTORED, "warning")


def _names(form) -> set[str]:
    return {field.name for field in form if not isinstance(field, PasswordField | FileField)}


# Fields a browser leaves out of a form when nothing is chosen in them.
MAY_BE_LEFT_OUT = (BooleanField, RadioField, SelectMultipleField)


def _matches(form, formdata: ImmutableMultiDict, one_of_several: bool) -> bool:
    """What was sent is this form's: each name sent is one of its fields, but perhaps the
    button pressed (a name=value of its own), and one at least is typed in, not hidden (a
    button's form). Sent from one of a page's several forms, which may share names (a
    reason, a note), each field a browser always sends was sent too."""
    names = _names(form)
    typed = {field.name for field in form if not isinstance(field.widget, HiddenInput)} & names
    sent = set(formdata.keys())
    if one_of_several:
        always = {field.name for field in form if not isinstance(field, MAY_BE_LEFT_OUT)}
        if not always & typed <= sent:
            return False
    return bool(sent & typed) and len(sent - names) <= 1


_flask_wtf_formdata = FlaskForm.Meta.wrap_formdata


def _wrap_formdata(meta, form, formdata):
    """Flask-WTF's form data (the POST's), or on the kept form's page what was kept."""
    formdata = _flask_wtf_formdata(meta, form, formdata)
    kept = g.get("kept_formdata") if formdata is None else None
    if kept is None or not _matches(form, kept, g.kept_from_one_of_several):
        return formdata
    restored()
    form.refilled = True  # a form folded away is shown open (placements/placement.html)
    names = _names(form)
    return ImmutableMultiDict(
        [(name, value) for name, value in kept.items(multi=True) if name in names]
    )


def init_app(app: Flask) -> None:
    # Every form of the portal is a FlaskForm: each takes what was kept the same way.
    FlaskForm.Meta.wrap_formdata = _wrap_formdata
    app.before_request(_take_kept)
