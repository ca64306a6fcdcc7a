"""Vacancies: read by every role within its scope (employers: their own)."""

import marshmallow as ma
import sqlalchemy as sa
from flask import g, request
from flask_login import current_user
from flask_smorest import abort

from portal import clock
from portal.api import api_blueprint
from portal.api.auth import roles
from portal.api.forms import filled, form_errors
from portal.api.pagination import by_id
from portal.api.problems import documented
from portal.api.schemas import PageArgs, Schema, id_field, one_of, page_of
from portal.auth.models import EMPLOYER
from portal.employers import vacancies
from portal.employers.forms import VacancyForm
from portal.employers.models import INSTITUTION_KINDS, VACANCY_STATUSES, Vacancy
from portal.employers.scope import vacancy_filter, visible_vacancies
from portal.employers.vacancies import VacancyError, vacancy_values
from portal.extensions import db

bp = api_blueprint("vacancies", "/vacancies", "Vacancies in the user's scope.")
STATUSES = VACANCY_STATUSES


class VacancySchema(Schema):
    id = ma.fields.Integer(required=True)
    employer_id = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True, validate=one_of(STATUSES))
    title_kk = ma.fields.String(allow_none=True)
    title_ru = ma.fields.String(allow_none=True)
    description_kk = ma.fields.String()
    description_ru = ma.fields.String()
    occupation_code = ma.fields.String(attribute="occupation.code", dump_only=True)
    district_kato = ma.fields.String(attribute="district.kato", dump_only=True)
    places = ma.fields.Integer()
    wage = ma.fields.Integer()
    shift_start = ma.fields.Time(allow_none=True)
    shift_end = ma.fields.Time(allow_none=True)
    working_days = ma.fields.String()
    starts_on = ma.fields.Date(allow_none=True)
    closes_on = ma.fields.Date(allow_none=True)
    sphere_code = ma.fields.String()
    with_minors = ma.fields.Boolean(allow_none=True)
    near_minors = ma.fields.Boolean(allow_none=True)


class VacancyArgs(PageArgs):
    status = ma.fields.String(validate=one_of(STATUSES))
    district_id = id_field()
    occupation_id = id_field()
    employer_id = id_field()


class VacancyIn(Schema):
    """The vacancy form's fields."""

    occupation_id = id_field(required=True)
    title_kk = ma.fields.String(allow_none=True)
    title_ru = ma.fields.String(allow_none=True)
    description_kk = ma.fields.String()
    description_ru = ma.fields.String()
    district_id = id_field(required=True)
    address = ma.fields.String()
    places = ma.fields.Integer(required=True)
    wage = ma.fields.Integer(required=True)
    shift_start = ma.fields.Time(allow_none=True, format="%H:%M")
    shift_end = ma.fields.Time(allow_none=True, format="%H:%M")
    working_days = ma.fields.List(ma.fields.Integer(), metadata={"description": "ISO weekdays"})
    starts_on = ma.fields.Date(allow_none=True)
    closes_on = ma.fields.Date(allow_none=True)
    sphere_code = ma.fields.String(required=True)
    condition_codes = ma.fields.List(ma.fields.String())
    activity_codes = ma.fields.List(ma.fields.String())
    no_activities = ma.fields.Boolean(metadata={"description": "the job involves none"})
    place_type_codes = ma.fields.List(ma.fields.String())
    institution_ids = ma.fields.List(ma.fields.Integer())
    alcohol = ma.fields.Boolean()
    travel = ma.fields.Boolean()
    with_minors = ma.fields.Boolean(allow_none=True)
    near_minors = ma.fields.Boolean(allow_none=True)
    publish = ma.fields.Boolean(load_default=False)
    proposals_return = ma.fields.Boolean(
        metadata={
            "description": "confirms that a change of the facts the rules read sends "
            "the open proposals back to the inspectors"
        }
    )


class VacancyChange(VacancyIn):
    """The fields to change (sent partially); the others keep their values."""


def vacancy_or_404(vacancy_id: int) -> Vacancy:
    """The vacancy if the user's scope includes it; any other id is 404, as on the pages."""
    vacancy = db.session.scalar(
        sa.select(Vacancy).where(Vacancy.id == vacancy_id, vacancy_filter(current_user))
    )
    if vacancy is None:
        abort(404)
    return vacancy


