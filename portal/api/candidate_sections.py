"""A record's sections through the API: court bans, administrative supervision, consent
(grant and withdrawal) and trades — the section pages' own forms (portal/candidates/forms.py,
consent_forms.py) and operations (sections.py, consent.py), so the same rules and messages.

A withdrawal of consent asks, as the page does, that the caller know what it ends: it sends
the number of open proposals it expects withdrawn (`open_count`, from GET …/consent); if that
is no longer the number, nothing is done (409 `open_changed`)."""

import marshmallow as ma
from flask_login import current_user
from flask_smorest import abort

from portal.api import api_blueprint
from portal.api.candidates import (
    CandidateSchema,
    ConsentIn,
    candidate_or_404,
    invalid,
    record_in_scope,
)
from portal.api.forms import filled, form_errors
from portal.api.problems import documented
from portal.api.schemas import Schema, id_field, one_of
from portal.candidates import consent, records, sections
from portal.candidates.consent import ConsentRefused
from portal.candidates.consent_forms import ConsentGrantForm, ConsentWithdrawForm
from portal.candidates.forms import BanForm, SupervisionForm, TradesForm
from portal.candidates.vocabulary import CHOSEN_METHODS

bp = api_blueprint(
    "candidate_sections",
    "/candidates",
    "A record's sections: court bans, supervision, consent, trades (inspectors, administrators).",
)
bp.before_request(record_in_scope)


class BanSchema(Schema):
    id = ma.fields.Integer(required=True)
    activity_code = ma.fields.String(required=True)
    until = ma.fields.Date(
        allow_none=True, metadata={"description": "the last day; null: for life"}
    )


class BanIn(Schema):
    activity_code = ma.fields.String(required=True)
    until = ma.fields.Date(allow_none=True)
    for_life = ma.fields.Boolean(load_default=False)


class SupervisionSchema(Schema):
    curfew_from = ma.fields.Time(allow_none=True, format="%H:%M")
    curfew_to = ma.fields.Time(allow_none=True, format="%H:%M")
    permitted_area = ma.fields.String(allow_none=True, metadata={"description": "a KATO prefix"})
    place_codes = ma.fields.Method(
        "places", metadata={"type": "array", "items": {"type": "string"}}
    )
    no_alcohol = ma.fields.Boolean(required=True)
    no_contact_minors = ma.fields.Boolean(required=True)
    until = ma.fields.Date(allow_none=True)

    def places(self, supervision) -> list[str]:
        return sorted(p.code for p in supervision.prohibited_places)


class SupervisionIn(Schema):
    """The whole section, as the page sends it: a field left out is empty."""

    curfew_from = ma.fields.Time(allow_none=True, load_default=None, format="%H:%M")
    curfew_to = ma.fields.Time(allow_none=True, load_default=None, format="%H:%M")
    permitted_area = ma.fields.String(
        allow_none=True, load_default=None, metadata={"description": "a KATO prefix; null: none"}
    )
    place_codes = ma.fields.List(ma.fields.String(), load_default=list)
    no_alcohol = ma.fields.Boolean(load_default=False)
    no_contact_minors = ma.fields.Boolean(load_default=False)
    until = ma.fields.Date(allow_none=True, load_default=None)


class ConsentEventSchema(Schema):
    kind = ma.fields.String(required=True)
    on_date = ma.fields.Date(required=True)
    method = ma.fields.String(required=True)
    text_version = ma.fields.String(allow_none=True)
    recorded_at = ma.fields.DateTime(required=True)


class ConsentSchema(Schema):
    consent = ma.fields.Boolean(required=True)
    open_count = ma.fields.Integer(
        required=True, metadata={"description": "open proposals a withdrawal would end"}
    )
    history = ma.fields.List(ma.fields.Nested(ConsentEventSchema), required=True)


class ConsentWithdrawIn(Schema):
    on_date = ma.fields.Date(required=True)
    method = ma.fields.String(required=True, validate=one_of(CHOSEN_METHODS))
    open_count = ma.fields.Integer(
        required=True,
        validate=ma.validate.Range(min=0, max=1_000_000),
        metadata={"description": "the open proposals the caller expects withdrawn"},
    )


class TradesIn(Schema):
    occupation_ids = ma.fields.List(id_field(), required=True)


def _form(form_class, body: dict, **kwargs):
    form = filled(form_class, body, **kwargs)
    if form.errors:
        invalid(form_errors(form))
    return form


def _consent(candidate) -> dict:
    return {
        "consent": candidate.consent,
        "open_count": consent.open_proposals(candidate.id),
        "history": consent.history(candidate.id),
    }


