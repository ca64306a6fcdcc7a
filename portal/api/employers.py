"""Employers: read by staff within their territory (an employer reads its own)."""

import marshmallow as ma
import sqlalchemy as sa
from flask_login import current_user
from flask_smorest import abort

from portal.api import api_blueprint
from portal.api.auth import roles
from portal.api.pagination import by_id
from portal.api.problems import documented
from portal.api.schemas import PageArgs, Schema, one_of, page_of
from portal.auth.models import ADMIN, AKIMAT, INSPECTOR
from portal.employers.models import EMPLOYER_STATUSES, Employer
from portal.employers.scope import employer_filter, visible_employers
from portal.extensions import db

bp = api_blueprint("employers", "/employers", "Employer organisations in the user's scope.")


class EmployerSchema(Schema):
    id = ma.fields.Integer(required=True)
    bin = ma.fields.String(required=True)
    name_kk = ma.fields.String(allow_none=True)
    name_ru = ma.fields.String(allow_none=True)
    kind = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    region_kato = ma.fields.String(attribute="region.kato", dump_only=True)
    district_kato = ma.fields.String(attribute="district.kato", allow_none=True, dump_only=True)
    headcount = ma.fields.Integer()


class EmployerArgs(PageArgs):
    status = ma.fields.String(validate=one_of(EMPLOYER_STATUSES))


@bp.get("/")
@bp.arguments(EmployerArgs, location="query")
@bp.response(200, page_of(EmployerSchema, "EmployerPage"))
@documented(bp, 400, 403)
def list_employers(args):
    """Staff only, as the employers list page."""
    roles(ADMIN, INSPECTOR, AKIMAT)
    select = visible_employers(current_user)
    if "status" in args:
        select = select.where(Employer.status == args["status"])
    return by_id(select, Employer.id, args)


@bp.get("/<int:employer_id>")
@bp.response(200, EmployerSchema)
@documented(bp, 404)
def get_employer(employer_id: int):
    employer = db.session.scalar(
        sa.select(Employer).where(Employer.id == employer_id, employer_filter(current_user))
    )
    if employer is None:
        abort(404)
    return employer
