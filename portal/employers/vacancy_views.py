"""Vacancy pages: the dashboard list, a vacancy, the employer's form and its actions."""

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_number, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.auth.access import roles_required
from portal.auth.models import ADMIN, AKIMAT, EMPLOYER, INSPECTOR
from portal.database import contains_text
from portal.employers import bp, vacancies
from portal.employers.expiry import close_expired
from portal.employers.forms import VacancyForm
from portal.employers.implied import rule_terms
from portal.employers.models import (
    INSTITUTION_KINDS,
    VACANCY_STATUSES,
    Employer,
    Vacancy,
)
from portal.employers.scope import vacancy_filter, visible_vacancies
from portal.employers.vacancies import VacancyError, proposal_counts, vacancy_values
from portal.extensions import db, htmx
from portal.forms import ConfirmForm, database_int
from portal.page_cache import cached_page
from portal.placements.lifecycle import workshop_places_taken
from portal.placements.quotas import standings
from portal.placements.vocabulary import employer_counts
from portal.reference.models import Occupation, Sphere
from portal.reference.retiring import offered
from portal.search.analysis import text_matches
from portal.search.service import LOAD_OPTIONS

EVERY_ROLE = (ADMIN, INSPECTOR, EMPLOYER, AKIMAT)


def _get_vacancy(vacancy_id: int) -> Vacancy:
    """The vacancy if the user's scope includes it; otherwise 404, never 403."""
    return db.first_or_404(
        sa.select(Vacancy).where(Vacancy.id == vacancy_id, vacancy_filter(current_user))
    )


def _form(employer: Employer, **kwargs) -> VacancyForm:
    form = VacancyForm(with_institutions=employer.kind in INSTITUTION_KINDS, **kwargs)
    if employer.workshop_capacity is not None:  # the workshop's places bound every hire
        taken = workshop_places_taken([employer.id]).get(employer.id, 0)
        free = max(employer.workshop_capacity - taken, 0)
        form.places.description = ngettext(
            "Your workshop has %(num)d free place of %(capacity)s: a hire past the workshop's "
            "places is refused, whichever vacancy it is for.",
            "Your workshop has %(num)d free places of %(capacity)s: a hire past the workshop's "
            "places is refused, whichever vacancy it is for.",
            free,
            capacity=format_number(employer.workshop_capacity),
        )
    return form


def _occupations(selected: int | None) -> list[Occupation]:
    """The picker's occupations: those in use, and the vacancy's own (even if retired)."""
    query = sa.select(Occupation).where(offered(Occupation, [selected]))
    return list(db.session.scalars(query.order_by(Occupation.code)))


def _render_form(form: VacancyForm, vacancy: Vacancy | None, status: int = 200):
    return render_template(
        "employers/vacancy_form.html",
        form=form,
        vacancy=vacancy,
        occupations=_occupations(form.occupation_id.data),
        selected=form.occupation_id.data,
    ), status


def _show_problems(form: VacancyForm, problems: dict) -> None:
    for field, message in problems.items():
        if field in form:
            form[field].errors = [*form[field].errors, message]
        else:
            flash(str(message), "danger")


def _refused(form: VacancyForm, vacancy: Vacancy | None, error: VacancyError):
    """Nothing of the refused operation is kept; its reasons are shown on the form (409 when
    all it needs is the employer's confirmation that open proposals go back)."""
    db.session.rollback()
    _show_problems(form, error.problems)
    return _render_form(form, vacancy, 409 if set(error.problems) == {"proposals_return"} else 400)


def _submitted(form: VacancyForm, employer: Employer, *, to_publish: bool) -> bool:
    """A valid POST; when the result will be published, every reason it cannot be is shown
    together with the other errors (the operation checks again before it writes)."""
    if request.method != "POST":
        return False
    valid = form.validate_on_submit()
    if to_publish:
        problems = vacancies.publish_problems(form.vacancy_values(), employer, clock.today())
        _show_problems(form, problems)
        valid = valid and not problems
    return valid


@bp.get("/vacancies")
@roles_required(*EVERY_ROLE)
@cached_page
def vacancy_list():
    """The employer's dashboard (own vacancies, proposals by state); staff: their territory."""
    close_expired()
    query = visible_vacancies(current_user).options(*LOAD_OPTIONS[Vacancy])  # no rule facts
    status = request.args.get("status")
    if status in VACANCY_STATUSES:
        query = query.where(Vacancy.status == status)
    q = (request.args.get("q") or "").strip()
    if q:
        query = query.where(contains_text(q, Vacancy.title_kk, Vacancy.title_ru))
    query = query.order_by(Vacancy.created_at.desc(), Vacancy.id.desc())
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    totals, standing = {}, None
    if current_user.role == EMPLOYER:  # few vacancies: count them all, for the totals too
        employer = current_user.employer
        standing = standings([employer], clock.today().year)[employer.id]
        counts = proposal_counts(vacancy_filter(current_user))
        for by_state in counts.values():
            for state, number in by_state.items():
                totals[state] = totals.get(state, 0) + number
    else:
        ids = [v.id for v in page.items]
        counts = proposal_counts(Vacancy.id.in_(ids)) if ids else {}
    template = "employers/_vacancy_rows.html" if htmx else "employers/vacancies.html"
    return render_template(
        template,
        page=page,
        counts=counts,
        totals=totals,
        standing=standing,
        q=q,
        status=status,
        statuses=VACANCY_STATUSES,
        show_employer=current_user.role != EMPLOYER,
        endpoint="employers.vacancy_list",
        endpoint_args={"q": q, "status": status},
    )


