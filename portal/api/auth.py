"""Who an API request is: the user of its bearer token, never a cookie session.

API requests neither read nor write the session cookie, so a browser's session cannot act on
the API (which is why the API needs no CSRF token), and a token never opens a page: the
token is looked at on API paths only, where Flask-Login's request loader takes it.
"""

from flask import Flask, current_app, g, request
from flask.sessions import SecureCookieSession
from flask_login import current_user
from flask_smorest import Blueprint

from portal import clock
from portal.api import PREFIX
from portal.api.problems import problem
from portal.api.tokens import digest, user_for
from portal.auth.audit import record
from portal.auth.cookie_sessions import SignedCookieSessions
from portal.database import write_transaction
from portal.extensions import csrf, limiter, login_manager


def is_api_request() -> bool:
    return request.path.startswith(PREFIX + "/")


def bearer() -> str | None:
    kind, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if kind.lower() == "bearer" and secret.strip() else None


class ApiSessions(SignedCookieSessions):
    """The pages' signed cookie session, but a throw-away empty session on API paths."""

    def open_session(self, app, request):
        if request.path.startswith(PREFIX + "/"):
            return SecureCookieSession()
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        if not is_api_request():
            super().save_session(app, session, response)


@limiter.request_filter
def _page_read() -> bool:
    """The portal's rate limits are on forms sent (sign-in, codes, registration: POST only)
    and on the API; a page read outside the API is never limited, and so skips the limiter's
    resolving of limits (the limiter took 6.3 % of a kept page's time under gunicorn, 3.9 %
    with this: py-spy). A limit on a page read would need this changed."""
    return request.method in ("GET", "HEAD") and not is_api_request()


def _check_limits_unless_page_read(app: Flask) -> None:
    """Flask-Limiter's before_request hook, run for what a limit may apply to. Even for a
    request its filter exempts, the hook resolves the route's limits and their exemptions
    (3.9 % of a kept page's time, py-spy); a page read needs none of it. Should an upgrade of
    Flask-Limiter register its hook under another name, index() fails at start-up."""
    if not app.config["RATELIMIT_ENABLED"]:  # then Flask-Limiter registered no hook
        return
    hooks = app.before_request_funcs.setdefault(None, [])
    check = limiter._check_request_limit  # the hook Limiter.init_app registers
    hooks[hooks.index(check)] = lambda: None if _page_read() else check()


def load_from_token(_request):
    if not is_api_request() or (secret := bearer()) is None:
        return None
    found = user_for(secret)
    if found is None:
        return None
    g.api_token = found[1]
    return found[0]


def rate_key() -> str:
    """Per token (its digest, so the limiter's storage holds no usable secret); per address
    for requests without one."""
    secret = bearer()
    return f"token:{digest(secret)}" if secret else f"ip:{request.remote_addr}"


def require_token():
    if not current_user.is_authenticated or "api_token" not in g:
        return problem(
            401,
            "unauthenticated",
            headers={"WWW-Authenticate": 'Bearer realm="api"'},
        )
    return None


def audit_call(response):
    """Every call is written to the audit log: who, with which token, what, and the answer."""
    token = g.get("api_token")
    with write_transaction():
        if token is not None:
            token.last_used_at = clock.now()
        record(
            "api_call",
            user=current_user if current_user.is_authenticated else None,
            token=token.id if token is not None else None,
            method=request.method,
            path=request.path,
            status=response.status_code,
        )
    return response


def protect(bp: Blueprint) -> None:
    csrf.exempt(bp)
    limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=rate_key)(bp)
    bp.before_request(require_token)
    bp.after_request(audit_call)


def init_app(app: Flask) -> None:
    app.session_interface = ApiSessions()
    login_manager.request_loader(load_from_token)
    _check_limits_unless_page_read(app)


def roles(*allowed: str) -> None:
    """403 for a role the pages would refuse (the pages' roles_required, for the API)."""
    from flask_smorest import abort

    if current_user.role not in allowed:
        abort(403)
