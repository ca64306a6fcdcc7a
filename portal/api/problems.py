"""Errors as RFC 9457 problem details, in the request's language.

`code` is stable (clients branch on it); `title` and `detail` are for people. Validation
errors list each field's messages under `errors`; a refused step of a placement lists the
rules that refused it under `reasons` (staff only, as on the pages).
"""

from http import HTTPStatus

from flask import Response, current_app, json
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint
from werkzeug.exceptions import HTTPException

from portal.errors import MESSAGES

MEDIA_TYPE = "application/problem+json"
TITLES = {
    **{status: title for status, (title, _text) in MESSAGES.items()},
    401: _l("Authentication required"),
    409: _l("Conflict"),
    412: _l("Precondition failed"),
    422: _l("Invalid data"),
    428: _l("Precondition required"),
}
DETAILS = {
    **{status: text for status, (_title, text) in MESSAGES.items()},
    401: _l(
        "Send a valid token in the %(header)s header: %(example)s.",
        header="Authorization",
        example="Bearer <token>",
    ),
    422: _l("Some values are missing or invalid; see %(field)s.", field="errors"),
    428: _l(
        "Send the %(etag)s of the placement, as you read it, in the %(header)s header.",
        etag="ETag",
        header="If-Match",
    ),
}
CODES = {  # the stable code of an HTTP error raised without one of its own
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "stale",
    415: "unsupported_media_type",
    422: "invalid",
    428: "if_match_required",
    429: "rate_limited",
    500: "server_error",
}


def _plain(value):
    """Lazy translations (and nested messages) as plain JSON values, in the current language."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def problem(status: int, code: str | None = None, detail=None, headers=None, **extra) -> Response:
    code = code or CODES.get(status, "error")
    body = {
        "type": f"{current_app.config['OPENAPI_URL_PREFIX']}/problems/{code}",
        "title": str(TITLES.get(status, TITLES[500])),
        "status": status,
        "code": code,
        "detail": str(detail or DETAILS.get(status, TITLES.get(status, TITLES[500]))),
        **_plain(extra),
    }
    return Response(json.dumps(body), status, headers=headers, mimetype=MEDIA_TYPE)


def from_http_error(error: HTTPException) -> Response:
    """abort(...) from the views and flask-smorest's own 422 (its messages under `errors`)."""
    data = getattr(error, "data", None) or {}
    extra = {}
    errors = data.get("errors") or data.get("messages")
    if errors:
        extra["errors"] = errors
    if data.get("reasons"):
        extra["reasons"] = data["reasons"]
    headers = dict(data.get("headers") or {})
    if error.code == 429 or error.code == 405:
        headers.update(dict(error.get_headers()))
        headers.pop("Content-Type", None)
    status = error.code or 500
    return problem(status, data.get("code"), data.get("message"), headers=headers, **extra)


def server_error(_error) -> Response:
    from portal.extensions import db

    db.session.rollback()  # nothing half-written is committed by the audit that follows
    return problem(500)


def register(bp: Blueprint) -> None:
    bp.register_error_handler(HTTPException, from_http_error)
    bp.register_error_handler(500, server_error)


def documented(bp: Blueprint, *statuses: int):
    """Document the problems a view answers with (401, 422 and 429 are documented anyway)."""

    def decorate(view):
        for status in statuses:
            view = bp.alt_response(status, response=HTTPStatus(status).name)(view)
        return view

    return decorate