@bp.get("/")
@bp.arguments(VacancyArgs, location="query")
@bp.response(200, page_of(VacancySchema, "VacancyPage"))
@documented(bp, 400)
def list_vacancies(args):
    """The vacancies of the user's scope, in id order."""
    select = visible_vacancies(current_user)
    for name in ("status", "district_id", "occupation_id", "employer_id"):
        if name in args:
            select = select.where(getattr(Vacancy, name) == args[name])
    return by_id(select, Vacancy.id, args)


@bp.get("/<int:vacancy_id>")
@bp.response(200, VacancySchema)
@documented(bp, 404)
def get_vacancy(vacancy_id: int):
    return vacancy_or_404(vacancy_id)


@bp.before_request
def writer_in_scope():
    """Writes: the employer role, then its own vacancy, before the body is read."""
    if "api_token" not in g or request.method == "GET":
        return
    roles(EMPLOYER)
    if "vacancy_id" in (request.view_args or {}):
        vacancy_or_404(request.view_args["vacancy_id"])


def _form(employer, values: dict) -> VacancyForm:
    """The vacancy form filled from JSON (the minors questions are yes/no radios there)."""
    answers = {True: "yes", False: "no", None: ""}
    values = {
        **values,
        **{name: answers[values.get(name)] for name in ("with_minors", "near_minors")},
    }
    form = filled(VacancyForm, values, with_institutions=employer.kind in INSTITUTION_KINDS)
    return form


def _saved(form: VacancyForm, employer, publish: bool, operation):
    """Every problem the form and publishing find at once; nothing kept of a refusal."""
    problems = form_errors(form)
    if publish:
        problems.update(
            {
                k: [v]
                for k, v in vacancies.publish_problems(
                    form.vacancy_values(), employer, clock.today()
                ).items()
            }
        )
    if problems:
        abort(422, errors=problems)
    try:
        vacancy = operation(form.vacancy_values())
    except VacancyError as error:
        conflict = set(error.problems) == {"proposals_return"}
        abort(409 if conflict else 422, errors={k: [v] for k, v in error.problems.items()})
    return vacancy


@bp.post("/")
@bp.arguments(VacancyIn)
@bp.response(201, VacancySchema)
@documented(bp, 403)
def create_vacancy(body):
    """Employers: a new vacancy of their organisation, a draft or published."""
    roles(EMPLOYER)
    employer = current_user.employer
    publish = body.pop("publish")
    form = _form(employer, body)
    return _saved(
        form,
        employer,
        publish,
        lambda values: vacancies.create(employer, values, publish=publish, today=clock.today()),
    )


@bp.patch("/<int:vacancy_id>")
@bp.arguments(VacancyChange(partial=True))
@bp.response(200, VacancySchema)
@documented(bp, 403, 404, 409)
def update_vacancy(body, vacancy_id: int):
    """Employers: change the fields sent of their own vacancy (publish a draft with publish)."""
    roles(EMPLOYER)
    vacancy = vacancy_or_404(vacancy_id)
    publish = body.pop("publish", False) and vacancy.status == vacancies.DRAFT
    saved = VacancyForm(formdata=None, data=vacancy_values(vacancy), meta={"csrf": False})
    form = _form(vacancy.employer, {**saved.data, **body})

    def update(values):
        vacancies.update(
            vacancy,
            values,
            today=clock.today(),
            publish=publish,
            proposals_return=bool(body.get("proposals_return")),
        )
        return vacancy

    return _saved(form, vacancy.employer, publish or vacancy.status == vacancies.PUBLISHED, update)


def _transition(name: str, operation):
    def view(vacancy_id: int):
        roles(EMPLOYER)
        vacancy = vacancy_or_404(vacancy_id)
        try:
            operation(vacancy)
        except VacancyError as error:
            abort(409, errors={k: [v] for k, v in error.problems.items()})
        return vacancy

    view.__name__ = view.__qualname__ = f"{name}_vacancy"
    view.__doc__ = f"Employers: {name} their own vacancy."
    view = documented(bp, 403, 404, 409)(view)
    view = bp.response(200, VacancySchema)(view)
    return bp.post(f"/<int:vacancy_id>/{name}")(view)


_transition("publish", lambda v: vacancies.publish(v, today=clock.today()))
_transition("close", vacancies.close)
_transition("reopen", lambda v: vacancies.reopen(v, today=clock.today()))