@bp.route("/vacancies/new", methods=["GET", "POST"])
@roles_required(EMPLOYER)
def new_vacancy():
    employer = current_user.employer
    if employer.status != "approved":
        flash(str(vacancies.MSG_NOT_APPROVED), "warning")
        return redirect(url_for("employers.detail", employer_id=employer.id))
    form = _form(employer, data={"district_id": employer.district_id, "address": employer.address})
    publish = request.form.get("action") == "publish"
    if not _submitted(form, employer, to_publish=publish):
        return _render_form(form, None, 400 if request.method == "POST" else 200)
    try:
        vacancy = vacancies.create(
            employer, form.vacancy_values(), publish=publish, today=clock.today()
        )
    except VacancyError as error:
        return _refused(form, None, error)
    flash(
        _("The vacancy has been published.")
        if publish
        else _("The vacancy has been saved as a draft."),
        "success",
    )
    return redirect(url_for("employers.vacancy", vacancy_id=vacancy.id))


@bp.get("/vacancies/<int:vacancy_id>")
@roles_required(*EVERY_ROLE)
def vacancy(vacancy_id: int):
    close_expired()
    item = _get_vacancy(vacancy_id)
    counts = proposal_counts(Vacancy.id == item.id).get(item.id, {})
    if current_user.role == EMPLOYER:
        counts = employer_counts(counts)
    return render_template(
        "employers/vacancy.html",
        vacancy=item,
        counts=counts,
        sphere=db.session.get(Sphere, item.sphere_code),
        rule_terms=rule_terms(item),
        answered=vacancies.activities_answered(vacancy_values(item)),
        confirm_form=ConfirmForm(),
    )


@bp.route("/vacancies/<int:vacancy_id>/edit", methods=["GET", "POST"])
@roles_required(EMPLOYER)
def edit_vacancy(vacancy_id: int):
    item = _get_vacancy(vacancy_id)
    form = _form(item.employer, data=vacancy_values(item))
    publish = request.form.get("action") == "publish" and item.status == vacancies.DRAFT
    stays_published = item.status == vacancies.PUBLISHED
    if not _submitted(form, item.employer, to_publish=publish or stays_published):
        return _render_form(form, item, 400 if request.method == "POST" else 200)
    try:
        changed, returned = vacancies.update(
            item,
            form.vacancy_values(),
            today=clock.today(),
            publish=publish,
            proposals_return=form.proposals_return.data,
        )
    except VacancyError as error:
        return _refused(form, item, error)
    if publish:
        flash(_("The vacancy has been published."), "success")
    elif returned:
        flash(
            ngettext(
                "The changes have been saved; %(num)d open proposal went back to the inspectors.",
                "The changes have been saved; %(num)d open proposals went back to the inspectors.",
                returned,
            ),
            "success",
        )
    elif changed:
        flash(_("The changes have been saved."), "success")
    else:
        flash(_("Nothing was changed."), "info")
    return redirect(url_for("employers.vacancy", vacancy_id=item.id))


def _transition(vacancy_id: int, operation, done_message: str, **kwargs):
    """Publish, close or re-open from the vacancy page (a plain form post)."""
    item = _get_vacancy(vacancy_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("employers.vacancy", vacancy_id=item.id))
    try:
        operation(item, **kwargs)
    except VacancyError as error:
        if set(error.problems) - {"status"}:  # something to correct: show it on the form
            return _refused(
                _form(item.employer, formdata=None, data=vacancy_values(item)), item, error
            )
        flash(str(error.problems["status"]), "warning")
    else:
        flash(done_message, "success")
    return redirect(url_for("employers.vacancy", vacancy_id=item.id))


@bp.post("/vacancies/<int:vacancy_id>/publish")
@roles_required(EMPLOYER)
def publish_vacancy(vacancy_id: int):
    return _transition(
        vacancy_id, vacancies.publish, _("The vacancy has been published."), today=clock.today()
    )


@bp.post("/vacancies/<int:vacancy_id>/close")
@roles_required(EMPLOYER)
def close_vacancy(vacancy_id: int):
    return _transition(vacancy_id, vacancies.close, _("The vacancy has been closed."))


@bp.post("/vacancies/<int:vacancy_id>/reopen")
@roles_required(EMPLOYER)
def reopen_vacancy(vacancy_id: int):
    return _transition(
        vacancy_id, vacancies.reopen, _("The vacancy has been re-opened."), today=clock.today()
    )


@bp.get("/vacancies/rule-choices")
@roles_required(EMPLOYER)
def vacancy_rule_choices():
    """htmx: the form's conditions and activities for the occupation and shift chosen so far,
    what they imply ticked and locked. The same include the form renders, from the same form."""
    form = VacancyForm(formdata=request.args, with_institutions=False)
    return render_template("employers/_rule_choices.html", form=form)


@bp.get("/occupations/suggest")
@roles_required(*EVERY_ROLE)
def occupation_suggest():
    """htmx type-ahead: the <option>s of the occupation select that match the typed words.

    The НКЗ subset is ~120 rows, the same list the plain select shows, so it is filtered in
    Python, with the global search's folding (`text_matches`): «тигинши», «tiginshi», «швея»
    and «тиг» all find Тігінші; digits are the start of an НКЗ code («7533»).
    """
    q = " ".join((request.args.get("occupation_q") or "").split())
    selected = request.args.get("occupation_id", type=database_int)
    code = q.replace(" ", "-")
    matches = [
        o
        for o in _occupations(selected)
        if not q
        or o.id == selected
        or (code[:1].isdigit() and o.code.startswith(code))
        or text_matches(q, (o.name_kk, o.name_ru))
    ]
    return render_template(
        "employers/_occupation_options.html", occupations=matches, selected=selected, q=q
    )
