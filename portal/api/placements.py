"""Placements and their steps: the life cycle's own steps (portal/placements/lifecycle.py),
taken with the step forms' fields and rules. A step names the version it was decided on in
If-Match (the placement's ETag); a refused step is a problem with a stable code."""

import marshmallow as ma
import sqlalchemy as sa
from flask import g, request
from flask_login import current_user
from flask_smorest import abort

from portal import clock
from portal.api import api_blueprint
from portal.api.auth import roles
from portal.api.candidates import STAFF, candidate_or_404
from portal.api.forms import filled, form_errors
from portal.api.pagination import by_id
from portal.api.problems import documented
from portal.api.schemas import PageArgs, Schema, id_field, one_of, page_of, reasons
from portal.api.vacancies import vacancy_or_404
from portal.auth import audit
from portal.auth.models import ADMIN, EMPLOYER, INSPECTOR, User
from portal.extensions import db
from portal.placements import lifecycle
from portal.placements.display import PRIVATE_REFUSALS, refusal, seen_reason, seen_state
from portal.placements.models import Placement, PlacementEvent
from portal.placements.reasons import DECLINE_REASONS, END_REASONS, WITHDRAW_REASONS
from portal.placements.scope import placement_filter
from portal.placements.step_views import STEPS
from portal.placements.vocabulary import PLACEMENT_STATES, employer_state

bp = api_blueprint("placements", "/placements", "Placements and the steps of their life cycle.")
READERS = (ADMIN, INSPECTOR, EMPLOYER)
STATUS_OF_REFUSAL = {"not_found": 404, "not_allowed": 403, "stale": 412}
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "schema": {"type": "string"},
    "description": "the placement's ETag, as read",
}


class EventSchema(Schema):
    from_state = ma.fields.String(allow_none=True)
    to_state = ma.fields.String(required=True)
    at = ma.fields.DateTime(required=True)
    on_date = ma.fields.Date(allow_none=True)
    reason_code = ma.fields.String(allow_none=True)


class PlacementSchema(Schema):
    """As the user's pages show it: employers see one neutral state for every withdrawal, no
    reason for it, and the candidate's pseudonymous code only."""

    id = ma.fields.Integer(required=True)
    vacancy_id = ma.fields.Integer(required=True)
    candidate_code = ma.fields.String(attribute="candidate.code", required=True)
    candidate_id = ma.fields.Method("staff_candidate_id", metadata={"type": "integer"})
    state = ma.fields.Method("state_seen", required=True, metadata={"type": "string"})
    reason = ma.fields.Method("reason_seen", metadata={"type": "string"})
    version = ma.fields.Integer(required=True)
    proposed_at = ma.fields.DateTime(required=True)
    hired_on = ma.fields.Date(allow_none=True)
    ended_on = ma.fields.Date(allow_none=True)
    part_time = ma.fields.Boolean()

    def staff_candidate_id(self, placement: Placement):
        return placement.candidate_id if current_user.role != EMPLOYER else ma.missing

    def state_seen(self, placement: Placement) -> str:
        return seen_state(placement)

    def reason_seen(self, placement: Placement) -> str:
        return seen_reason(placement)


class PlacementDetailSchema(PlacementSchema):
    history = ma.fields.List(
        ma.fields.Nested(EventSchema),
        attribute="history_rows",
        metadata={"description": "staff only: employers are not shown the inspectors' steps"},
    )


class PlacementArgs(PageArgs):
    state = ma.fields.String(validate=one_of(PLACEMENT_STATES))
    vacancy_id = id_field()


class ProposeIn(Schema):
    candidate_id = id_field(required=True)
    vacancy_id = id_field(required=True)


def _reason(reasons_by_code: dict):
    return ma.fields.String(required=True, validate=one_of(reasons_by_code))


class InterviewIn(Schema):
    """When and where, as the page's form asks: a local day and time in Kazakhstan."""

    day = ma.fields.Date(required=True)
    at = ma.fields.Time(required=True, metadata={"example": "10:00"})
    by_phone = ma.fields.Boolean(load_default=False)
    place = ma.fields.String(load_default="")
    note = ma.fields.String(load_default="")


class NoBody(Schema):
    pass


class NoteIn(Schema):
    inspector_note = ma.fields.String(load_default="")


class DeclineIn(Schema):
    reason = _reason(DECLINE_REASONS)
    note = ma.fields.String(load_default="")


class HireIn(Schema):
    start_date = ma.fields.Date(required=True)
    part_time = ma.fields.Boolean(load_default=False)


class EndIn(Schema):
    end_date = ma.fields.Date(required=True)
    reason = _reason(END_REASONS)
    note = ma.fields.String(load_default="")


class WithdrawIn(Schema):
    reason = _reason(WITHDRAW_REASONS)
    note = ma.fields.String(load_default="")


STEP_BODIES = {
    "interview": InterviewIn,
    "move_interview": InterviewIn,
    "cancel_interview": NoBody,
    "note": NoteIn,
    "decline": DeclineIn,
    "hire": HireIn,
    "end": EndIn,
    "withdraw": WithdrawIn,
}


