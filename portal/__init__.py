"""The reintegration employment portal: create_app() builds the Flask application."""

import importlib
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import config, data_crypto, file_modes, instance_keys


def create_app(overrides: dict | None = None) -> Flask:
    from portal.search import whoosh_patches

    whoosh_patches.check_version()  # the search index patches Whoosh: only the tested version
    app = Flask(__name__, instance_relative_config=True)
    file_modes.private_instance(app.instance_path)
    app.config.update(config.from_environment(app.instance_path))
    if overrides:
        app.config.update(overrides)
    instance_keys.fill_keys(app.config, app.instance_path)
    data_crypto.configure(app)
    if app.config["TRUSTED_PROXIES"]:
        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    config.add_engine_options(app.config)

    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    register_template_helpers(app)

    from portal import request_guard, security_headers
    from portal.errors import register_error_handlers

    register_error_handlers(app)
    request_guard.register(app)
    security_headers.register(app)
    return app


def register_extensions(app: Flask) -> None:
    from portal import database, models  # noqa: F401  (every table on the metadata)
    from portal.auth import sessions
    from portal.extensions import babel, csrf, db, htmx, limiter, login_manager, migrate
    from portal.i18n import install_template_gettext, select_locale, select_timezone
    from portal.search import outbox

    db.init_app(app)
    database.configure_engine(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    install_template_gettext(app)
    sessions.init_login(app, login_manager)  # its timeouts run before the CSRF check
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    outbox.register()


# Modules whose routes (and CLI groups) attach to their package's blueprint when imported.
# They are imported here, not from the packages' __init__, so that importing a model never
# pulls in every view (and with them, import cycles between packages).
VIEW_MODULES = (
    "portal.main.views",
    "portal.auth.views",
    "portal.auth.second_factor_views",
    "portal.admin.views",
    "portal.reference.views",
    "portal.reference.correction_views",
    "portal.employers.views",
    "portal.employers.vacancy_views",
    "portal.employers.cli",
    "portal.candidates.views",
    "portal.candidates.section_views",
    "portal.candidates.consent_views",
    "portal.programmes.views",
    "portal.candidates.privacy_views",
    "portal.candidates.cli",
    "portal.matching.views",
    "portal.placements.display",
    "portal.placements.employer_views",
    "portal.placements.step_views",
    "portal.placements.inspector_views",
    "portal.placements.followup_views",
    "portal.placements.quota_views",
    "portal.search.views",
    "portal.stats.views",
    "portal.productions.views",
    "portal.notifications.views",
    "portal.imports.views",
)
BLUEPRINTS = (  # (package, url prefix)
    ("main", None),
    ("auth", "/auth"),
    ("admin", "/admin"),
    ("reference", "/reference"),
    ("employers", "/employers"),
    ("candidates", "/candidates"),
    ("programmes", "/candidates"),  # a record's programme: /candidates/<id>/programme
    ("matching", "/matching"),
    ("placements", "/placements"),
    ("search", "/search"),
    ("stats", "/stats"),
    ("productions", "/productions"),
    ("notifications", "/notifications"),
    ("imports", "/imports"),
)


def register_blueprints(app: Flask) -> None:
    for module in VIEW_MODULES:
        importlib.import_module(module)
    for package, prefix in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(f"portal.{package}").bp, url_prefix=prefix)
    from portal.api import init_api

    init_api(app)


def register_cli(app: Flask) -> None:
    from portal.auth.cli import users_cli
    from portal.data_cli import data_cli
    from portal.demo import demo_cli
    from portal.reference.cli import reference_cli
    from portal.search.cli import search_cli

    app.cli.add_command(reference_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(data_cli)


def register_template_helpers(app: Flask) -> None:
    from flask_babel import get_locale

    from portal.auth.sessions import ends_at
    from portal.i18n import format_tenge
    from portal.notifications.views import unread_count

    app.add_template_filter(format_tenge, "tenge")

    @app.context_processor
    def inject_locale():
        return {
            "current_locale": str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"]),
            # Called by the header of signed-in pages only: one indexed count per page.
            "unread_notifications": unread_count,
            "session_ends_at": ends_at,  # the idle warning of signed-in pages (base.html)
        }
