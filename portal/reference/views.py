"""Reference lists for signed-in users; the Criminal Code table, which administrators correct."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.auth.access import roles_required
from portal.auth.models import ADMIN, INSPECTOR
from portal.database import contains_text
from portal.extensions import db, htmx
from portal.reference import bp
from portal.reference.articles import save_article
from portal.reference.corrections import history
from portal.reference.forms import CriminalArticleForm
from portal.reference.models import (
    CRIMINAL_CODES,
    CriminalArticle,
    District,
    Institution,
    Occupation,
    Region,
)


@bp.get("/occupations")
@login_required
def occupations():
    """Search the НКЗ list by code or by words in either language."""
    q = (request.args.get("q") or "").strip()
    query = sa.select(Occupation).order_by(Occupation.code)
    if q:
        query = query.where(
            sa.or_(
                Occupation.code.startswith(q, autoescape=True),
                contains_text(q, Occupation.name_kk, Occupation.name_ru),
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


@bp.get("/criminal-code")
@roles_required(ADMIN, INSPECTOR)
def criminal_articles():
    """The articles the portal knows, by Code and number, with the category each gives."""
    code = request.args.get("code") if request.args.get("code") in CRIMINAL_CODES else None
    review = request.args.get("review") == "1"
    query = sa.select(CriminalArticle)
    if code:
        query = query.where(CriminalArticle.code == code)
    if review:
        query = query.where(CriminalArticle.needs_review.is_(True))
    rows = db.session.scalars(query).all()
    rows.sort(key=lambda r: (r.code != "2014", _number_key(r.article), _number_key(r.part)))
    return render_template(
        "reference/criminal_articles.html",
        rows=rows,
        code=code,
        review=review,
        codes=CRIMINAL_CODES,
    )


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(n) for n in number.split("-") if n.isdigit())


def _article_form(entry: CriminalArticle | None):
    form = CriminalArticleForm(entry=entry)
    if form.validate_on_submit():
        save_article(entry, form.values(), current_user)
        flash(
            _("The entry has been saved; offences under this article were derived again."),
            "success",
        )
        return redirect(url_for(".criminal_articles"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "reference/criminal_article_form.html",
        form=form,
        entry=entry,
        history=history(entry) if entry is not None else [],
    ), status


@bp.route("/criminal-code/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new_criminal_article():
    return _article_form(None)


@bp.route("/criminal-code/<int:entry_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit_criminal_article(entry_id: int):
    return _article_form(db.get_or_404(CriminalArticle, entry_id))
