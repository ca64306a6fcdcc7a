"""The akimat dashboard over 1,000,000 placement events: SQL aggregates vs. naive Python.

    python -m bench.stats_bench [--backend sqlite|postgresql|both] [--scale 1.0] [--keep NAME]

Generates 100,000 candidates, 20,000 vacancies, 5,000 employers and placements with 1,000,000
history rows (times --scale), then times every query of the dashboard (`tables.build`, as the
page and the exports run it: one year, no other filter) for an akimat of a region, an akimat of
a district and an administrator (the whole country). Beside it, the baseline loads the scope's
placements as objects and computes the same figures row by row in Python; both must agree.
"""

import argparse
import calendar
import statistics
import time
from collections import Counter
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from bench.data import generate
from bench.db import bench_app
from bench.placement_history import LAST_DAY, generate_placements
from bench.stats import summary, timed
from portal.auth.models import User
from portal.employers.models import Employer, Vacancy
from portal.employers.scope import vacancy_filter
from portal.extensions import db
from portal.placements.models import Placement, PlacementEvent, Quota
from portal.reference.models import District, Region
from portal.stats import figures, tables
from portal.stats.filters import Filters

YEAR = Filters(date(2026, 1, 1), date(2026, 12, 31))


def plus_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def naive(user: User, filters: Filters) -> dict:
    """The same figures from every placement of the territory, one Python object at a time."""
    rows = db.session.scalars(sa.select(Placement).join(Vacancy).where(vacancy_filter(user))).all()
    started = ended = 0
    working, districts, states, declines, days = set(), Counter(), Counter(), Counter(), []
    kept = Counter()
    for p in rows:
        if p.state in ("hired", "ended"):
            if filters.start <= p.hired_on <= filters.end:
                started += 1
                districts[p.vacancy.district_id] += 1
                days.append((p.hired_on - p.proposed_at.date()).days)
                for months in figures.RETENTION_MONTHS:
                    mark = plus_months(p.hired_on, months)
                    if mark <= LAST_DAY and (p.ended_on is None or p.ended_on >= mark):
                        kept[months] += 1
            if p.ended_on and filters.start <= p.ended_on <= filters.end:
                ended += 1
            if p.hired_on <= filters.end and (p.ended_on is None or p.ended_on >= filters.end):
                working.add(p.candidate_id)
        local = p.proposed_at.date()
        if filters.start <= local <= filters.end:
            states[p.state] += 1
            if p.state == "declined":
                declines[p.reason_code] += 1
    return {
        "flow": figures.Flow(started, ended, len(working)),
        "median": statistics.median(days) if days else None,
        "states": states,
        "districts": districts,
        "declines": declines,
        "kept": kept,
    }


def load(backend: str, scale: float) -> None:
    """The benchmark's data, generated into the empty database."""
    started = time.perf_counter()
    generate(
        db.session.connection(),
        candidates=int(100_000 * scale),
        vacancies=int(20_000 * scale),
        employers=int(5_000 * scale),
    )
    made = generate_placements(events=int(1_000_000 * scale))
    # Akimats set quotas for some employers: one in ten, both categories, this year.
    tenth = sa.select(Employer.id).where(Employer.id % 10 == 0)
    db.session.execute(
        sa.insert(Quota),
        [
            dict(
                employer_id=employer_id,
                year=2026,
                category=category,
                mode="percent",
                value=Decimal("1"),
            )
            for employer_id in db.session.scalars(tenth)
            for category in ("released", "probation")
        ],
    )
    db.session.commit()
    events = db.session.scalar(sa.select(sa.func.count()).select_from(PlacementEvent))
    print(
        f"[{backend}] generated in {time.perf_counter() - started:.0f} s: {made:,} "
        f"placements, {events:,} events",
        flush=True,
    )


def run(backend: str, scale: float, repeat: int, keep: str | None = None) -> None:
    with bench_app(backend, keep) as app:
        if not db.session.scalar(sa.select(sa.func.count()).select_from(Placement)):
            load(backend, scale)
        # After a bulk load (or new indexes), as autovacuum would: statistics for the planner,
        # and (PostgreSQL) the visibility map that lets the covering indexes answer alone.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE" if backend == "postgresql" else "ANALYZE")
        # The region and the district with the most placements: the heaviest akimat pages.
        region_id, district_id = db.session.execute(
            sa.select(District.region_id, District.id)
            .join(Vacancy)
            .join(Placement)
            .group_by(District.region_id, District.id)
            .order_by(sa.func.count().desc(), District.id)
            .limit(1)
        ).one()
        users = {
            "akimat (region)": User(role="akimat", region_id=region_id),
            "akimat (district)": User(role="akimat", region_id=region_id, district_id=district_id),
            "administrator (country)": User(role="admin"),
        }
        region, district = db.session.get(Region, region_id), db.session.get(District, district_id)
        print(f"[{backend}] region {region.name_ru}; district {district.name_ru}")
        with app.test_request_context():
            for label, user in users.items():
                samples = timed(lambda u=user: tables.build(YEAR, u, LAST_DAY), repeat + 1)[1:]
                print(
                    f"[{backend}] dashboard (all queries), {label:24} {summary(samples)}",
                    flush=True,
                )
                if user.role == "admin":
                    continue
                baseline = timed(lambda u=user: naive(u, YEAR), 2)
                print(
                    f"[{backend}] naive Python,              {label:24} {summary(baseline)}"
                    f"   ratio {statistics.median(baseline) / statistics.median(samples):.0f}×",
                    flush=True,
                )
                check = naive(user, YEAR)
                flow, retention = figures.flow_and_retention(YEAR, user, LAST_DAY)
                assert flow == check["flow"], "SQL and Python disagree"
                assert figures.median_days_to_hire(YEAR, user) == check["median"]
                retained = {r["months"]: r["retained"] for r in retention}
                assert retained == {m: check["kept"][m] for m in figures.RETENTION_MONTHS}
                db.session.expunge_all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--keep",
        metavar="NAME",
        help="keep the data in database NAME (SQLite: NAME.db in the temporary "
        "folder) and reuse it next time (generated only while it has no "
        "placements; new migrations applied)",
    )
    args = parser.parse_args()
    for backend in ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]:
        run(backend, args.scale, args.repeat, args.keep)


if __name__ == "__main__":
    main()
