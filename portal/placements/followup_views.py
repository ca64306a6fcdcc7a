"""The follow-up list: hired people due for a retention check at 3, 6 and 12 months, where the
inspector records "still employed" or "ended" (which ends the placement through the life cycle),
each with the last workplace check of the placement.
"""

import sqlalchemy as sa
from flask import render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal import clock
from portal.auth import audit
from portal.auth.access import roles_required
from portal.auth.models import ADMIN, INSPECTOR
from portal.extensions import db
from portal.pagination import paginate_list
from portal.placements import bp, retention
from portal.placements.display import refusal
from portal.placements.followup import Due, add_months
from portal.placements.forms import ENDED, FollowUpForm
from portal.placements.inspector_views import CANDIDATE_NAME_ONLY
from portal.placements.kept_steps import KeptStep, kept_sent
from portal.placements.lifecycle import StepRefused
from portal.placements.models import RETENTION_MILESTONES, Placement
from portal.placements.step_views import form_problems, get_placement, respond
from portal.placements.workplace_checks import last_checks
from portal.safe_redirect import is_local_url


def _placements(ids: list[int]) -> dict[int, Placement]:
    rows = db.session.scalars(
        sa.select(Placement).where(Placement.id.in_(ids)).options(CANDIDATE_NAME_ONLY)
    ).unique()
    return {p.id: p for p in rows}


ENDED_STEP = _l("No longer employed")


def _kept_check(rows: list[tuple[Placement, Due]]) -> KeptStep | None:
    """A check's end kept for this page (kept_steps.py): it applies while its row is on the
    page and the person is still in work. "Still employed" is a button: nothing to put back."""
    due = {(p.id, d.milestone) for p, d in rows}
    return kept_sent(
        {"record_follow_up": FollowUpForm},
        lambda _step, form: str(ENDED_STEP) if form.outcome.data == ENDED else None,
        [p for p, _due in rows],
        lambda p, _step, form: p.state == "hired" and (p.id, form.milestone.data) in due,
    )


@bp.get("/follow-up")
@roles_required(INSPECTOR, ADMIN)
def follow_up():
    today = clock.today()
    page = paginate_list(retention.due_list(current_user, today))
    placements = _placements([item.placement_id for item in page.items])
    rows = [(placements[item.placement_id], item.due) for item in page.items]
    audit.read("placements_listed", [p.candidate_id for p, _due in rows], page="follow_up")
    return render_template(
        "placements/follow_up.html",
        page=page,
        rows=rows,
        today=today,
        last_checks=last_checks(list(placements)),
        kept=_kept_check(rows),
    )


@bp.post("/<int:placement_id>/follow-up")
@roles_required(INSPECTOR, ADMIN)
def record_follow_up(placement_id: int):
    placement = get_placement(placement_id)
    form = FollowUpForm()
    today = clock.today()
    problems, reasons, done = [], [], None
    if not form.validate_on_submit():
        problems = form_problems(form)
    else:
        by = current_user._get_current_object()
        try:
            if form.outcome.data == ENDED:
                retention.record_ended(
                    placement.id,
                    form.version.data,
                    form.milestone.data,
                    by,
                    today,
                    end_date=form.end_date.data,
                    reason=form.reason.data,
                    note=form.note.data or "",
                )
                done = _("The check has been recorded and the employment ended.")
            else:
                retention.record_check(
                    placement.id,
                    form.version.data,
                    form.milestone.data,
                    by,
                    today,
                    still_employed=True,
                )
                done = _("The check has been recorded: still employed.")
        except StepRefused as error:
            message, reasons = refusal(error, current_user)
            problems = [message]

    def row():
        found = _placements([placement.id])[placement.id]
        milestone = form.milestone.data
        due = (
            Due(milestone, add_months(found.hired_on, milestone))
            if found.hired_on and milestone in RETENTION_MILESTONES
            else None
        )
        return render_template(
            "placements/_follow_up_row.html",
            p=found,
            due=due,
            last_check=last_checks([found.id]).get(found.id),
            today=today,
            done=done,
            problems=problems,
            reasons=reasons,
        )

    def back_url():
        return form.next.data if is_local_url(form.next.data) else url_for(".follow_up")

    return respond(row, back_url, done=done, problems=problems, reasons=reasons)
