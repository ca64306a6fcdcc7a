"""Candidate records: staff read, create and update them, and add offences, through the
record forms' own fields and rules and the records' operations (portal/candidates/)."""

import marshmallow as ma
import sqlalchemy as sa
from flask import g, request
from flask_login import current_user
from flask_smorest import abort

from portal.api import api_blueprint
from portal.api.auth import roles
from portal.api.forms import filled, form_errors
from portal.api.pagination import by_id
from portal.api.problems import documented, problem
from portal.api.schemas import PageArgs, Schema, id_field, one_of, page_of
from portal.auth import audit
from portal.auth.models import ADMIN, INSPECTOR
from portal.candidates import records, sections
from portal.candidates.anonymise import MSG_ANONYMISED
from portal.candidates.consent import ConsentRefused
from portal.candidates.consent_texts import CONSENT_TEXTS, CURRENT_VERSION
from portal.candidates.forms import CandidateForm, OffenceForm
from portal.candidates.identity import shown_iin
from portal.candidates.models import Candidate
from portal.candidates.scope import candidate_filter, visible_candidates
from portal.candidates.vocabulary import CANDIDATE_STATUSES, CHOSEN_METHODS
from portal.extensions import db
from portal.reference.criminal_code import CODES

bp = api_blueprint("candidates", "/candidates", "Candidate records (inspectors, administrators).")
STAFF = (ADMIN, INSPECTOR)


class OffenceSchema(Schema):
    id = ma.fields.Integer(required=True)
    code = ma.fields.String(allow_none=True)
    article = ma.fields.String()
    part = ma.fields.String()
    minor_victim = ma.fields.Boolean(allow_none=True)
    outside_listed = ma.fields.Boolean()
    category_code = ma.fields.String(
        required=True, metadata={"description": "derived from the Criminal Code table"}
    )
    convicted_on = ma.fields.Date(allow_none=True)


class CandidateSchema(Schema):
    id = ma.fields.Integer(required=True)
    code = ma.fields.String(required=True)
    full_name = ma.fields.String(required=True)
    iin = ma.fields.Method(
        "iin_shown",
        metadata={"type": "string", "description": "in full for the record's inspectors"},
    )
    birth_date = ma.fields.Date(allow_none=True)
    status = ma.fields.String(required=True)
    region_id = ma.fields.Integer(required=True)
    institution_id = ma.fields.Integer(allow_none=True)
    district_id = ma.fields.Integer(allow_none=True)
    release_date = ma.fields.Date(allow_none=True)
    available_from = ma.fields.Date(allow_none=True)
    languages = ma.fields.String()
    education = ma.fields.String()
    skills = ma.fields.String()
    housing = ma.fields.String()
    consent = ma.fields.Boolean(required=True)
    offences_recorded = ma.fields.Boolean(required=True)
    offences = ma.fields.List(ma.fields.Nested(OffenceSchema))
    occupation_codes = ma.fields.Method(
        "trades", metadata={"type": "array", "items": {"type": "string"}}
    )

    def iin_shown(self, candidate: Candidate) -> str:
        return shown_iin(candidate, current_user)

    def trades(self, candidate: Candidate) -> list[str]:
        return sorted(o.code for o in candidate.occupations)


class ConsentIn(Schema):
    on_date = ma.fields.Date(required=True)
    method = ma.fields.String(required=True, validate=one_of(CHOSEN_METHODS))
    text_version = ma.fields.String(load_default=CURRENT_VERSION, validate=one_of(CONSENT_TEXTS))


class CandidateIn(Schema):
    """The fields of the record form; region and institution are the inspector's own."""

    full_name = ma.fields.String(required=True)
    iin = ma.fields.String(required=True)
    birth_date = ma.fields.Date(required=True)
    status = ma.fields.String(required=True, validate=one_of(CANDIDATE_STATUSES))
    region_id = id_field(allow_none=True)
    institution_id = id_field(allow_none=True)
    district_id = id_field(allow_none=True)
    release_date = ma.fields.Date(allow_none=True)
    available_from = ma.fields.Date(allow_none=True)
    language_codes = ma.fields.List(ma.fields.String())
    education = ma.fields.String()
    skills = ma.fields.String()
    housing = ma.fields.String()
    programme_notes = ma.fields.String()
    consent = ma.fields.Nested(ConsentIn, metadata={"description": "a first grant, if given"})


class CandidateChange(CandidateIn):
    """The fields to change (sent partially); consent has its own section."""

    class Meta:
        exclude = ("consent",)


