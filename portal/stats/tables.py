"""The dashboard's tables, in the user's language and with small counts suppressed: the page,
its charts and the CSV/XLSX exports are all drawn from these, so they cannot disagree."""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from portal.auth.models import User
from portal.candidates import choices
from portal.candidates.vocabulary import CANDIDATE_STATUS_LABELS
from portal.employers.models import EMPLOYER_KIND_LABELS
from portal.extensions import db
from portal.models_base import in_user_language
from portal.placements.quotas import CATEGORY_LABELS
from portal.placements.reasons import DECLINE_REASONS
from portal.placements.vocabulary import PLACEMENT_STATES, STATE_LABELS
from portal.programmes import statistics as programme_figures
from portal.reference.models import District, OccupationGroup
from portal.stats import figures
from portal.stats.filters import Filters
from portal.stats.suppression import (
    FEWER_THAN,
    THRESHOLD,
    cell_key,
    column,
    derived,
    share,
    shown,
    suppressed,
)


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    chart: str | None = None  # "bar" or "line": drawn from `points`
    # (label, number or the hidden text, the most it can be when hidden as "fewer than 5")
    points: list[tuple] = field(default_factory=list)
    # (row, column) → the arguments of the list of placements behind that figure
    links: dict[tuple[int, int], dict] = field(default_factory=dict)
    # row → the filters that narrow the dashboard to that row (a district)
    narrow: dict[int, dict] = field(default_factory=dict)

    def link(self, column: int, **arguments) -> None:
        """Link a cell of the last row added to the placements behind it."""
        self.links[(len(self.rows) - 1, column)] = arguments


MEASURE_LABELS = {
    "started": _l("Placements started in the period"),
    "ended": _l("Placements ended in the period"),
    "in_work": _l("People in work at the end of the period"),
    "proposed": _l("Proposals made in the period"),
    **{
        f"hired{m}": _l("Hired in the period, %(months)d-month mark reached", months=m)
        for m in figures.RETENTION_MONTHS
    },
    **{
        f"kept{m}": _l("Still employed %(months)d months after the start", months=m)
        for m in figures.RETENTION_MONTHS
    },
    "able": _l("Candidates able to work"),
    "available": _l("Candidates available"),
    "filled": _l("People counted towards the quota"),
    "places": _l("Open places"),
}


def measure_label(name: str) -> str:
    return str(MEASURE_LABELS.get(name, ""))


def month_label(month: date) -> str:
    return format_date(month, "LLLL y")


def describe(filters: Filters) -> list[tuple[str, str]]:
    """The filters as (label, value) pairs for the top of an export."""

    def name(model, key):
        row = db.session.get(model, key) if key is not None else None
        return row.name if row is not None else _("All")

    return [
        (_("Period"), f"{format_date(filters.start)} – {format_date(filters.end)}"),
        (_("District"), name(District, filters.district_id)),
        (
            _("Employer kind"),
            str(EMPLOYER_KIND_LABELS[filters.employer_kind]) if filters.employer_kind else _("All"),
        ),
        (
            _("Candidate status"),
            str(CANDIDATE_STATUS_LABELS[filters.status]) if filters.status else _("All"),
        ),
        (
            _("Occupation group"),
            f"{filters.group} {name(OccupationGroup, filters.group)}"
            if filters.group
            else _("All"),
        ),
    ]


def _point(label: str, value) -> tuple:
    """A chart's point: the number, or the table's text for a count it hides, with the most a
    "fewer than 5" can be (the chart draws it as an outline up to that, never as zero)."""
    return label, value, THRESHOLD - 1 if value is FEWER_THAN else None


