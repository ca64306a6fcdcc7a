"""The inspector's pages: the pipeline of their candidates' placements, and one placement with
its full history, the steps an inspector takes (withdraw, record a hire or an end) and its
workplace checks (recorded here)."""

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.auth import audit
from portal.auth.access import roles_required
from portal.auth.audit import record
from portal.auth.models import ADMIN, INSPECTOR, User
from portal.candidates.models import Candidate
from portal.employers.models import Employer, Vacancy
from portal.extensions import db, htmx
from portal.forms import database_int, with_ids
from portal.placements import bp, workplace_checks
from portal.placements.followup import due_checks
from portal.placements.forms import EndForm, HireForm, NoteForm, WithdrawForm, WorkplaceCheckForm
from portal.placements.lifecycle import StepRefused, possible_steps
from portal.placements.models import Placement, PlacementEvent, RetentionCheck
from portal.placements.retention import recorded_milestones
from portal.placements.scope import placement_filter
from portal.placements.step_views import get_placement
from portal.placements.vocabulary import STARTED, STATE_ORDER

INSPECTOR_STEPS = ("hire", "end", "withdraw")
# A list shows the candidate's name and code only: their other records stay unloaded.
CANDIDATE_NAME_ONLY = so.joinedload(Placement.candidate).options(
    so.load_only(Candidate.id, Candidate.code, Candidate.full_name), so.lazyload("*")
)


def _filters() -> tuple[str | None, int | None, int | None]:
    state = request.args.get("state")
    return (
        state if state in STATE_ORDER else None,
        request.args.get("employer", type=database_int),
        request.args.get("vacancy", type=database_int),
    )


def _filter_choices(scope, employer_id: int | None, vacancy_id: int | None):
    """Employers with placements in the scope; the chosen employer's vacancies (or the chosen
    vacancy alone), so a national scope never lists every vacancy in one select."""
    in_scope = sa.select(Placement.vacancy_id).where(scope)
    employers = db.session.scalars(
        sa.select(Employer).where(
            Employer.id.in_(sa.select(Vacancy.employer_id).where(Vacancy.id.in_(in_scope)))
        )
    ).all()
    shown = (Vacancy.employer_id == employer_id) if employer_id else (Vacancy.id == vacancy_id)
    vacancies = (
        db.session.scalars(
            sa.select(Vacancy).where(Vacancy.id.in_(in_scope), shown).order_by(Vacancy.id)
        )
        .unique()
        .all()
    )
    return sorted(employers, key=lambda e: e.name.casefold()), vacancies


@bp.get("/")
@roles_required(INSPECTOR, ADMIN)
def pipeline():
    """The placements of the user's candidates: tabs by state, filters by employer and vacancy."""
    state, employer_id, vacancy_id = _filters()
    scope = placement_filter(current_user)
    where = [scope]
    if employer_id:
        where.append(
            Placement.vacancy_id.in_(
                sa.select(Vacancy.id).where(Vacancy.employer_id == employer_id)
            )
        )
    if vacancy_id:
        where.append(Placement.vacancy_id == vacancy_id)
    counts = dict(
        db.session.execute(
            sa.select(Placement.state, sa.func.count()).where(*where).group_by(Placement.state)
        ).all()
    )
    query = (
        sa.select(Placement)
        .where(*where)
        .where(Placement.state == state if state else sa.true())
        .options(CANDIDATE_NAME_ONLY)
        .order_by(Placement.updated_at.desc(), Placement.id.desc())
    )
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    audit.read("placements_listed", [p.candidate_id for p in page.items], page="pipeline")
    employers, vacancies = _filter_choices(scope, employer_id, vacancy_id)
    template = "placements/_pipeline.html" if htmx else "placements/pipeline.html"
    return render_template(
        template,
        page=page,
        counts=counts,
        states=STATE_ORDER,
        state=state,
        employer_id=employer_id,
        vacancy_id=vacancy_id,
        employers=employers,
        vacancies=vacancies,
        filter_args={"employer": employer_id, "vacancy": vacancy_id},
    )


