"""The statistics dashboard and its exports (akimats, inspectors, administrators)."""

import sqlalchemy as sa
from flask import Response, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.auth import audit
from portal.auth.access import roles_required
from portal.auth.models import ADMIN, AKIMAT, INSPECTOR
from portal.candidates.scope import candidate_filter
from portal.candidates.vocabulary import CANDIDATE_STATUS_LABELS
from portal.employers.models import Vacancy
from portal.errors import render_error
from portal.extensions import db, htmx
from portal.forms import database_int
from portal.page_cache import cached_page
from portal.pagination import count_rows, paginate_rows
from portal.placements.reasons import DECLINE_REASONS, END_REASONS, WITHDRAWN_REASONS
from portal.placements.vocabulary import STATE_LABELS
from portal.stats import bp, export, listing, tables
from portal.stats.filters import FilterForm, resolve

STATS_ROLES = (ADMIN, INSPECTOR, AKIMAT)
LIST_ROLES = (ADMIN, INSPECTOR)
ALL_REASONS = {**WITHDRAWN_REASONS, **END_REASONS, **DECLINE_REASONS}


def _filters():
    form = FilterForm(request.args)
    form.district.choices = tables.district_choices(current_user)
    form.group.choices = tables.group_choices()
    form.validate()  # unknown values are dropped by `resolve`, never an error page
    return form, resolve(form, clock.today())


def territory() -> str:
    user = current_user
    if user.district is not None:
        return user.district.name
    if user.region is not None:
        return user.region.name
    return _("Kazakhstan")


@bp.route("/")
@roles_required(*STATS_ROLES)
@cached_page
def dashboard():
    form, filters = _filters()
    found = tables.build(filters, current_user, clock.today())
    audit.read("statistics_viewed", [])  # counts only, but who asked for which cut is kept
    template = "stats/_dashboard.html" if htmx else "stats/dashboard.html"
    errors = form.date_errors()
    # A page with a date to correct is a 400; htmx swaps only a 2xx, so its fragment (which
    # carries the same message above the figures) keeps 200.
    status = 400 if errors and not htmx else 200
    return render_template(
        template,
        form=form,
        errors=errors,
        filters=filters,
        tables=found,
        territory=territory(),
        described=tables.describe(filters),
    ), status


def _export(kind: str):
    form, filters = _filters()
    if errors := form.date_errors():
        return render_error(400, " ".join(errors))
    title = _("Employment statistics: %(territory)s", territory=territory())
    found = tables.build(filters, current_user, clock.today())
    described = tables.describe(filters)
    name = f"statistics-{filters.start.isoformat()}-{filters.end.isoformat()}.{kind}"
    audit.read("statistics_exported", [], format=kind)
    if kind == "csv":
        excel = request.args.get("excel") == "1"
        body = export.to_csv(title, described, found, excel=excel)
        name = name.replace(".csv", "-excel.csv") if excel else name
        mimetype = "text/csv; charset=utf-8"
    else:
        body = export.to_xlsx(title, described, found)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def _list(template: str, filters, select, people, figure: str = "", **context):
    """A page of the rows behind a figure (never to akimats: they see no records), audited
    with the ids of the people on it (`people(rows)`)."""
    page = paginate_rows(select)
    audit.read("statistics_listed", people(page.items), page=template.split("/")[-1][:-5])
    return render_template(
        template,
        page=page,
        filters=filters,
        described=tables.describe(filters),
        territory=territory(),
        figure=figure,
        **context,
        list_args={k: v for k, v in request.args.items() if k != "page"},
    )


@bp.route("/placements")
@roles_required(*LIST_ROLES)
def placements():
    """The placements behind a figure of the dashboard."""
    name, filters = request.args.get("measure", ""), _filters()[1]
    select = listing.behind(
        filters,
        current_user,
        clock.today(),
        name,
        request.args.get("state"),
        request.args.get("reason"),
    )
    return _list(
        "stats/placements.html",
        filters,
        select,
        lambda rows: [row.Placement.candidate_id for row in rows],
        tables.measure_label(name),
        state_labels=STATE_LABELS,
        reasons=ALL_REASONS,
    )


@bp.route("/people")
@roles_required(*LIST_ROLES)
def people():
    """The people behind a count of people: able to work, in work, available, quota filled."""
    name, filters = request.args.get("measure", ""), _filters()[1]
    select = listing.people_behind(
        filters,
        current_user,
        clock.today(),
        name,
        code=request.args.get("code", ""),
        employer_id=request.args.get("employer", type=database_int),
        category=request.args.get("category", ""),
    )
    # A quota counts everyone an employer of the territory took on, wherever their record is
    # kept; the list shows only the people of the user's own records, and says how many more.
    listed = select.where(candidate_filter(current_user))
    outside = count_rows(select) - count_rows(listed)
    return _list(
        "stats/people.html",
        filters,
        listed,
        lambda rows: [row.Candidate.id for row in rows],
        tables.measure_label(name),
        statuses=CANDIDATE_STATUS_LABELS,
        outside=outside,
    )


@bp.route("/vacancies")
@roles_required(*LIST_ROLES)
def vacancies():
    """The open vacancies behind the open places of an occupation group."""
    filters = _filters()[1]
    select = listing.vacancies_behind(filters, current_user, request.args.get("code", ""))
    places = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Vacancy.places), 0)).where(
            Vacancy.id.in_(select.with_only_columns(Vacancy.id))
        )
    )
    return _list(
        "stats/vacancies.html",
        filters,
        select,
        lambda rows: [],  # vacancies: nobody is shown
        tables.measure_label("places"),
        places=places,
    )


@bp.app_context_processor
def figure_links():
    def figure_url(overrides: dict) -> str | None:
        """The list behind a figure (placements unless `list` names people or vacancies),
        for the roles that may see it."""
        if not current_user.is_authenticated or current_user.role not in LIST_ROLES:
            return None
        arguments = {**request.args.to_dict(), **overrides}
        return url_for(f"stats.{arguments.pop('list', 'placements')}", **arguments)

    return {"figure_url": figure_url}


@bp.route("/export.csv")
@roles_required(*STATS_ROLES)
def export_csv():
    return _export("csv")


@bp.route("/export.xlsx")
@roles_required(*STATS_ROLES)
def export_xlsx():
    return _export("xlsx")


@bp.app_template_filter("stat")
def format_stat(value) -> str:
    """A figure in the user's number format; None (not computable or hidden) as a dash."""
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return format_decimal(value, format="#,##0" if isinstance(value, int) else "#,##0.0")