def quota_table(found: dict, user: User, filters: Filters | None = None) -> Table:
    """Quota fulfilment: the places filled are people (small counts hidden as in any column
    with a total), the places still due follow them (`suppression.derived`)."""
    quotas = Table(
        "quotas",
        _("Quota fulfilment, %(year)d", year=found["year"]),
        [_("Employer"), _("Category"), _("Quota"), _("Filled"), _("Still due")],
    )
    year = {"year": found["year"]}
    keys = [
        cell_key(filters, user, "filled", employer=r["employer"].id, category=r["category"], **year)
        for r in found["rows"]
    ]
    filled = column([row["filled"] for row in found["rows"]], user, keys)
    due, due_total = derived([row["quota"] for row in found["rows"]], filled, found["quota"])
    for row, seen, owed in zip(found["rows"], filled, due, strict=True):
        quotas.rows.append(
            [row["employer"].name, str(CATEGORY_LABELS[row["category"]]), row["quota"], seen, owed]
        )
        quotas.link(
            3,
            list="people",
            measure="filled",
            employer=str(row["employer"].id),
            category=row["category"],
        )
    if found["rows"]:
        quotas.rows.append(
            [
                _("Total"),
                None,
                found["quota"],
                shown(found["filled"], user, cell_key(filters, user, "filled", **year)),
                due_total,
            ]
        )
    return quotas


def build(filters: Filters, user: User, today: date) -> list[Table]:
    flow, retention = figures.flow_and_retention(filters, user, today)
    median = figures.median_days_to_hire(filters, user)

    def count(value, measure: str, **narrowing):
        """A count of people as the user may see it (suppression.shown), by its identity."""
        return shown(value, user, cell_key(filters, user, measure, **narrowing))

    summary = Table(
        "summary",
        _("Placements"),
        [_("Figure"), _("Value")],
        rows=[
            [_("Placements started in the period"), count(flow.started, "started")],
            [_("Placements ended in the period"), count(flow.ended, "ended")],
            [_("People in work at the end of the period"), count(flow.in_work, "in_work")],
            [
                _("Median days from proposal to start"),
                None if suppressed(flow.started, user) else median,
            ],
        ],
    )
    for row, name in enumerate(("started", "ended", "in_work", "started")):
        summary.links[(row, 1)] = {"measure": name}

    rate = Table(
        "employment",
        _("Employment rate by status"),
        [_("Status"), _("Able to work"), _("In work"), _("Share in work, %")],
    )
    for row in figures.employment_rate(filters, user):
        able = count(row["able"], "able", status=row["status"])
        in_work = count(row["in_work"], "in_work", status=row["status"])
        rate.rows.append(
            [str(CANDIDATE_STATUS_LABELS[row["status"]]), able, in_work, share(in_work, able)]
        )
        rate.link(1, list="people", measure="able", status=row["status"])
        rate.link(2, list="people", measure="in_work", status=row["status"])

    kept = Table(
        "retention",
        _("Retention"),
        [
            _("Months after the start"),
            _("Hired, mark reached"),
            _("Still employed"),
            _("Share still employed, %"),
        ],
    )
    for row in retention:
        hired = count(row["hired"], f"hired{row['months']}")
        retained = count(row["retained"], f"kept{row['months']}")
        kept.rows.append([row["months"], hired, retained, share(retained, hired)])
        kept.link(1, measure=f"hired{row['months']}")
        kept.link(2, measure=f"kept{row['months']}")

    proposals, declined = figures.proposals(filters, user)
    states = {row["state"]: row["count"] for row in proposals}
    pipeline = Table(
        "pipeline",
        _("Proposals made in the period, by state"),
        [_("State"), _("Proposals")],
        chart="bar",
    )
    for state in PLACEMENT_STATES:
        if state in states:
            label = str(STATE_LABELS[state])
            value = count(states[state], "proposed", state=state)
            pipeline.rows.append([label, value])
            pipeline.link(1, measure="proposed", state=state)
            pipeline.points.append(_point(label, value))

    declines = Table("declines", _("Decline reasons"), [_("Reason"), _("Proposals")])
    for row in declined:
        label = str(DECLINE_REASONS.get(row["reason"], DECLINE_REASONS["other"]))
        declines.rows.append(
            [label, count(row["count"], "proposed", state="declined", reason=row["reason"])]
        )
        declines.link(1, measure="proposed", state="declined", reason=row["reason"])

    quotas = quota_table(figures.quotas(filters, user), user, filters)

    groups = Table(
        "vacancies",
        _("Open places by occupation group"),
        [_("Occupation group"), _("Open places"), _("Candidates available")],
    )
    for row in figures.vacancies_by_group(filters, user, today):
        label = f"{row['code']} {row['group'].name}" if row["group"] else row["code"]
        available = count(row["candidates"], "available", code=row["code"])
        groups.rows.append([label, row["places"], available])
        groups.link(1, list="vacancies", code=row["code"])
        groups.link(2, list="people", measure="available", code=row["code"])

    months = Table(
        "trend",
        _("Placements started by month"),
        [_("Month"), _("Placements started")],
        chart="line",
    )
    series = figures.trend(filters, user)
    keys = [
        cell_key(filters, user, "started", period="month", on=r["month"].isoformat())
        for r in series
    ]
    for row, seen in zip(series, column([r["started"] for r in series], user, keys), strict=True):
        label = month_label(row["month"])
        months.rows.append([label, seen])
        months.link(1, measure="started", period="month", on=row["month"].isoformat())
        months.points.append(_point(label, seen))

    districts = Table(
        "districts",
        _("By district"),
        [_("District"), _("Started"), _("Ended"), _("In work at the end")],
        chart="bar",
    )
    found = figures.by_district(filters, user)
    seen = {
        name: column(
            [row[name] for row in found],
            user,
            [cell_key(filters, user, name, district=row["district_id"]) for row in found],
        )
        for name in ("started", "ended", "in_work")
    }
    for n, row in enumerate(found):
        label = in_user_language(row["name_kk"], row["name_ru"])
        districts.rows.append([label, seen["started"][n], seen["ended"][n], seen["in_work"][n]])
        for number, name in enumerate(("started", "ended", "in_work"), start=1):
            districts.link(number, measure=name, district=str(row["district_id"]))
        districts.points.append(_point(label, seen["in_work"][n]))
        districts.narrow[n] = {"district": str(row["district_id"])}
    return [
        summary,
        districts,
        months,
        rate,
        kept,
        pipeline,
        declines,
        quotas,
        groups,
        *programme_tables(filters, user, today),
    ]


