"""Error pages in the user's language that show no internals."""

from flask import Flask, g, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from portal.auth import kept_forms
from portal.auth.audit import record_refusal
from portal.auth.sessions import to_whole_page
from portal.database import DatabaseBusy, is_busy
from portal.extensions import db

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and try again.")),
    403: (_l("Access denied"), _l("Your role does not allow you to open this page.")),
    404: (_l("Page not found"), _l("There is no such page, or it is not available to you.")),
    405: (_l("Action not allowed"), _l("This page cannot be used this way.")),
    429: (
        _l("Too many attempts"),
        _l("You have made too many attempts. Wait a minute and try again."),
    ),
    503: (
        _l("The portal is busy"),
        _l("Too many changes are being saved at once. Nothing was saved. Try again in a minute."),
    ),
    500: (
        _l("Something went wrong"),
        _l("The portal could not complete the request. Nothing was saved. Try again later."),
    ),
}
CSRF_MESSAGE = _l(
    "The form has expired or was not sent from this site. Reload the page and try again."
)


def render_error(status: int, message=None):
    title, text = MESSAGES.get(status, MESSAGES[500])
    return render_template(
        "errors/error.html", status=status, title=title, text=message or text
    ), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        """A form of a page left open while the session moved on (signed in again in another
        tab): its user, signed in, gets the page back with what they typed, not taken."""
        page = kept_forms.keep_stale()
        if page is None:
            return render_error(400, CSRF_MESSAGE)
        return to_whole_page(page)

    @app.errorhandler(429)
    def rate_limited(error):
        """A request refused by a rate limit is audited: guessing passwords shows in the log,
        with the page and the e-mail tried. The API answers with its problem details (and
        audits every call itself)."""
        from portal.api.auth import is_api_request  # the API's modules import this one
        from portal.api.problems import from_http_error
        from portal.auth.accounts import normal_email

        if is_api_request():
            return from_http_error(error)
        if not g.get("rate_limit_audited"):  # sign-ins audit their own (auth/views.py)
            email = normal_email(request.form.get("email") or "")
            record_refusal("rate_limited", endpoint=request.endpoint, email=email or None)
        return render_error(429)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_error(error.code) if error.code in MESSAGES else error

    @app.errorhandler(DatabaseBusy)
    def database_busy(error):
        db.session.rollback()
        return render_error(503)

    @app.errorhandler(OperationalError)
    def database_error(error: OperationalError):
        # A plain commit (not write_transaction) that waited out SQLite's busy timeout.
        if not is_busy(error):
            raise error
        db.session.rollback()
        return render_error(503)

    @app.errorhandler(500)
    def unexpected_error(error):
        # Flask has logged the traceback; the page shows none. The session is rolled back so
        # nothing half-written is committed by anything that runs after this.
        db.session.rollback()
        return render_error(500)
