"""The search pages. Each view renders the whole page, or only its results for htmx; the
suggestions under the search box are a fragment of their own.

Vacancies: every signed-in role, within vacancy_filter (an employer sees only their own).
Candidates: inspectors and administrators, within candidate_filter; with ?vacancy=<id>, only
the candidates the eligibility rules let through for that vacancy. Employers: staff.
"""

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from flask import abort, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from portal.auth.access import roles_required
from portal.auth.models import ADMIN, AKIMAT, INSPECTOR
from portal.candidates.vocabulary import CANDIDATE_STATUS_LABELS
from portal.employers.models import EMPLOYER_KIND_LABELS
from portal.extensions import htmx
from portal.forms import database_int
from portal.page_cache import cached_page
from portal.search import bp, service
from portal.search.forms import (
    EMPLOYER_STATUS_LABELS,
    VACANCY_STATUS_LABELS,
    CandidateSearchForm,
    EmployerSearchForm,
    VacancySearchForm,
)
from portal.search.highlight import mark, matched, snippet
from portal.search.index import SearchUnavailable

STAFF = (ADMIN, INSPECTOR, AKIMAT)
CANDIDATE_SEARCHERS = (ADMIN, INSPECTOR)
SUGGESTIONS = 8
MIN_SUGGEST_CHARS = 2


@dataclass(frozen=True)
class Suggestion:
    label: Markup
    detail: str
    url: str


def best_text(words, kk: str | None, ru: str | None) -> str:
    """Of a text in both languages: the one in the user's language, unless only the other
    matches the query."""
    texts = [t for t in ((ru, kk) if str(get_locale()) == "ru" else (kk, ru)) if t]
    return next((t for t in texts if matched(t, words)), texts[0] if texts else "")


@bp.context_processor
def search_helpers():
    return {
        "mark": mark,
        "snippet": snippet,
        "matched": matched,
        "best_text": best_text,
        "vacancy_status_labels": VACANCY_STATUS_LABELS,
        "employer_status_labels": EMPLOYER_STATUS_LABELS,
        "employer_kind_labels": EMPLOYER_KIND_LABELS,
        "candidate_status_labels": CANDIDATE_STATUS_LABELS,
    }


@bp.errorhandler(SearchUnavailable)
def unavailable(error):
    current_app.logger.warning("search unavailable: %s", error)
    return render_template(
        "errors/error.html",
        status=503,
        title=_("Search is unavailable"),
        text=_("The search index is being prepared. Try again in a minute."),
    ), 503


def _page() -> int:
    return max(request.args.get("page", 1, type=int) or 1, 1)


def _render(name: str, **context):
    """The page, or for htmx only its results (which also clear the suggestions)."""
    fragment = bool(htmx) and not htmx.boosted
    template = f"search/_{name}_results.html" if fragment else f"search/{name}.html"
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template(template, args=args, fragment=fragment, **context)


def _suggest(items: list[Suggestion]):
    return render_template("search/_suggestions.html", suggestions=items)


def _typed(form) -> str:
    return (form.q.data or "").strip()


def _wanted(form) -> bool:
    """Suggest only for a word being typed: not for one letter, and not for the query whose
    results the page already shows (a suggestion that arrives after Enter)."""
    typed = _typed(form)
    shown = parse_qs(urlsplit(request.headers.get("HX-Current-URL", "")).query).get("q", [""])
    return len(typed) >= MIN_SUGGEST_CHARS and typed != shown[0].strip()


@bp.get("/vacancies")
@login_required
@cached_page
def vacancies():
    form = VacancySearchForm(current_user, request.args)
    results = service.search_vacancies(
        current_user,
        _typed(form),
        form.filters(),
        page=_page(),
        per_page=current_app.config["PAGE_SIZE"],
    )
    return _render(
        "vacancies", form=form, results=results, places=service.open_places(results.items)
    )


@bp.get("/vacancies/suggest")
@login_required
def vacancy_suggestions():
    form = VacancySearchForm(current_user, request.args)
    if not _wanted(form):
        return _suggest([])
    results = service.search_vacancies(
        current_user, _typed(form), form.filters(), per_page=SUGGESTIONS, prefix=True
    )
    return _suggest(
        [
            Suggestion(
                mark(v.title, results.words),
                v.employer.name,
                url_for("search.vacancies", q=v.title),
            )
            for v in results.items
        ]
    )


def _vacancy_context():
    """The vacancy a candidate search is for (?vacancy=<id>), if the user may see it."""
    vacancy_id = request.args.get("vacancy", type=database_int)
    if vacancy_id is None:
        return None
    vacancy = service.visible_vacancy(current_user, vacancy_id)
    if vacancy is None:
        abort(404)
    return vacancy


@bp.get("/candidates")
@roles_required(*CANDIDATE_SEARCHERS)
def candidates():
    form = CandidateSearchForm(request.args)
    vacancy = _vacancy_context()
    results = service.search_candidates(
        current_user,
        _typed(form),
        form.filters(),
        vacancy=vacancy,
        page=_page(),
        per_page=current_app.config["PAGE_SIZE"],
    )
    return _render("candidates", form=form, results=results, vacancy=vacancy)


@bp.get("/candidates/suggest")
@roles_required(*CANDIDATE_SEARCHERS)
def candidate_suggestions():
    form = CandidateSearchForm(request.args)
    vacancy = _vacancy_context()
    if not _wanted(form):
        return _suggest([])
    results = service.search_candidates(
        current_user,
        _typed(form),
        form.filters(),
        vacancy=vacancy,
        per_page=SUGGESTIONS,
    )
    return _suggest(
        [
            Suggestion(
                mark(c.full_name, results.words, names=True),
                c.code,
                url_for(
                    "search.candidates", q=c.full_name, vacancy=vacancy.id if vacancy else None
                ),
            )
            for c in results.items
        ]
    )


@bp.get("/employers")
@roles_required(*STAFF)
def employers():
    form = EmployerSearchForm(request.args)
    results = service.search_employers(
        current_user,
        _typed(form),
        form.filters(),
        page=_page(),
        per_page=current_app.config["PAGE_SIZE"],
    )
    return _render("employers", form=form, results=results)


@bp.get("/employers/suggest")
@roles_required(*STAFF)
def employer_suggestions():
    form = EmployerSearchForm(request.args)
    if not _wanted(form):
        return _suggest([])
    results = service.search_employers(
        current_user, _typed(form), form.filters(), per_page=SUGGESTIONS, prefix=True
    )
    return _suggest(
        [
            Suggestion(mark(e.name, results.words), e.bin, url_for("search.employers", q=e.bin))
            for e in results.items
        ]
    )