def _history(placement_id: int) -> list[tuple[PlacementEvent, str | None]]:
    return db.session.execute(
        sa.select(PlacementEvent, User.full_name)
        .outerjoin(User, User.id == PlacementEvent.user_id)
        .where(PlacementEvent.placement_id == placement_id)
        .order_by(PlacementEvent.at, PlacementEvent.id)
    ).all()


def _checks(placement_id: int) -> list[tuple[RetentionCheck, str]]:
    return db.session.execute(
        sa.select(RetentionCheck, User.full_name)
        .join(User, User.id == RetentionCheck.user_id)
        .where(RetentionCheck.placement_id == placement_id)
        .order_by(RetentionCheck.milestone)
    ).all()


@bp.get("/<int:placement_id>")
@roles_required(INSPECTOR, ADMIN)
def detail(placement_id: int):
    """A placement, its history, its retention and workplace checks, and the inspector's steps."""
    return _render_detail(get_placement(placement_id))


def _render_detail(placement: Placement, check_form: WorkplaceCheckForm | None = None, status=200):
    record("placement_viewed", placement, candidate_id=placement.candidate_id)
    audit.commit_read()
    steps = possible_steps(placement, placement.vacancy) & set(INSPECTOR_STEPS)
    here = {"version": placement.version, "next": url_for(".detail", placement_id=placement.id)}
    today = clock.today()
    started = placement.hired_on is not None and placement.state in STARTED
    earliest = placement.earliest_start(today)
    due = (
        due_checks(placement.hired_on, placement.ended_on, recorded_milestones(placement.id), today)
        if started
        else []
    )
    workplace = (
        db.paginate(
            workplace_checks.checks_of(placement.id),
            per_page=current_app.config["PAGE_SIZE"],
            error_out=False,
            count=True,
        )
        if started
        else None
    )
    return render_template(
        "placements/placement.html",
        p=placement,
        history=_history(placement.id),
        checks=_checks(placement.id),
        workplace=workplace,
        today=today,
        check_form=with_ids(check_form or WorkplaceCheckForm(formdata=None), "workplace-check"),
        steps=steps,
        due=due,
        hire_form=with_ids(HireForm(**here, start_date=earliest), "hire"),
        earliest=earliest,
        end_form=with_ids(EndForm(**here), "end"),
        withdraw_form=with_ids(WithdrawForm(**here), "withdraw"),
        note_form=with_ids(NoteForm(**here, inspector_note=placement.inspector_note), "note"),
    ), status


# The refusals of a check's day, shown at the day's field; any other at the page's top.
DAY_REFUSALS = ("check_in_future", "check_before_start", "check_after_end")


@bp.post("/<int:placement_id>/workplace-checks")
@roles_required(INSPECTOR, ADMIN)
def record_workplace_check(placement_id: int):
    """Record a workplace check; bad input re-renders the page with its messages (400)."""
    placement = get_placement(placement_id)
    form = WorkplaceCheckForm()
    if form.validate_on_submit():
        try:
            workplace_checks.record_check(
                placement.id,
                current_user._get_current_object(),
                clock.today(),
                checked_on=form.checked_on.data,
                found_at_work=form.found,
                note=form.note.data or "",
            )
        except StepRefused as error:
            if error.code == "not_found":
                abort(404)
            if error.code not in DAY_REFUSALS:  # no check on this placement: no form shown
                flash(str(error.message), "danger")
                return _render_detail(placement, check_form=form, status=409)
            form.checked_on.errors = [*form.checked_on.errors, str(error.message)]
        else:
            flash(_("The workplace check has been recorded."), "success")
            return redirect(url_for(".detail", placement_id=placement.id), 303)
    return _render_detail(placement, check_form=form, status=400)