def etag(placement: Placement) -> str:
    return f'"{placement.id}-{placement.version}"'


def placement_or_404(placement_id: int) -> Placement:
    roles(*READERS)
    placement = db.session.scalar(
        sa.select(Placement).where(Placement.id == placement_id, placement_filter(current_user))
    )
    if placement is None:
        abort(404)
    return placement


@bp.before_request
def placement_in_scope():
    """The step's roles, then the scope, before the body is read (as the pages: 403, 404)."""
    if "api_token" not in g:
        return
    view = request.endpoint.rpartition(".")[2]
    if view == "propose":
        roles(*STAFF)
    elif view.startswith("step_"):
        roles(*STEPS[view.removeprefix("step_")][0])
    if "placement_id" in (request.view_args or {}):
        placement_or_404(request.view_args["placement_id"])


def refused(error: lifecycle.StepRefused, user: User):
    """The refusal as the pages word it; employers never learn of exclusions or consent."""
    message, _shown = refusal(error, user)
    staff = user.role in (INSPECTOR, ADMIN)
    private = not staff and (error.reasons or error.code in PRIVATE_REFUSALS)
    abort(
        STATUS_OF_REFUSAL.get(error.code, 409),
        code="not_possible" if private else error.code,
        message=message,
        reasons=reasons(error.reasons) if staff else [],
    )


def version_from_if_match(placement: Placement) -> int:
    sent = request.headers.get("If-Match")
    if not sent:
        abort(428, message=None)
    if sent.strip().removeprefix("W/") != etag(placement):
        abort(412, code="stale", message=str(lifecycle.MSG_STALE))
    return placement.version


@bp.get("/")
@bp.arguments(PlacementArgs, location="query")
@bp.response(200, page_of(PlacementSchema, "PlacementPage"))
@documented(bp, 400, 403)
def list_placements(args):
    """Inspectors: their candidates' placements; employers: the proposals to their vacancies."""
    roles(*READERS)
    select = sa.select(Placement).where(placement_filter(current_user))
    if "state" in args:  # employers filter by the states they are shown
        seen = employer_state if current_user.role == EMPLOYER else (lambda state: state)
        select = select.where(
            Placement.state.in_([s for s in PLACEMENT_STATES if seen(s) == args["state"]])
        )
    if "vacancy_id" in args:
        select = select.where(Placement.vacancy_id == args["vacancy_id"])
    page = by_id(select, Placement.id, args)
    # People are shown: audited with their ids and the filters, as the pipeline page is.
    audit.read("placements_listed", [p.candidate_id for p in page["items"]], page="api_placements")
    return page


@bp.get("/<int:placement_id>")
@bp.response(200, PlacementDetailSchema, headers={"ETag": {"schema": {"type": "string"}}})
@documented(bp, 403, 404)
def get_placement(placement_id: int):
    placement = placement_or_404(placement_id)
    if current_user.role != EMPLOYER:
        placement.history_rows = db.session.scalars(
            sa.select(PlacementEvent)
            .where(PlacementEvent.placement_id == placement.id)
            .order_by(PlacementEvent.at, PlacementEvent.id)
        ).all()
    return placement, 200, {"ETag": etag(placement)}


@bp.post("/")
@bp.arguments(ProposeIn)
@bp.response(201, PlacementSchema, headers={"ETag": {"schema": {"type": "string"}}})
@documented(bp, 403, 404, 409)
def propose(body):
    """Propose a candidate for a vacancy (both in the inspector's scope)."""
    roles(*STAFF)
    candidate = candidate_or_404(body["candidate_id"])
    vacancy = vacancy_or_404(body["vacancy_id"])
    try:
        placement = lifecycle.propose(candidate.id, vacancy.id, current_user, clock.today())
    except lifecycle.StepRefused as error:
        refused(error, current_user)
    return placement, 201, {"ETag": etag(placement)}


def _step_view(step: str):
    allowed, form_class, run, _done = STEPS[step]

    def view(body, placement_id: int):
        roles(*allowed)
        placement = placement_or_404(placement_id)
        version = version_from_if_match(placement)
        form = filled(form_class, {**body, "version": version})
        if form.errors:
            abort(422, errors=form_errors(form))
        try:
            run(form, placement.id, version, current_user._get_current_object())
        except lifecycle.StepRefused as error:
            refused(error, current_user)
        db.session.expire_all()
        placement = placement_or_404(placement_id)
        return placement, 200, {"ETag": etag(placement)}

    view.__name__ = view.__qualname__ = f"step_{step}"
    view.__doc__ = f"The {step} step of the life cycle (who may take it: {', '.join(allowed)})."
    view = documented(bp, 403, 404, 409, 412, 428)(view)
    view = bp.response(200, PlacementSchema, headers={"ETag": {"schema": {"type": "string"}}})(view)
    view = bp.doc(parameters=[IF_MATCH])(view)
    view = bp.arguments(STEP_BODIES[step])(view)
    return bp.post(f"/<int:placement_id>/{step}")(view)


for _step in STEPS:
    _step_view(_step)
