"""The JSON API under /api/v1 (flask-smorest): OpenAPI 3 at /api/v1/openapi.json, docs at
/api/v1/docs. Token-authenticated (portal/api/auth.py); every view calls the same scope
helpers, rules, operations and life cycle as the pages.

flask-smorest rather than APIFlask: it is an extension bound to the portal's own Flask app
and blueprints (APIFlask needs its own application class), and marshmallow describes the
documents.
"""

import importlib
from http import HTTPStatus

from flask import Flask
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint

PREFIX = "/api/v1"
# Modules whose resources attach to their blueprint when imported (see create_app).
RESOURCE_MODULES = (
    "portal.api.vacancies",
    "portal.api.employers",
    "portal.api.candidates",
    "portal.api.candidate_sections",
    "portal.api.matching",
    "portal.api.placements",
    "portal.api.stats",
)


class Api(SmorestApi):
    def _register_responses(self):
        """Every error response documented as a problem (application/problem+json)."""
        from flask_smorest.utils import prepare_response

        from portal.api.problems import MEDIA_TYPE
        from portal.api.schemas import ProblemSchema

        for name, description in [
            *((status.name, status.phrase) for status in HTTPStatus if status >= 400),
            ("DEFAULT_ERROR", "A problem (RFC 9457)"),
        ]:
            response = {"description": description, "schema": ProblemSchema}
            prepare_response(response, self.spec, MEDIA_TYPE)
            self.spec.components.response(name, response, lazy=True)

    def _register_error_handlers(self):
        """None on the app: the pages keep their HTML error pages; each API blueprint answers
        its errors as problem details (portal/api/problems.py)."""


def api_blueprint(name: str, path: str, description: str) -> Blueprint:
    """A resource's blueprint, wired for tokens, problem details, audit and the rate limit."""
    from portal.api import auth, problems

    bp = Blueprint(f"api_{name}", __name__, url_prefix=f"{PREFIX}{path}", description=description)
    auth.protect(bp)
    problems.register(bp)
    bp.url_value_preprocessor(_id_in_range)
    return bp


def _id_in_range(_endpoint, values) -> None:
    """A number too large to be an id names no row: 404 (the database would refuse it)."""
    from flask_smorest import abort

    from portal.api.schemas import MAX_ID

    if any(name.endswith("_id") and value > MAX_ID for name, value in (values or {}).items()):
        abort(404)


def init_api(app: Flask) -> None:
    from portal.api import auth, docs, token_views

    app.config.setdefault("API_TITLE", "Work after prison — portal API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api = Api(  # one per app (the tests build several); the blueprints are shared
        app,
        spec_kwargs={
            "components": {
                "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            },
            "security": [{"token": []}],
        },
    )
    auth.init_app(app)
    for module in RESOURCE_MODULES:
        api.register_blueprint(importlib.import_module(module).bp)
    docs.init_app(app)
    app.register_blueprint(token_views.bp)
