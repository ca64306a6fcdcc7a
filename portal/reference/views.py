"""Read-only reference lists for signed-in users; the occupation search feeds pickers later."""

import sqlalchemy as sa
from flask import render_template, request
from flask_login import login_required

from portal.extensions import db, htmx
from portal.reference import bp
from portal.reference.models import District, Institution, Occupation, Region


@bp.get("/occupations")
@login_required
def occupations():
    """Search the НКЗ list by code or by words in either language."""
    q = (request.args.get("q") or "").strip()
    query = sa.select(Occupation).order_by(Occupation.code)
    if q:
        like = f"%{q.lower()}%"
        query = query.where(
            sa.or_(
                Occupation.code.like(f"{q}%"),
                sa.func.lower(Occupation.name_kk).like(like),
                sa.func.lower(Occupation.name_ru).like(like),
            )
        )
    page = db.paginate(query, per_page=50, error_out=False)
    template = "reference/_occupation_rows.html" if htmx else "reference/occupations.html"
    return render_template(template, page=page, q=q)


@bp.get("/territories")
@login_required
def territories():
    regions = db.session.scalars(sa.select(Region).order_by(Region.kato)).all()
    districts = db.session.scalars(sa.select(District).order_by(District.kato)).all()
    by_region = {}
    for district in districts:
        by_region.setdefault(district.region_id, []).append(district)
    institutions = db.session.scalars(sa.select(Institution).order_by(Institution.code)).all()
    return render_template(
        "reference/territories.html",
        regions=regions,
        by_region=by_region,
        institutions=institutions,
    )
