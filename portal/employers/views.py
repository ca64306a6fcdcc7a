"""Organisation pages: registration, the staff's list and decisions, an organisation's page."""

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from portal import clock
from portal.auth.access import roles_required
from portal.auth.models import ADMIN, AKIMAT, EMPLOYER, INSPECTOR
from portal.database import contains_text
from portal.employers import bp, registration
from portal.employers.expiry import close_expired
from portal.employers.forms import (
    BIN_TAKEN,
    OrganisationForm,
    RegistrationForm,
    RejectForm,
    occupation_label,
)
from portal.employers.labels import EMPLOYER_STATUS_LABELS, VACANCY_STATUS_LABELS, weekday_names
from portal.employers.models import (
    EMPLOYER_KIND_LABELS,
    EMPLOYER_KINDS,
    EMPLOYER_STATUSES,
    Employer,
    Vacancy,
)
from portal.employers.scope import employer_filter, vacancy_filter, visible_employers
from portal.employers.vacancies import proposal_counts
from portal.extensions import db, htmx, limiter
from portal.forms import ConfirmForm
from portal.placements.quotas import standings
from portal.placements.vocabulary import DASHBOARD_STATES, STATE_LABELS, proposal_count_text

STAFF = (ADMIN, INSPECTOR, AKIMAT)


@bp.context_processor
def employer_labels():
    return {
        "kind_labels": EMPLOYER_KIND_LABELS,
        "status_labels": VACANCY_STATUS_LABELS,
        "employer_status_labels": EMPLOYER_STATUS_LABELS,
        "proposal_labels": STATE_LABELS,
        "dashboard_states": DASHBOARD_STATES,
        "proposal_count_text": proposal_count_text,
        "occupation_label": occupation_label,
        "weekday_names": weekday_names,
    }


def _register_limit() -> str:
    return current_app.config["REGISTER_RATE_LIMIT"]


def _get_employer(employer_id: int) -> Employer:
    """The organisation if the user's scope includes it; otherwise 404, never 403."""
    return db.first_or_404(
        sa.select(Employer).where(Employer.id == employer_id, employer_filter(current_user))
    )


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def register():
    """Public: a new organisation (pending) and its first employer user, in one transaction.

    Every e-mail gets the same answer: an e-mail that already has an account registers nothing
    (its owner is to be told by e-mail, once the portal sends e-mail), with the same work done,
    so the page cannot be used to find out who has an account."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            registration.register_unless_taken(
                form.organisation_values(),
                email=form.login_email.data,
                password=form.password.data,
                locale=str(get_locale()),
            )
        except IntegrityError:  # a concurrent request took the BIN or the e-mail
            if registration.bin_taken(form.bin.data):
                form.bin.errors.append(str(BIN_TAKEN))
                return render_template("employers/register.html", form=form), 400
        flash(
            _(
                "Thank you: the registration has been received. Sign in with the e-mail and "
                "password you entered. An inspector of your region will check the organisation; "
                "you can post vacancies once it is approved."
            ),
            "success",
        )
        return redirect(url_for("auth.login"))
    status = 400 if request.method == "POST" else 200
    return render_template("employers/register.html", form=form), status


def _name_order():
    first, second = (
        (Employer.name_ru, Employer.name_kk)
        if str(get_locale()) == "ru"
        else (Employer.name_kk, Employer.name_ru)
    )
    return sa.func.coalesce(first, second)


@bp.get("/")
@roles_required(*STAFF)
def index():
    """Organisations in the user's scope, those awaiting a decision first."""
    query = visible_employers(current_user)
    status, kind = request.args.get("status"), request.args.get("kind")
    if status in EMPLOYER_STATUSES:
        query = query.where(Employer.status == status)
    if kind in EMPLOYER_KINDS:
        query = query.where(Employer.kind == kind)
    q = (request.args.get("q") or "").strip()
    if q:
        query = query.where(
            sa.or_(
                Employer.bin.startswith(q.replace(" ", ""), autoescape=True),
                contains_text(q, Employer.name_kk, Employer.name_ru),
            )
        )
    query = query.order_by(
        sa.case((Employer.status == "pending", 0), else_=1), _name_order(), Employer.id
    )
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    template = "employers/_employer_rows.html" if htmx else "employers/list.html"
    return render_template(
        template,
        page=page,
        q=q,
        status=status,
        kind=kind,
        statuses=EMPLOYER_STATUSES,
        kinds=EMPLOYER_KINDS,
    )


def _render_detail(employer: Employer, reject_form=None, status: int = 200):
    query = (
        sa.select(Vacancy)
        .where(Vacancy.employer_id == employer.id, vacancy_filter(current_user))
        .order_by(Vacancy.created_at.desc(), Vacancy.id.desc())
    )
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    ids = [v.id for v in page.items]
    counts = proposal_counts(Vacancy.id.in_(ids)) if ids else {}
    return render_template(
        "employers/detail.html",
        employer=employer,
        page=page,
        counts=counts,
        standing=standings([employer], clock.today().year)[employer.id],
        reject_form=reject_form or RejectForm(),
        confirm_form=ConfirmForm(),
    ), status


@bp.get("/<int:employer_id>")
@roles_required(*STAFF, EMPLOYER)
def detail(employer_id: int):
    close_expired()
    return _render_detail(_get_employer(employer_id))


@bp.route("/<int:employer_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN, EMPLOYER)
def edit(employer_id: int):
    """The organisation's own users correct its details; a rejected one is re-submitted."""
    employer = _get_employer(employer_id)
    by_staff = current_user.role == ADMIN
    form = OrganisationForm(obj=employer, employer_id=employer.id)
    if employer.status == registration.APPROVED and not by_staff:
        for name in registration.LOCKED_AFTER_APPROVAL:
            delattr(form, name)
    if form.validate_on_submit():
        try:
            changed = registration.update(employer, form.organisation_values(), by_staff=by_staff)
        except IntegrityError:  # a concurrent request took the BIN after validation
            form.bin.errors.append(str(BIN_TAKEN))
        else:
            if "status" in changed:
                flash(_("The corrected details have been sent for approval again."), "success")
            else:
                flash(_("The changes have been saved."), "success")
            return redirect(url_for("employers.detail", employer_id=employer.id))
    status = 400 if request.method == "POST" else 200
    return render_template("employers/organisation_form.html", form=form, employer=employer), status


@bp.post("/<int:employer_id>/approve")
@roles_required(ADMIN, INSPECTOR)
def approve(employer_id: int):
    employer = _get_employer(employer_id)
    if ConfirmForm().validate_on_submit():
        try:
            registration.approve(employer, current_user)
        except registration.DecisionError:
            flash(_("This organisation is not awaiting a decision."), "warning")
        else:
            flash(_("The organisation has been approved: it can now post vacancies."), "success")
    return redirect(url_for("employers.detail", employer_id=employer.id))


@bp.post("/<int:employer_id>/reject")
@roles_required(ADMIN, INSPECTOR)
def reject(employer_id: int):
    employer = _get_employer(employer_id)
    form = RejectForm()
    if not form.validate_on_submit():
        return _render_detail(employer, reject_form=form, status=400)
    try:
        registration.reject(employer, current_user, form.reason.data)
    except registration.DecisionError:
        flash(_("This organisation is not awaiting a decision."), "warning")
        return redirect(url_for("employers.detail", employer_id=employer.id))
    flash(_("The organisation has been rejected; it will see the reason."), "success")
    return redirect(url_for("employers.index"))
