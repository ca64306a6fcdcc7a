"""Productions on institution land (kept by inspectors and administrators) and the report on
the work of people in custody (staff; akimats with small counts suppressed)."""

import sqlalchemy as sa
from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.auth import audit
from portal.auth.access import roles_required
from portal.auth.models import ADMIN, AKIMAT, INSPECTOR
from portal.employers.models import Employer
from portal.extensions import db
from portal.forms import ConfirmForm
from portal.productions import bp, figures, operations, report
from portal.productions.forms import ProductionForm
from portal.productions.models import Production
from portal.productions.operations import ProductionRefused
from portal.productions.scope import production_filter
from portal.reference.models import Institution
from portal.stats import export
from portal.stats.views import territory

KEEPERS = (ADMIN, INSPECTOR)
REPORT_ROLES = (ADMIN, INSPECTOR, AKIMAT)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _get(production_id: int) -> Production:
    """The production if the user's scope includes it; otherwise 404, never 403."""
    return db.first_or_404(
        sa.select(Production).where(Production.id == production_id, production_filter(current_user))
    )


@bp.get("/")
@roles_required(*KEEPERS)
def index():
    query = (
        sa.select(Production)
        .join(Institution, Institution.id == Production.institution_id)
        .join(Employer, Employer.id == Production.employer_id)
        .where(production_filter(current_user))
        .order_by(Institution.code, Employer.name_ru, Production.id)
    )
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    workers = figures.workers_by_production([p.id for p in page.items], clock.today())
    return render_template("productions/index.html", page=page, workers=workers)


def _form(production: Production | None = None, **kwargs) -> ProductionForm:
    return ProductionForm(
        employers=operations.employer_choices(current_user, production),
        institutions=operations.institution_choices(current_user),
        **kwargs,
    )


def _refused(form: ProductionForm, refused: ProductionRefused) -> None:
    form[refused.field].errors = [*form[refused.field].errors, str(refused.message)]


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*KEEPERS)
def new():
    form = _form()
    if form.validate_on_submit():
        try:
            operations.create(form.values(), current_user)
        except ProductionRefused as refused:
            _refused(form, refused)
        else:
            flash(_("The production has been added."), "success")
            return redirect(url_for(".index"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("productions/form.html", form=form, production=None), status


@bp.route("/<int:production_id>/edit", methods=["GET", "POST"])
@roles_required(*KEEPERS)
def edit(production_id: int):
    production = _get(production_id)
    form = _form(production, obj=production)
    if form.validate_on_submit():
        try:
            changed = operations.update(production, form.values(), current_user)
        except ProductionRefused as refused:
            _refused(form, refused)
        else:
            flash(
                _("The production has been saved.") if changed else _("Nothing was changed."),
                "success",
            )
            return redirect(url_for(".index"), 303)
    status = 400 if request.method == "POST" else 200
    workers = figures.workers_by_production([production.id], clock.today()).get(production.id, 0)
    return render_template(
        "productions/form.html", form=form, production=production, workers=workers
    ), status


@bp.route("/<int:production_id>/delete", methods=["GET", "POST"])
@roles_required(*KEEPERS)
def delete(production_id: int):
    """A page asking to confirm (GET), the removal (POST)."""
    production = _get(production_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        operations.delete(production, current_user)
        flash(_("The production has been removed."), "success")
        return redirect(url_for(".index"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("productions/delete.html", form=form, production=production), status


def _title() -> str:
    return _("Work of people in custody: %(territory)s", territory=territory())


@bp.get("/report")
@roles_required(*REPORT_ROLES)
def report_page():
    tables = report.build(current_user, clock.today())
    audit.read("production_report_viewed", [])  # counts only, but who asked is kept
    return render_template("productions/report.html", title=_title(), tables=tables)


def _download(kind: str):
    today = clock.today()
    tables = report.build(current_user, today)
    described = [(_("As of"), format_date(today))]
    name = f"work-in-custody-{today.isoformat()}.{kind}"
    audit.read("production_report_exported", [], format=kind)
    if kind == "csv":
        excel = request.args.get("excel") == "1"
        body = export.to_csv(_title(), described, tables, excel=excel)
        name, mimetype = (
            name.replace(".csv", "-excel.csv") if excel else name,
            "text/csv; charset=utf-8",
        )
    else:
        body, mimetype = export.to_xlsx(_title(), described, tables), XLSX
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.get("/report.csv")
@roles_required(*REPORT_ROLES)
def report_csv():
    return _download("csv")


@bp.get("/report.xlsx")
@roles_required(*REPORT_ROLES)
def report_xlsx():
    return _download("xlsx")
