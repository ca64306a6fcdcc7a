"""The programme's pages, under the record: the programme (an audited read, as the record),
starting it from a template (a confirmation page, then one click), the assessment, and the
steps. Plain form posts: no JavaScript needed. Access as for the record: inspectors of its
scope and administrators; another scope's record or step is 404."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.auth.access import roles_required
from portal.candidates import records
from portal.candidates.models import Candidate
from portal.candidates.views import STAFF, form_status, get_candidate
from portal.extensions import db
from portal.forms import ConfirmForm
from portal.programmes import bp, operations, step_templates
from portal.programmes.forms import StepForm, assessment_form
from portal.programmes.models import (
    ASSESSMENT_AREAS,
    ASSESSMENT_STATES,
    STEP_STATES,
    Programme,
    ProgrammeStep,
)
from portal.programmes.progress import progress


@bp.context_processor
def programme_helpers() -> dict:
    return {
        "step_states": STEP_STATES,
        "assessment_areas": ASSESSMENT_AREAS,
        "assessment_states": ASSESSMENT_STATES,
        "templates": step_templates.TEMPLATES,
        "today": clock.today(),
    }


def _programme(candidate: Candidate) -> Programme | None:
    return db.session.scalar(db.select(Programme).where(Programme.candidate_id == candidate.id))


def _existing(candidate: Candidate) -> Programme:
    programme = _programme(candidate)
    if programme is None:
        abort(404)
    return programme


def _step(programme: Programme, step_id: int) -> ProgrammeStep:
    """A step of this programme; a step of another is 404."""
    for step in programme.steps:
        if step.id == step_id:
            return step
    abort(404)


def _page(page: str, section: str, candidate: Candidate, **context):
    """A page of the programme; showing it (not a rejected POST) is an audited read."""
    if request.method == "GET":
        records.record_view(candidate, section)
    return render_template(page, candidate=candidate, **context), form_status()


def _back(candidate: Candidate):
    return redirect(url_for(".view", candidate_id=candidate.id))


@bp.get("/<int:candidate_id>/programme")
@roles_required(*STAFF)
def view(candidate_id: int):
    candidate = get_candidate(candidate_id)
    programme = _programme(candidate)
    return _page(
        "programmes/view.html",
        "programme",
        candidate,
        programme=programme,
        progress=progress(candidate.id, clock.today()),
        choices=step_templates.for_status(candidate.status),
    )


@bp.route("/<int:candidate_id>/programme/start", methods=["GET", "POST"])
@roles_required(*STAFF)
def start(candidate_id: int):
    """GET: what starting will create (the template's steps and their due dates); POST: start."""
    candidate = get_candidate(candidate_id)
    if _programme(candidate) is not None:
        return _back(candidate)
    code = request.values.get("template", "")
    template = step_templates.TEMPLATES.get(code)
    if code and (template is None or candidate.status not in template.statuses):
        abort(404)
    form = ConfirmForm()
    refusal = None
    if form.validate_on_submit():
        try:
            operations.start_programme(candidate, current_user, code or None)
        except operations.ProgrammeRefused as refused:
            refusal = refused.message
        else:
            flash(_("The programme has been started."), "success")
            return _back(candidate)
    steps = None
    if template is not None:
        try:
            steps = step_templates.due_dates(template, candidate.release_date, clock.today())
        except step_templates.NoAnchor:
            refusal = operations.NO_RELEASE_DATE
    return _page(
        "programmes/start.html",
        "programme_start",
        candidate,
        form=form,
        template=template,
        steps=steps,
        refusal=refusal,
    )


@bp.route("/<int:candidate_id>/programme/assessment", methods=["GET", "POST"])
@roles_required(*STAFF)
def assessment(candidate_id: int):
    candidate = get_candidate(candidate_id)
    programme = _existing(candidate)
    form = assessment_form(programme)
    if form.validate_on_submit():
        operations.set_assessment(programme, current_user, form.values())
        flash(_("The assessment has been saved."), "success")
        return _back(candidate)
    return _page(
        "programmes/assessment.html",
        "programme_assessment",
        candidate,
        programme=programme,
        form=form,
    )


def _step_page(candidate: Candidate, programme: Programme, step: ProgrammeStep | None):
    """A step's form: a new one (`step` None) or a step to change; a refusal of the operation
    is shown over the form."""
    form = StepForm(step=step)
    if form.validate_on_submit():
        try:
            if step is None:
                operations.add_step(programme, current_user, form.values())
            else:
                operations.update_step(step, current_user, form.values())
        except operations.ProgrammeRefused as refused:
            form.form_errors.append(refused.message)
        else:
            flash(
                _("The step has been added.") if step is None else _("The step has been saved."),
                "success",
            )
            return _back(candidate)
    return _page("programmes/step_form.html", "programme_step", candidate, form=form, step=step)


@bp.route("/<int:candidate_id>/programme/steps/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_step(candidate_id: int):
    candidate = get_candidate(candidate_id)
    return _step_page(candidate, _existing(candidate), None)


@bp.route("/<int:candidate_id>/programme/steps/<int:step_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_step(candidate_id: int, step_id: int):
    candidate = get_candidate(candidate_id)
    programme = _existing(candidate)
    return _step_page(candidate, programme, _step(programme, step_id))


@bp.route("/<int:candidate_id>/programme/steps/<int:step_id>/remove", methods=["GET", "POST"])
@roles_required(*STAFF)
def remove_step(candidate_id: int, step_id: int):
    candidate = get_candidate(candidate_id)
    step = _step(_existing(candidate), step_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        operations.remove_step(step, current_user)
        flash(_("The step has been removed."), "success")
        return _back(candidate)
    return _page(
        "candidates/confirm_remove.html",
        "programme_step",
        candidate,
        form=form,
        question=_("Remove the step “%(step)s” from the programme?", step=step.title),
        back=url_for(".view", candidate_id=candidate.id),
    )
