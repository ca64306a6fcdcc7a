"""The candidate pages: the list, a new record, the record, and its main form."""

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.auth import audit
from portal.auth.access import roles_required
from portal.auth.models import ADMIN, INSPECTOR
from portal.candidates import bp, choices, consent, records, sections
from portal.candidates.consent_texts import CONSENT_TEXTS
from portal.candidates.forms import CandidateFilterForm, CandidateForm
from portal.candidates.identity import mask_iin, shown_iin
from portal.candidates.listing import candidate_list_query
from portal.candidates.models import CORRECTION_OUTCOMES, Candidate
from portal.candidates.scope import candidate_filter
from portal.candidates.vocabulary import CANDIDATE_STATUS_LABELS, CONSENT_KINDS, CONSENT_METHODS
from portal.extensions import db, htmx
from portal.page_cache import cached_page
from portal.placements.story import story
from portal.placements.vocabulary import STATE_LABELS
from portal.programmes.progress import progress
from portal.reference import criminal_code

STAFF = (ADMIN, INSPECTOR)


@bp.context_processor
def candidate_helpers() -> dict:
    return {
        "status_labels": CANDIDATE_STATUS_LABELS,
        "state_labels": STATE_LABELS,
        "mask_iin": mask_iin,
        "language_names": choices.language_names,
        "area_name": choices.area_name,
        "category_name": choices.category_name,
        "article_entries": criminal_code.entries_of,
        "today": clock.today(),
        "consent_kinds": CONSENT_KINDS,
        "consent_methods": CONSENT_METHODS,
        "consent_texts": CONSENT_TEXTS,
        "correction_outcomes": CORRECTION_OUTCOMES,
    }


def get_candidate(candidate_id: int) -> Candidate:
    """The record if it is in the user's scope; any other id is 404, as if it did not exist."""
    return db.first_or_404(
        sa.select(Candidate).where(Candidate.id == candidate_id, candidate_filter(current_user))
    )


def flash_warnings(form) -> None:
    """After a save: what the form accepted but the inspector should look at again."""
    for warning in form.warnings():
        flash(str(warning), "warning")


def form_status() -> int:
    """A form shown again after a POST was rejected."""
    return 400 if request.method == "POST" else 200


@bp.get("/")
@roles_required(*STAFF)
@cached_page
def index():
    form = CandidateFilterForm(formdata=request.args)
    filters = form.filters()
    page = db.paginate(
        candidate_list_query(current_user, filters),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    audit.read("candidates_listed", [c.id for c in page.items], page="candidates")
    if htmx:
        return render_template("candidates/_candidate_rows.html", page=page, filters=filters)
    regraded = db.session.scalar(
        sa.select(sa.func.count()).select_from(
            sections.regraded_offences(candidate_filter(current_user)).subquery()
        )
    )
    return render_template(
        "candidates/index.html", form=form, page=page, filters=filters, regraded=regraded
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new():
    form = CandidateForm(user=current_user)
    if form.validate_on_submit():
        candidate = records.create_candidate(current_user, form.values(), form.initial_grant())
        flash(
            _(
                "The record has been created. Fill in the offence section next: until it is "
                "complete, the rules treat the offences as unknown."
            ),
            "success",
        )
        flash_warnings(form)
        return redirect(url_for(".view", candidate_id=candidate.id))
    if form.iin_conflict is not None:
        records.record_iin_conflict(current_user, form.iin_conflict, "new")
    return render_template("candidates/form.html", form=form, candidate=None), form_status()


@bp.get("/<int:candidate_id>")
@roles_required(*STAFF)
def view(candidate_id: int):
    candidate = get_candidate(candidate_id)
    records.record_view(candidate, "record")
    template = "candidates/_record.html" if htmx else "candidates/view.html"
    return render_template(
        template,
        candidate=candidate,
        iin=shown_iin(candidate, current_user),
        consent_history=consent.history(candidate.id),
        story=story(candidate.id),
        programme_progress=progress(candidate.id, clock.today()),
    )


@bp.route("/<int:candidate_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit(candidate_id: int):
    candidate = get_candidate(candidate_id)
    form = CandidateForm(user=current_user, candidate=candidate)
    if form.validate_on_submit():
        records.update_candidate(candidate, current_user, form.values())
        flash(_("The changes have been saved."), "success")
        flash_warnings(form)
        return redirect(url_for(".view", candidate_id=candidate.id))
    if request.method == "GET":
        records.record_view(candidate, "edit")
    elif form.iin_conflict is not None:
        records.record_iin_conflict(current_user, form.iin_conflict, "edit")
    return render_template(
        "candidates/form.html",
        form=form,
        candidate=candidate,
        iin=shown_iin(candidate, current_user),
    ), form_status()
