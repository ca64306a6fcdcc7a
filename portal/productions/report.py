"""The report's tables, in the user's language, small counts of people suppressed for akimats
by the statistics' one module (`stats.suppression`): the page and its CSV/XLSX exports are
drawn from these. A cell's identity is what it counts and where, not the day, so asking again
tomorrow draws nothing new (docs/statistics.md)."""

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from portal.auth.models import User
from portal.employers.models import EMPLOYER_KIND_LABELS
from portal.productions import figures
from portal.stats.suppression import cell_key, column, share, shown
from portal.stats.tables import Table


def build(user: User, today: date) -> list[Table]:
    def count(value, measure: str, **narrowing):
        return shown(value, user, cell_key(None, user, measure, **narrowing))

    def counts(values: list[int], measure: str, by: str, ids: list[int]) -> list:
        """A column whose total is shown in the summary (suppression.column)."""
        keys = [cell_key(None, user, measure, **{by: i}) for i in ids]
        return column(values, user, keys)

    institutions = figures.paid_work(user, today)
    regions = figures.by_region(institutions)
    branches = figures.branches(user, today)
    productions = figures.productions(user)
    workers = figures.workers_by_production([p.id for p in productions], today)
    smes = figures.sites([p for p in productions if p.employer.kind == "sme"], today)
    opened = figures.sites([p for p in productions if p.transferred_on.year == today.year], today)

    able = count(sum(r["able"] for r in institutions), "custody_able")
    in_work = count(sum(r["in_work"] for r in institutions), "custody_in_work")
    summary = Table(
        "summary",
        _("The work of people in custody, %(day)s", day=format_date(today)),
        [_("Figure"), _("Value")],
        rows=[
            [_("People in custody able to work"), able],
            [_("Of them in paid work"), in_work],
            [_("Share in paid work, %"), share(in_work, able)],
            [_("RSE branches"), len(branches)],
            [
                _("Workers at RSE branches"),
                count(figures.branch_workers([b["employer"].id for b in branches], today), "rse"),
            ],
            [_("SMEs with a production on institution land"), smes.employers],
            [_("Their land, m²"), smes.area_m2],
            [_("Workers at SMEs on institution land"), count(smes.workers, "sme_land")],
            [_("Productions opened in %(year)d", year=today.year), opened.productions],
            [
                _("Workers at the productions opened in %(year)d", year=today.year),
                count(opened.workers, "opened", year=today.year),
            ],
        ],
    )

    def paid_work(key, title, labels, rows, label, by, ids) -> Table:
        """People able to work and in paid work, a row per institution or region."""
        table = Table(
            key, title, [*labels, _("Able to work"), _("In paid work"), _("Share in paid work, %")]
        )
        ables = counts([r["able"] for r in rows], "custody_able", by, ids)
        working = counts([r["in_work"] for r in rows], "custody_in_work", by, ids)
        for row, a, w in zip(rows, ables, working, strict=True):
            table.rows.append([*label(row), a, w, share(w, a)])
        return table

    by_institution = paid_work(
        "institutions",
        _("Paid work by institution"),
        [_("Institution"), _("Region")],
        institutions,
        lambda r: [
            f"{r['institution'].code} {r['institution'].name}",
            r["institution"].region.name,
        ],
        "institution",
        [r["institution"].id for r in institutions],
    )
    by_region = paid_work(
        "regions",
        _("Paid work by region"),
        [_("Region")],
        regions,
        lambda r: [r["region"].name],
        "institution_region",
        [r["region"].id for r in regions],
    )

    rse = Table(
        "branches",
        _("RSE branches and their workshops"),
        [_("Branch"), _("Region"), _("Workshop places"), _("Workers")],
    )
    branch_workers = counts(
        [b["workers"] for b in branches], "rse", "employer", [b["employer"].id for b in branches]
    )
    for row, seen in zip(branches, branch_workers, strict=True):
        employer = row["employer"]
        rse.rows.append([employer.name, employer.region.name, employer.workshop_capacity, seen])

    sites = Table(
        "productions",
        _("Productions on institution land"),
        [
            _("Employer"),
            _("Kind"),
            _("Institution"),
            _("Land, m²"),
            _("Land transferred"),
            _("Products"),
            _("Places"),
            _("Workers"),
        ],
    )
    site_workers = counts(
        [workers.get(p.id, 0) for p in productions],
        "production",
        "production",
        [p.id for p in productions],
    )
    for production, seen in zip(productions, site_workers, strict=True):
        sites.rows.append(
            [
                production.employer.name,
                str(EMPLOYER_KIND_LABELS[production.employer.kind]),
                f"{production.institution.code} {production.institution.name}",
                production.area_m2,
                format_date(production.transferred_on),
                production.products,
                production.places,
                seen,
            ]
        )
    return [summary, by_institution, by_region, rse, sites]
