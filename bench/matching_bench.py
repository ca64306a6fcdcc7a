"""Rank the eligible candidates for one vacancy: SQL ranking vs. a naive Python baseline.

    python -m bench.matching_bench [--backend sqlite|postgresql|both] [--scale 1.0]

Generates 100,000 candidates and 20,000 vacancies (times --scale), then times the first page
(25 rows) of `ranked_page` (as the matching page reads it) for random vacancies, for an
inspector of the vacancy's region and for an administrator (whole country). The baseline
loads every candidate in scope with its relationships and calls `evaluate` in Python, as code
without the SQL rules would.

The other way round, a person's vacancies (the inspector's page for one person): the first
page, best first, and both tabs' counts, by `ranking.vacancies_for` and the rules as SQL on
vacancies (`vacancy_filters.open_to`), against the baseline that evaluates every published
vacancy in scope in Python (what the page did before) and ranks them with `terms_for`.
"""

import argparse
import random
import statistics
import time
from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so

from bench.data import generate
from bench.db import bench_app
from bench.stats import summary, timed
from portal.auth.models import User
from portal.candidates.models import Candidate, Supervision
from portal.candidates.scope import candidate_filter
from portal.employers.models import Vacancy
from portal.employers.scope import vacancy_filter
from portal.extensions import db
from portal.matching.eligibility import evaluate
from portal.matching.facts import facts_from_candidate, facts_from_vacancy
from portal.matching.ranking import (
    excluded_vacancies,
    open_vacancies,
    ranked_candidates,
    ranked_page,
    terms_for,
    vacancies_for,
)
from portal.pagination import count_rows

ON = date(2026, 11, 26)
PAGE = 25


def naive_top(vacancy: Vacancy, user: User) -> list[int]:
    facts = facts_from_vacancy(vacancy)
    people = db.session.scalars(
        sa.select(Candidate)
        .where(candidate_filter(user))
        .options(
            so.selectinload(Candidate.offences),
            so.selectinload(Candidate.activity_bans),
            so.selectinload(Candidate.supervision).selectinload(Supervision.prohibited_places),
            so.selectinload(Candidate.contraindications),
            so.selectinload(Candidate.occupations),
        )
    ).all()
    code = vacancy.occupation.code
    scored = []
    for person in people:
        if not person.consent or not evaluate(facts_from_candidate(person), facts, ON).eligible:
            continue
        codes = {o.code for o in person.occupations}
        points = (
            30
            if code in codes
            else 20
            if any(c[:4] == code[:4] for c in codes)
            else (10 if any(c[:3] == code[:3] for c in codes) else 0)
        )
        points += 10 if person.district_id == vacancy.district_id else 0
        scored.append((-points, person.id))
    return [pid for _, pid in sorted(scored)[:PAGE]]


def person_page(person: Candidate, user: User) -> list:
    """What the person's page reads: a page of vacancies, and how many each tab holds."""
    rows = vacancies_for(person, user, ON, PAGE)
    count_rows(open_vacancies(person, user, ON))
    count_rows(excluded_vacancies(person, user, ON))
    return rows


def naive_person_page(person: Candidate, user: User) -> list[int]:
    facts = facts_from_candidate(person)
    published = db.session.scalars(
        sa.select(Vacancy).where(vacancy_filter(user), Vacancy.status == "published")
    ).all()
    scored = [
        (-sum(p for _t, p in terms_for(person, v)), v.id)
        for v in published
        if evaluate(facts, facts_from_vacancy(v), ON).eligible
    ]
    return [vid for _, vid in sorted(scored)[:PAGE]]


def run_person_side(backend: str, people: list[Candidate], user: User, naive_runs: int) -> None:
    samples = []
    for person in people:
        samples += timed(lambda p=person: person_page(p, user), 3)[1:]  # warm run dropped
    print(f"[{backend}] person's vacancies, SQL     {summary(samples)}")
    naive = []
    for person in people[:naive_runs]:
        naive += timed(lambda p=person: naive_person_page(p, user), 1)
    print(
        f"[{backend}] person's vacancies, Python  {summary(naive)}   "
        f"ratio {statistics.median(naive) / statistics.median(samples):.0f}×"
    )
    # The same page either way (ids by score, then id).
    person = people[0]
    assert [v.id for v, *_ in person_page(person, user)] == naive_person_page(person, user)


def run(backend: str, scale: float, queries: int, naive_runs: int) -> None:
    with bench_app(backend) as app:
        started = time.perf_counter()
        generate(
            db.session.connection(),
            candidates=int(100_000 * scale),
            vacancies=int(20_000 * scale),
            employers=int(5_000 * scale),
        )
        db.session.commit()
        print(
            f"[{backend}] generated in {time.perf_counter() - started:.0f} s: "
            f"{db.session.scalar(sa.select(sa.func.count()).select_from(Candidate)):,} candidates, "
            f"{db.session.scalar(sa.select(sa.func.count()).select_from(Vacancy)):,} vacancies"
        )
        # After a bulk load, as autovacuum would: statistics for the planner, and (PostgreSQL)
        # the visibility map that lets the covering indexes answer without the table.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE" if backend == "postgresql" else "ANALYZE")
        admin = User(email="admin@bench", full_name="Admin", role="admin", password_hash="-")
        db.session.add(admin)
        db.session.flush()
        rng = random.Random(7)
        ids = db.session.scalars(sa.select(Vacancy.id)).all()
        sample = [db.session.get(Vacancy, vid) for vid in rng.sample(ids, queries)]
        inspectors = {}
        for vacancy in sample:
            region_id = vacancy.district.region_id
            if region_id not in inspectors:
                inspectors[region_id] = User(
                    email=f"i{region_id}@bench",
                    full_name="I",
                    role="inspector",
                    region_id=region_id,
                    password_hash="-",
                )
                db.session.add(inspectors[region_id])
        db.session.flush()
        app.jinja_env  # noqa: B018 - nothing rendered; the app context is what matters

        def first_page(vacancy, user):
            return ranked_page(vacancy, user, ON, PAGE)

        for label, who in (
            ("inspector (region)", lambda v: inspectors[v.district.region_id]),
            ("administrator (country)", lambda v: admin),
        ):
            samples = []
            for vacancy in sample:
                user = who(vacancy)
                samples += timed(lambda v=vacancy, u=user: first_page(v, u), 3)[
                    1:
                ]  # warm run dropped
            print(f"[{backend}] SQL ranking, {label:24} {summary(samples)}")
            naive = []
            for vacancy in sample[:naive_runs]:
                user = who(vacancy)
                naive += timed(lambda v=vacancy, u=user: naive_top(v, u), 1)
            print(
                f"[{backend}] naive Python, {label:23} {summary(naive)}   "
                f"ratio {statistics.median(naive) / statistics.median(samples):.0f}×"
            )
        people = db.session.scalars(
            sa.select(Candidate).where(
                Candidate.id.in_(
                    rng.sample(db.session.scalars(sa.select(Candidate.id)).all(), queries)
                )
            )
        ).all()
        run_person_side(backend, people, admin, naive_runs)
        # The page is the full ranking's first page, and not empty.
        vacancy = sample[0]
        sql_ids = [row.Candidate.id for row in first_page(vacancy, admin)]
        full = db.session.execute(ranked_candidates(vacancy, admin, ON).limit(PAGE)).all()
        assert sql_ids and sql_ids == [row.Candidate.id for row in full]
        db.session.rollback()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--naive-runs", type=int, default=3)
    args = parser.parse_args()
    for backend in ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]:
        run(backend, args.scale, args.queries, args.naive_runs)


if __name__ == "__main__":
    main()