def programme_tables(filters: Filters, user: User, today: date) -> list[Table]:
    """People with an individual programme, and the programme steps due in the period by the
    service responsible. Each column has its total, so it is suppressed as a column
    (`suppression.column`); the totals are counts on their own."""
    people = Table(
        "programmes",
        _("Individual programmes"),
        [_("Figure"), _("Value")],
        rows=[
            [
                _("People with a programme"),
                shown(
                    programme_figures.people_with_programme(filters, user),
                    user,
                    cell_key(filters, user, "programmes"),
                ),
            ]
        ],
    )
    services = Table(
        "programme_steps",
        _("Programme steps due in the period, by service"),
        [
            _("Service"),
            _("Steps due"),
            _("Done"),
            _("Done on time"),
            _("Share done on time, %"),
            _("Not possible"),
            _("Overdue"),
        ],
    )
    found = programme_figures.steps_by_service(filters, user, today)
    cells = {
        name: column(
            [row[name] for row in found],
            user,
            [cell_key(filters, user, f"steps_{name}", service=row["code"]) for row in found],
        )
        for name in programme_figures.MEASURES
    }
    totals = {
        name: shown(sum(row[name] for row in found), user, cell_key(filters, user, f"steps_{name}"))
        for name in programme_figures.MEASURES
    }
    lines = [
        (in_user_language(row["name_kk"], row["name_ru"]), {k: cells[k][n] for k in cells})
        for n, row in enumerate(found)
    ]
    if found:
        lines.append((_("Total"), totals))
    for label, seen in lines:
        services.rows.append(
            [
                label,
                seen["steps"],
                seen["done"],
                seen["on_time"],
                share(seen["on_time"], seen["steps"]),
                seen["not_possible"],
                seen["overdue"],
            ]
        )
    return [people, services]


def district_choices(user: User) -> list[tuple[str, str]]:
    """The districts a user may filter by: those of their territory."""
    from portal.stats.filters import district_scope

    districts = choices.district_choices(district_scope(user), grouped=False)
    return [SelectChoice("", _("All districts")), *districts]


def group_choices() -> list[tuple[str, str]]:
    rows = db.session.scalars(sa.select(OccupationGroup).order_by(OccupationGroup.code)).all()
    return [SelectChoice("", _("All groups"))] + [
        SelectChoice(g.code, f"{g.code} {g.name}") for g in rows
    ]
