"""The statistics dashboard's tables (akimats, inspectors, administrators): the same filters
and the same suppression of small counts as the page and its exports."""

import marshmallow as ma
from flask_login import current_user

from portal import clock
from portal.api import api_blueprint
from portal.api.auth import roles
from portal.api.problems import documented
from portal.api.schemas import Schema
from portal.stats import tables
from portal.stats.views import STATS_ROLES
from portal.stats.views import _filters as dashboard_filters

bp = api_blueprint("stats", "/stats", "Statistics figures, small counts suppressed for akimats.")


class StatsArgs(Schema):
    """The dashboard's filters; values it does not know are dropped, as on the page."""

    period = ma.fields.String(metadata={"description": "month, quarter, year or custom"})
    on = ma.fields.String(metadata={"description": "a day within the period (YYYY-MM-DD)"})
    start = ma.fields.String(metadata={"description": "custom period: first day"})
    end = ma.fields.String(metadata={"description": "custom period: last day"})
    district = ma.fields.String()
    kind = ma.fields.String()
    status = ma.fields.String()
    group = ma.fields.String()


class TableSchema(Schema):
    key = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    headers = ma.fields.List(ma.fields.String(), required=True)
    rows = ma.fields.List(
        ma.fields.List(ma.fields.Raw(allow_none=True)),
        required=True,
        metadata={"description": "numbers; a suppressed count is text (“fewer than 5”)"},
    )


class StatsSchema(Schema):
    start = ma.fields.Date(required=True)
    end = ma.fields.Date(required=True)
    tables = ma.fields.List(ma.fields.Nested(TableSchema), required=True)


def _cell(value):
    return value if value is None or isinstance(value, int | float) else str(value)


@bp.get("/")
@bp.arguments(StatsArgs, location="query")
@bp.response(200, StatsSchema)
@documented(bp, 403)
def figures(_args):
    roles(*STATS_ROLES)
    _form, filters = dashboard_filters()
    return {
        "start": filters.start,
        "end": filters.end,
        "tables": [
            {
                "key": table.key,
                "title": str(table.title),
                "headers": [str(h) for h in table.headers],
                "rows": [[_cell(c) for c in row] for row in table.rows],
            }
            for table in tables.build(filters, current_user, clock.today())
        ],
    }