def _supervised(candidate_id: int):
    """The record, if it has a supervision (none: 404 `no_supervision`)."""
    candidate = candidate_or_404(candidate_id)
    if candidate.supervision is None:
        abort(404, code="no_supervision")
    return candidate


def _refused(refused: ConsentRefused):
    abort(409, code=refused.code, message=str(refused.message))


@bp.get("/<int:candidate_id>/bans")
@bp.response(200, BanSchema(many=True))
@documented(bp, 403, 404)
def list_bans(candidate_id: int):
    candidate = candidate_or_404(candidate_id)
    records.record_view(candidate, "api_bans")
    return candidate.activity_bans


@bp.post("/<int:candidate_id>/bans")
@bp.arguments(BanIn)
@bp.response(201, BanSchema)
@documented(bp, 403, 404)
def add_ban(body, candidate_id: int):
    """A court ban on a post or activity, until a last day or for life (one of the two)."""
    candidate = candidate_or_404(candidate_id)
    form = _form(BanForm, body)
    return sections.add_ban(
        candidate, form.activity_code.data, None if form.for_life.data else form.until.data
    )


@bp.delete("/<int:candidate_id>/bans/<int:ban_id>")
@bp.response(204)
@documented(bp, 403, 404)
def remove_ban(candidate_id: int, ban_id: int):
    candidate = candidate_or_404(candidate_id)
    ban = next((b for b in candidate.activity_bans if b.id == ban_id), None)
    if ban is None:
        abort(404)
    sections.remove_ban(candidate, ban)


@bp.get("/<int:candidate_id>/supervision")
@bp.response(200, SupervisionSchema)
@documented(bp, 403, 404)
def get_supervision(candidate_id: int):
    candidate = _supervised(candidate_id)
    records.record_view(candidate, "api_supervision")
    return candidate.supervision


@bp.put("/<int:candidate_id>/supervision")
@bp.arguments(SupervisionIn)
@bp.response(200, SupervisionSchema)
@documented(bp, 403, 404)
def set_supervision(body, candidate_id: int):
    """Create or replace the administrative supervision (both ends of a curfew or neither)."""
    candidate = candidate_or_404(candidate_id)
    form = _form(SupervisionForm, body, supervision=candidate.supervision)
    sections.set_supervision(candidate, form.values())
    return candidate.supervision


@bp.delete("/<int:candidate_id>/supervision")
@bp.response(204)
@documented(bp, 403, 404)
def clear_supervision(candidate_id: int):
    sections.clear_supervision(_supervised(candidate_id))


@bp.get("/<int:candidate_id>/consent")
@bp.response(200, ConsentSchema)
@documented(bp, 403, 404)
def get_consent(candidate_id: int):
    candidate = candidate_or_404(candidate_id)
    records.record_view(candidate, "api_consent")
    return _consent(candidate)


@bp.post("/<int:candidate_id>/consent/grant")
@bp.arguments(ConsentIn)
@bp.response(201, ConsentSchema)
@documented(bp, 403, 404, 409)
def grant_consent(body, candidate_id: int):
    candidate = candidate_or_404(candidate_id)
    form = _form(ConsentGrantForm, body)
    try:
        consent.grant_consent(candidate, current_user, **form.grant())
    except ConsentRefused as refused:
        _refused(refused)
    return _consent(candidate)


@bp.post("/<int:candidate_id>/consent/withdraw")
@bp.arguments(ConsentWithdrawIn)
@bp.response(201, ConsentSchema)
@documented(bp, 403, 404, 409)
def withdraw_consent(body, candidate_id: int):
    """Withdraw consent and, in the same transaction, the person's open proposals."""
    candidate = candidate_or_404(candidate_id)
    form = _form(ConsentWithdrawForm, {"on_date": body["on_date"], "method": body["method"]})
    try:
        consent.withdraw_consent(
            candidate,
            current_user,
            on_date=form.on_date.data,
            method=form.method.data,
            expected_open=body["open_count"],
        )
    except ConsentRefused as refused:
        _refused(refused)
    return _consent(candidate)


@bp.put("/<int:candidate_id>/trades")
@bp.arguments(TradesIn)
@bp.response(200, CandidateSchema)
@documented(bp, 403, 404)
def set_trades(body, candidate_id: int):
    """The person's trades (НКЗ occupation ids); a retired occupation is kept only if the
    record already had it, as on the page."""
    candidate = candidate_or_404(candidate_id)
    form = _form(TradesForm, body, candidate=candidate)
    sections.set_trades(candidate, form.occupation_ids.data or [])
    return candidate
