"""The landing page and the language switch."""

from flask import current_app, redirect, render_template, request
from flask_login import current_user

from portal import clock, health
from portal.auth import accounts
from portal.auth.models import AKIMAT, EMPLOYER, INSPECTOR
from portal.i18n import LANG_COOKIE
from portal.main import bp
from portal.main.dashboard import home_figures
from portal.main.todo import akimat_todo, employer_todo, inspector_todo
from portal.models_base import in_user_language
from portal.page_cache import cached_page
from portal.placements.quotas import CATEGORY_LABELS
from portal.placements.reasons import WITHDRAWN_REASONS
from portal.safe_redirect import local_target

ONE_YEAR = 365 * 24 * 3600


TODO = {EMPLOYER: employer_todo, INSPECTOR: inspector_todo, AKIMAT: akimat_todo}


@bp.get("/")
@cached_page
def index():
    """Signed in: the role's to-do list (administrators: the figures of the whole portal)."""
    figures = todo = None
    if current_user.is_authenticated and current_user.role in TODO:
        todo = TODO[current_user.role](current_user, clock.today())
    elif current_user.is_authenticated:
        figures = home_figures(current_user)
    return render_template(
        "main/index.html",
        figures=figures,
        todo=todo,
        title=in_user_language,
        withdrawn_reasons=WITHDRAWN_REASONS,
        category_labels=CATEGORY_LABELS,
    )


@bp.post("/language")
def set_language():
    """Plain form post (works without JavaScript); stored on the account and in a cookie."""
    locale = request.form.get("locale")
    response = redirect(local_target(request.form.get("next")))
    if locale not in current_app.config["LANGUAGES"]:
        return response
    if current_user.is_authenticated and current_user.locale != locale:
        accounts.set_language(current_user._get_current_object(), locale)
    response.set_cookie(
        LANG_COOKIE,
        locale,
        max_age=ONE_YEAR,
        samesite="Lax",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


@bp.get("/healthz")
def healthz():
    return health.report()
