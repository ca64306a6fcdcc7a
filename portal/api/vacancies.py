"""Vacancies: read by every role within its scope (employers: their own)."""

import marshmallow as ma
import sqlalchemy as sa
from flask_login import current_user
from flask_smorest import abort

from portal.api import api_blueprint
from portal.api.pagination import by_id
from portal.api.problems import documented
from portal.api.schemas import PageArgs, Schema, id_field, one_of, page_of
from portal.employers.models import VACANCY_STATUSES, Vacancy
from portal.employers.scope import vacancy_filter, visible_vacancies
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
