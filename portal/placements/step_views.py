"""The steps of a placement, as form posts: accept for interview, decline, hire, end, withdraw.

One view per step, two renderings: with htmx the answer is the proposal's row (updated, or with
the refusal inline); without JavaScript a flash and a redirect back. The step itself is always
lifecycle's, which refuses stale pages, wrong states and people without the right.
"""

from collections.abc import Callable

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal import clock
from portal.auth.access import roles_required
from portal.auth.models import ADMIN, EMPLOYER, INSPECTOR
from portal.extensions import db, htmx
from portal.placements import bp, lifecycle
from portal.placements.display import refusal
from portal.placements.employer_views import proposals, render_row
from portal.placements.forms import (
    DeclineForm,
    EndForm,
    HireForm,
    InterviewForm,
    NoteForm,
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
        sa.select(Placement).where(Placement.id == placement_id, placement_filter(current_user))
    )


def back(placement: Placement, form: StepForm) -> str:
    if is_local_url(form.next.data):
        return form.next.data
    if current_user.role == EMPLOYER:
        return url_for("placements.vacancy_proposals", vacancy_id=placement.vacancy_id)
    return url_for("placements.detail", placement_id=placement.id)


def form_problems(form) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]


def respond(
    fragment: Callable[[], str],
    back_url: Callable[[], str],
    *,
    done: str | None = None,
    problems: list[str] = (),
    reasons: list[str] = (),
):
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


def ask_first(placement: Placement, step: str, form: StepForm, warnings: list[str]):
    """A step that needs a second look: the warnings and a button that sends the same form
    again, confirmed; in the row with htmx, else on a page of its own. Nothing changed yet."""
    context = {"confirm_step": step, "warnings": warnings}
    if htmx:
        return render_row(placement, **context)
    return render_template(
        "placements/confirm_step.html", p=placement, back=back(placement, form), **context
    )


def take_step(placement_id: int, form: StepForm, step: Callable, done: str, name: str = ""):
    """Run one lifecycle step on a placement in the user's scope; nothing changes if refused
    (or while the form's warnings wait for a confirmation)."""
    placement = get_placement(placement_id)
    if not form.validate_on_submit():
        return answer(placement.id, form, problems=form_problems(form))
    warnings = [] if form.confirmed() else form.warnings(placement)
    if warnings:
        return ask_first(placement, name, form, warnings)
    try:
        step(placement.id, form.version.data, current_user._get_current_object())
    except StepRefused as error:
        message, reasons = refusal(error, current_user)
        return answer(placement.id, form, problems=[message], reasons=reasons)
    return answer(placement.id, form, done=done)


def _reason_and_note(form) -> tuple[str, str]:
    return form.reason.data, form.note.data or ""


# Each step: who may post it, its form, the lifecycle call, and what the user is told when done.
STEPS = {
    "interview": (
        (EMPLOYER, ADMIN),
        InterviewForm,
        lambda f, pid, v, by: lifecycle.accept_for_interview(
            pid, v, by, clock.today(), f.booking()
        ),
        _l("The candidate has been invited to an interview."),
    ),
    "move_interview": (
        (EMPLOYER, ADMIN),
        InterviewForm,
        lambda f, pid, v, by: lifecycle.move_interview(pid, v, by, f.booking()),
        _l("The interview has been moved."),
    ),
    "cancel_interview": (
        (EMPLOYER, ADMIN),
        StepForm,
        lambda f, pid, v, by: lifecycle.cancel_interview(pid, v, by),
        _l("The interview has been cancelled."),
    ),
    "note": (
        (INSPECTOR, ADMIN),
        NoteForm,
        lambda f, pid, v, by: lifecycle.set_inspector_note(pid, v, by, f.inspector_note.data or ""),
        _l("The note to the employer has been saved."),
    ),
    "decline": (
        (EMPLOYER, ADMIN),
        DeclineForm,
        lambda f, pid, v, by: lifecycle.decline(pid, v, by, *_reason_and_note(f)),
        _l("The proposal has been declined."),
    ),
    "hire": (
        (EMPLOYER, INSPECTOR, ADMIN),
        HireForm,
        lambda f, pid, v, by: lifecycle.hire(
            pid, v, by, start=f.start_date.data, on=clock.today(), part_time=f.part_time.data
        ),
        _l("The hire has been recorded."),
    ),
    "end": (
        (EMPLOYER, INSPECTOR, ADMIN),
        EndForm,
        lambda f, pid, v, by: lifecycle.end(pid, v, by, f.end_date.data, *_reason_and_note(f)),
        _l("The end of the employment has been recorded."),
    ),
    "withdraw": (
        (INSPECTOR, ADMIN),
        WithdrawForm,
        lambda f, pid, v, by: lifecycle.withdraw(pid, v, by, *_reason_and_note(f)),
        _l("The proposal has been withdrawn."),
    ),
}


def _step_view(step: str):
    roles, form_class, run, done = STEPS[step]

    def view(placement_id: int):
        form = form_class()
        return take_step(
            placement_id, form, lambda pid, v, by: run(form, pid, v, by), str(done), step
        )

    view.__name__ = step
    return roles_required(*roles)(view)


URLS = {"move_interview": "interview/move", "cancel_interview": "interview/cancel"}
for _step in STEPS:
    bp.add_url_rule(
        f"/<int:placement_id>/{URLS.get(_step, _step)}", _step, _step_view(_step), methods=["POST"]
    )
