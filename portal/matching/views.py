"""The inspector's matching pages: people for a vacancy, vacancies for a person, proposing."""

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, lazy_ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal import clock
from portal.auth import audit
from portal.auth.access import roles_required
from portal.auth.audit import record
from portal.auth.models import ADMIN, INSPECTOR
from portal.candidates.anonymise import MSG_ANONYMISED
from portal.candidates.models import Candidate, Supervision
from portal.candidates.scope import candidate_filter
from portal.candidates.vocabulary import CANDIDATE_STATUS_LABELS
from portal.employers.models import Vacancy
from portal.employers.scope import vacancy_filter
from portal.extensions import db, htmx
from portal.matching import bp
from portal.matching.eligibility import evaluate
from portal.matching.facts import facts_from_candidate, facts_from_vacancy
from portal.matching.forms import MatchFilterForm, ProposeForm
from portal.matching.ranking import (
    TERM_LABELS,
    excluded_vacancies,
    explain,
    open_vacancies,
    ranked_candidates,
    ranked_page,
    vacancies_for,
    vacancy_counts,
)
from portal.matching.sql_filters import eligible_for
from portal.page_cache import cached_page
from portal.pagination import count_rows, paginate_rows
from portal.placements import lifecycle
from portal.placements.models import Placement
from portal.placements.vocabulary import ACTIVE, OPEN, STATE_LABELS

# What evaluate() needs of a candidate, loaded for the rows of one page only.
FACT_LOADS = (
    so.selectinload(Candidate.offences),
    so.selectinload(Candidate.activity_bans),
    so.selectinload(Candidate.supervision).selectinload(Supervision.prohibited_places),
    so.selectinload(Candidate.contraindications),
    so.selectinload(Candidate.occupations),
    # Encrypted and not shown here: not read, so not decrypted (portal/data_crypto.py).
    so.defer(Candidate.iin, raiseload=True),
    so.defer(Candidate.programme_notes, raiseload=True),
)


def _vacancy_or_404(vacancy_id: int) -> Vacancy:
    return db.first_or_404(
        sa.select(Vacancy).where(Vacancy.id == vacancy_id, vacancy_filter(current_user))
    )


def _candidate_or_404(candidate_id: int) -> Candidate:
    """The record in the user's scope; an anonymised one is put to no vacancy (back to it)."""
    person = db.first_or_404(
        sa.select(Candidate).where(Candidate.id == candidate_id, candidate_filter(current_user))
    )
    if person.anonymised_at is not None:
        flash(str(MSG_ANONYMISED), "warning")
        abort(redirect(url_for("candidates.view", candidate_id=person.id), 303))
    return person


@bp.get("/vacancies/<int:vacancy_id>")
@roles_required(ADMIN, INSPECTOR)
@cached_page
def vacancy(vacancy_id: int):
    """Eligible people ranked, or (tab=excluded) the people the rules exclude, with reasons."""
    vacancy = _vacancy_or_404(vacancy_id)
    form = MatchFilterForm(request.args)
    form.validate()
    today, facts = clock.today(), facts_from_vacancy(vacancy)
    excluded_tab = request.args.get("tab") == "excluded"
    if excluded_tab:
        page = db.paginate(
            sa.select(Candidate)
            .where(
                candidate_filter(current_user),
                Candidate.anonymised_at.is_(None),
                ~eligible_for(facts, today),
                *form.conditions(),
            )
            .options(*FACT_LOADS)
            .order_by(Candidate.id),  # names are encrypted: not sortable in SQL
            error_out=False,
        )
        rows = [(c, evaluate(facts_from_candidate(c), facts, today)) for c in page.items]
    else:
        conditions = form.conditions()
        page = paginate_rows(
            ranked_candidates(vacancy, current_user, today, conditions),
            rows=lambda limit, offset: ranked_page(
                vacancy, current_user, today, limit, offset, conditions, FACT_LOADS
            ),
        )
        rows = [
            (explain(row, vacancy), evaluate(facts_from_candidate(row.Candidate), facts, today))
            for row in page.items
        ]
    people = [row[0] if excluded_tab else row[0].candidate for row in rows]
    audit.read(
        "matching_listed",
        [p.id for p in people],
        vacancy,
        tab="excluded" if excluded_tab else "eligible",
    )
    # Each tab says how many it holds: this one's total is the page's, the other one counted.
    if excluded_tab:
        ranked = ranked_candidates(vacancy, current_user, today, form.conditions())
        tab_counts = {"eligible": count_rows(ranked), "excluded": page.total}
    else:
        excluded = sa.select(Candidate.id).where(
            candidate_filter(current_user),
            Candidate.anonymised_at.is_(None),
            ~eligible_for(facts, today),
            *form.conditions(),
        )
        tab_counts = {"eligible": page.total, "excluded": count_rows(excluded)}
    template = "matching/_vacancy_results.html" if htmx else "matching/vacancy.html"
    return render_template(
        template,
        vacancy=vacancy,
        form=form,
        page=page,
        rows=rows,
        excluded_tab=excluded_tab,
        tab_counts=tab_counts,
        term_labels=TERM_LABELS,
        status_labels=CANDIDATE_STATUS_LABELS,
        propose_form=ProposeForm(),
    )


