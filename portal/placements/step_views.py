"""The steps of a placement, as form posts: accept for interview, decline, hire, end, withdraw.

One view per step, two renderings: with htmx the answer is the proposal's row (updated, or with
the refusal inline); without JavaScript a flash and a redirect back. The step itself is always
lifecycle's, which refuses stale pages, wrong states and people without the right.
"""
from collections.abc import Callable

import sqlalchemy as sa
from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.access import roles_required
from portal.auth.models import ADMIN, EMPLOYER, INSPECTOR
from portal.extensions import db, htmx
from portal.models_base import local_today
from portal.placements import bp, lifecycle
from portal.placements.display import refusal
from portal.placements.employer_views import proposals, render_row
from portal.placements.forms import (
    DeclineForm,
    EndForm,
    HireForm,
    InterviewForm,
    StepForm,
    WithdrawForm,
)
from portal.placements.lifecycle import StepRefused
from portal.placements.models import Placement
from portal.placements.scope import placement_filter
from portal.safe_redirect import is_local_url


def get_placement(placement_id: int) -> Placement:
    """The placement if the user's scope includes it; otherwise 404, never 403."""
    return db.first_or_404(
        sa.select(Placement).where(Placement.id == placement_id, placement_filter(current_user)))


def back(placement: Placement, form: StepForm) -> str:
    if is_local_url(form.next.data):
        return form.next.data
    if current_user.role == EMPLOYER:
        return url_for("placements.vacancy_proposals", vacancy_id=placement.vacancy_id)
    return url_for("placements.detail", placement_id=placement.id)


def form_problems(form) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]


def respond(fragment: Callable[[], str], back_url: Callable[[], str], *, done: str | None = None,
            problems: list[str] = (), reasons: list[str] = ()):
    """htmx: the fragment (its row, with the outcome inline); otherwise flashes and a redirect
    back to the page the form was on."""
    if htmx:
        return fragment()
    for message in [*problems, *reasons]:
        flash(message, "danger")
    if done:
        flash(done, "success")
    return redirect(back_url(), 303)


def answer(placement_id: int, form: StepForm, **outcome):
    def row():
        found = proposals(Placement.id == placement_id)
        if not found:
            abort(404)
        return render_row(found[0], **outcome)

    return respond(row, lambda: back(get_placement(placement_id), form), **outcome)


def take_step(placement_id: int, form: StepForm, step: Callable, done: str):
    """Run one lifecycle step on a placement in the user's scope; nothing changes if refused."""
    placement = get_placement(placement_id)
    if not form.validate_on_submit():
        return answer(placement.id, form, problems=form_problems(form))
    try:
        step(placement.id, form.version.data, current_user._get_current_object())
    except StepRefused as error:
        message, reasons = refusal(error, current_user)
        return answer(placement.id, form, problems=[message], reasons=reasons)
    return answer(placement.id, form, done=done)


@bp.post("/<int:placement_id>/interview")
@roles_required(EMPLOYER, ADMIN)
def interview(placement_id: int):
    return take_step(placement_id, InterviewForm(),
                     lambda pid, version, by: lifecycle.accept_for_interview(
                         pid, version, by, local_today()),
                     _("The candidate has been invited to an interview."))


@bp.post("/<int:placement_id>/decline")
@roles_required(EMPLOYER, ADMIN)
def decline(placement_id: int):
    form = DeclineForm()
    return take_step(placement_id, form,
                     lambda pid, version, by: lifecycle.decline(
                         pid, version, by, form.reason.data, form.note.data or ""),
                     _("The proposal has been declined."))


@bp.post("/<int:placement_id>/hire")
@roles_required(EMPLOYER, INSPECTOR, ADMIN)
def hire(placement_id: int):
    form = HireForm()
    return take_step(placement_id, form,
                     lambda pid, version, by: lifecycle.hire(
                         pid, version, by, start=form.start_date.data, on=local_today(),
                         part_time=form.part_time.data),
                     _("The hire has been recorded."))


@bp.post("/<int:placement_id>/end")
@roles_required(EMPLOYER, INSPECTOR, ADMIN)
def end(placement_id: int):
    form = EndForm()
    return take_step(placement_id, form,
                     lambda pid, version, by: lifecycle.end(
                         pid, version, by, form.end_date.data, form.reason.data,
                         form.note.data or ""),
                     _("The end of the employment has been recorded."))


@bp.post("/<int:placement_id>/withdraw")
@roles_required(INSPECTOR, ADMIN)
def withdraw(placement_id: int):
    form = WithdrawForm()
    return take_step(placement_id, form,
                     lambda pid, version, by: lifecycle.withdraw(
                         pid, version, by, form.reason.data, form.note.data or ""),
                     _("The proposal has been withdrawn."))