class OffenceIn(Schema):
    code = ma.fields.String(required=True, validate=one_of(CODES))
    article = ma.fields.String(required=True)
    part = ma.fields.String(load_default="")
    minor_victim = ma.fields.String(
        load_default="unknown", validate=one_of(("yes", "no", "unknown"))
    )
    outside_listed = ma.fields.Boolean(load_default=False)
    convicted_on = ma.fields.Date(allow_none=True)


class RecordedIn(Schema):
    recorded = ma.fields.Boolean(required=True)


class CandidateArgs(PageArgs):
    status = ma.fields.String(validate=one_of(CANDIDATE_STATUSES))
    district_id = id_field()
    consent = ma.fields.Boolean()


def candidate_or_404(candidate_id: int) -> Candidate:
    """The record if it is in the user's scope; any other id is 404, as on the pages."""
    roles(*STAFF)
    candidate = db.session.scalar(
        sa.select(Candidate).where(Candidate.id == candidate_id, candidate_filter(current_user))
    )
    if candidate is None:
        abort(404)
    return candidate


@bp.before_request
def record_in_scope():
    """Role and scope before the body is read: another scope's id is 404 whatever was sent."""
    if "api_token" not in g:
        return
    roles(*STAFF)
    if "candidate_id" in (request.view_args or {}):
        candidate = candidate_or_404(request.view_args["candidate_id"])
        if request.method != "GET" and candidate.anonymised_at is not None:
            return problem(409, "anonymised", MSG_ANONYMISED)
    return None


def invalid(errors: dict):
    abort(422, errors=errors)


def _record_form(body: dict, candidate: Candidate | None = None) -> CandidateForm:
    values = dict(body)
    consent = values.pop("consent", None)
    if consent is not None:
        values["initial_consent"] = {"given": True, **consent}
    form = filled(CandidateForm, values, user=current_user, candidate=candidate)
    if form.errors:
        invalid(form_errors(form))
    return form


@bp.get("/")
@bp.arguments(CandidateArgs, location="query")
@bp.response(200, page_of(CandidateSchema, "CandidatePage"))
@documented(bp, 400, 403)
def list_candidates(args):
    roles(*STAFF)
    select = visible_candidates(current_user)
    for name in ("status", "district_id", "consent"):
        if name in args:
            select = select.where(getattr(Candidate, name) == args[name])
    page = by_id(select, Candidate.id, args)
    audit.read("candidates_listed", [c.id for c in page["items"]], page="api_candidates")
    return page


@bp.post("/")
@bp.arguments(CandidateIn)
@bp.response(201, CandidateSchema)
@documented(bp, 403)
def create_candidate(body):
    """A new record, validated as the new-record form (IIN check digit, duplicates, the
    institution's region and security level…)."""
    roles(*STAFF)
    form = _record_form(body)
    try:
        return records.create_candidate(current_user, form.values(), form.initial_grant())
    except ConsentRefused as refused:
        invalid({"consent": [refused.message]})


@bp.get("/<int:candidate_id>")
@bp.response(200, CandidateSchema)
@documented(bp, 403, 404)
def get_candidate(candidate_id: int):
    candidate = candidate_or_404(candidate_id)
    records.record_view(candidate, "api")
    return candidate


@bp.patch("/<int:candidate_id>")
@bp.arguments(CandidateChange(partial=True))
@bp.response(200, CandidateSchema)
@documented(bp, 403, 404)
def update_candidate(body, candidate_id: int):
    """Change the fields sent; the others keep their values (the edit form's rules)."""
    candidate = candidate_or_404(candidate_id)
    form = _record_form(body, candidate)
    records.update_candidate(candidate, current_user, form.values())
    return candidate


@bp.post("/<int:candidate_id>/offences")
@bp.arguments(OffenceIn)
@bp.response(201, CandidateSchema)
@documented(bp, 403, 404)
def add_offence(body, candidate_id: int):
    """An offence as the judgment names it; its category is derived from the table."""
    candidate = candidate_or_404(candidate_id)
    form = filled(OffenceForm, body)
    if form.errors:
        invalid(form_errors(form))
    sections.add_offence(candidate, **form.judgment())
    return candidate


@bp.put("/<int:candidate_id>/offences/recorded")
@bp.arguments(RecordedIn)
@bp.response(200, CandidateSchema)
@documented(bp, 403, 404)
def offences_recorded(body, candidate_id: int):
    """Whether the offences listed are all there are (until then the rules treat them as
    unknown)."""
    candidate = candidate_or_404(candidate_id)
    sections.mark_offences_recorded(candidate, body["recorded"])
    return candidate