@bp.post("/vacancies/<int:vacancy_id>/propose")
@roles_required(ADMIN, INSPECTOR)
def propose(vacancy_id: int):
    vacancy = _vacancy_or_404(vacancy_id)
    form = ProposeForm()
    if not form.validate_on_submit() or form.candidate_id.data is None:
        abort(400)
    candidate = _candidate_or_404(form.candidate_id.data)
    try:
        lifecycle.propose(candidate.id, vacancy.id, current_user, clock.today())
    except lifecycle.StepRefused as refused:
        flash(str(refused.message), "danger")
        for reason in refused.reasons:
            flash(f"{reason.message} ({reason.legal_basis})", "danger")
        status = 409
    else:
        flash(_("%(code)s has been proposed for this vacancy.", code=candidate.code), "success")
        status = 200
    if htmx:
        return render_template("matching/_proposed.html", candidate=candidate), status
    return redirect(url_for("matching.vacancy", vacancy_id=vacancy.id, **request.args))


@bp.get("/candidates/<int:candidate_id>")
@roles_required(ADMIN, INSPECTOR)
@cached_page
def candidate(candidate_id: int):
    """Open vacancies this person may be put to, best first, or (tab=excluded) those the rules
    exclude, with reasons: each list paged by the database, both counted in one query."""
    person = _candidate_or_404(candidate_id)
    excluded_tab = request.args.get("tab") == "excluded"
    audit.read(
        "candidate_matches_viewed",
        [person.id],
        person,
        tab="excluded" if excluded_tab else "eligible",
    )
    today = clock.today()
    tab_counts = vacancy_counts(person, current_user, today)
    if excluded_tab:
        excluded = excluded_vacancies(person, current_user, today)
        page = paginate_rows(
            excluded,
            rows=lambda limit, offset: db.session.scalars(
                excluded.limit(limit).offset(offset)
            ).all(),
            total=tab_counts["excluded"],
        )
        facts = facts_from_candidate(person)
        rows = [(v, evaluate(facts, facts_from_vacancy(v), today)) for v in page.items]
    else:
        page = paginate_rows(
            open_vacancies(person, current_user, today),
            rows=lambda limit, offset: vacancies_for(person, current_user, today, limit, offset),
            total=tab_counts["eligible"],
        )
        rows = page.items
    # Vacancies the person is already put to show the proposal's state instead of a button.
    current = dict(
        db.session.execute(
            sa.select(Placement.vacancy_id, Placement.state).where(
                Placement.candidate_id == person.id,
                Placement.state.in_(OPEN + ACTIVE),
            )
        ).all()
    )
    return render_template(
        "matching/candidate.html",
        candidate=person,
        page=page,
        rows=rows,
        excluded_tab=excluded_tab,
        tab_counts=tab_counts,
        current=current,
        state_labels=STATE_LABELS,
        term_labels=TERM_LABELS,
        status_labels=CANDIDATE_STATUS_LABELS,
        propose_form=ProposeForm(),
    )


# The sheet's headings, printed in both languages: the person and the inspector may not share one.
SHEET_HEADINGS = (
    _l("Vacancies you may be put to"),
    _l("Employer"),
    _l("Trade"),
    _l("Place of work"),
    _l("Shift"),
    _l("Wage"),
    _l("Start"),
    _l("Ask your inspector about any of these vacancies."),
)
# The best this many fit one printed page; the sheet says how many more there are.
SHEET_ROWS = 15


def _in_both(text) -> tuple[str, str]:
    with force_locale("kk"):
        kk = str(text)
    with force_locale("ru"):
        ru = str(text)
    return kk, ru


def _in_both_plural(more: int) -> tuple[str, str]:
    return _in_both(
        lazy_ngettext(
            "%(num)d more vacancy is open to you.",
            "%(num)d more vacancies are open to you.",
            more,
        )
    )


@bp.get("/candidates/<int:candidate_id>/sheet")
@roles_required(ADMIN, INSPECTOR)
def candidate_sheet(candidate_id: int):
    """One printable page, in Kazakh and Russian, of the vacancies this person may be put to:
    people in custody have no internet, so the inspector hands it over and discusses it."""
    person = _candidate_or_404(candidate_id)
    record("candidate_sheet_printed", person)
    audit.commit_read()
    today = clock.today()
    best = vacancies_for(person, current_user, today, SHEET_ROWS)
    more = count_rows(open_vacancies(person, current_user, today)) - len(best)
    return render_template(
        "matching/sheet.html",
        candidate=person,
        vacancies=[entry[0] for entry in best],
        more=_in_both_plural(more) if more > 0 else None,
        headings=[_in_both(text) for text in SHEET_HEADINGS],
        printed_on=clock.today(),
    )
