"""Hiring through the life cycle under concurrency, and the quota fulfilment query.

    python -m bench.placements_bench [--backend postgresql|sqlite] [--scale 1.0]

1. Hires: time of `lifecycle.hire` for one client, then for 8 concurrent clients (threads,
   each with its own connection) on vacancies that share places; throughput and p95.
2. Fulfilment of 5,000 employers × 2 categories in one aggregate query, beside the naive
   computation (one count query per employer and category) in the same run.
"""

import argparse
import random
import statistics
import threading
import time
from decimal import Decimal

import sqlalchemy as sa

from bench.data import generate
from bench.db import bench_app
from bench.stats import percentile, summary, timed
from portal import clock
from portal.auth.models import User
from portal.candidates.models import Candidate
from portal.employers.models import Employer, Vacancy
from portal.extensions import db
from portal.placements import lifecycle
from portal.placements.models import Placement, PlacementEvent, Quota
from portal.placements.quotas import fulfilment


def _interviews(count: int, vacancy_ids: list[int], rng: random.Random) -> list[tuple[int, int]]:
    """Placements in the interview state, one per free candidate, inserted in bulk."""
    free = db.session.scalars(
        sa.select(Candidate.id)
        .where(
            Candidate.status.in_(("released", "probation")),
            Candidate.offences_recorded.is_(True),
            Candidate.consent.is_(True),
        )
        .limit(count)
    ).all()
    rows = [
        dict(candidate_id=cid, vacancy_id=rng.choice(vacancy_ids), state="interview")
        for cid in free
    ]
    db.session.execute(sa.insert(Placement), rows)
    db.session.commit()
    return db.session.execute(
        sa.select(Placement.id, Placement.version).where(Placement.state == "interview")
    ).all()


def _hire_all(app, work: list[tuple[int, int]], user_id: int, clients: int) -> tuple[list, float]:
    """Latencies of the steps that completed (refused or done); a step that raised is not one."""
    chunks = [work[i::clients] for i in range(clients)]
    latencies, lock = [], threading.Lock()

    def client(chunk):
        with app.app_context():
            user = db.session.get(User, user_id)
            today = clock.today()  # proposals are stamped with the clock: hire on its day
            for placement_id, version in chunk:
                started = time.perf_counter()
                try:
                    lifecycle.hire(placement_id, version, user, start=today, on=today)
                except lifecycle.StepRefused:
                    pass  # refusals (places taken, not eligible) are part of the load
                with lock:
                    latencies.append((time.perf_counter() - started) * 1000)
            db.session.remove()

    threads = [threading.Thread(target=client, args=(chunk,)) for chunk in chunks]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - started


def run(backend: str, scale: float) -> None:
    with bench_app(backend) as app:
        generate(
            db.session.connection(),
            candidates=int(20_000 * scale),
            vacancies=int(2_000 * scale),
            employers=int(5_000 * scale),
        )
        rng = random.Random(3)
        admin = User(email="admin@bench", full_name="Admin", role="admin", password_hash="-")
        db.session.add(admin)
        db.session.commit()
        vacancy_ids = db.session.scalars(
            sa.select(Vacancy.id)
            .where(Vacancy.sphere_code.in_(("manufacturing", "construction")))
            .limit(200)
        ).all()
        work = _interviews(int(4_000 * scale), vacancy_ids, rng)
        half = len(work) // 2
        single, single_wall = _hire_all(app, work[:half], admin.id, clients=1)
        multi, multi_wall = _hire_all(app, work[half:], admin.id, clients=8)
        print(
            f"[{backend}] hire, 1 client:   {summary(single)}"
            f"   {len(single) / single_wall:6.0f} steps/s"
        )
        print(
            f"[{backend}] hire, 8 clients:  {summary(multi)}"
            f"   {len(multi) / multi_wall:6.0f} steps/s"
            f"   p95 ratio {percentile(multi, 95) / percentile(single, 95):.1f}×"
        )
        print(
            f"[{backend}] steps completed: {len(single) + len(multi):,} of {len(work):,}"
            " (a step that raised, e.g. on a locked database, is missing here)"
        )
        hired = db.session.scalar(sa.select(sa.func.count()).where(Placement.state == "hired"))
        over = db.session.execute(
            sa.select(Vacancy.id)
            .join(Placement)
            .where(Placement.state == "hired")
            .group_by(Vacancy.id, Vacancy.places)
            .having(sa.func.count() > Vacancy.places)
        ).all()
        events = db.session.scalar(
            sa.select(sa.func.count()).where(PlacementEvent.to_state == "hired")
        )
        print(
            f"[{backend}] {hired:,} hired, {events:,} hire events,"
            f" vacancies over capacity: {len(over)}"
        )

        employers = db.session.scalars(sa.select(Employer)).all()
        db.session.execute(
            sa.insert(Quota),
            [
                dict(
                    employer_id=e.id,
                    year=2026,
                    category=category,
                    mode="percent",
                    value=Decimal("1"),
                )
                for e in employers
                for category in ("released", "probation")
            ],
        )
        db.session.commit()
        aggregate = timed(lambda: fulfilment(employers, 2026), 7)

        def naive():
            for employer in employers:
                for status in ("released", "probation"):
                    db.session.scalar(
                        sa.select(sa.func.count(sa.distinct(Placement.candidate_id)))
                        .join(Vacancy)
                        .join(Candidate)
                        .where(
                            Vacancy.employer_id == employer.id,
                            Candidate.status == status,
                            Placement.state.in_(("hired", "ended")),
                        )
                    )

        per_employer = timed(naive, 3)
        print(
            f"[{backend}] fulfilment, {len(employers):,} employers × 2,"
            f" one query: {summary(aggregate)}"
        )
        print(
            f"[{backend}] fulfilment, one query per employer and category: {summary(per_employer)}"
            f"   ratio {statistics.median(per_employer) / statistics.median(aggregate):.0f}×"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="postgresql")
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    for backend in ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]:
        run(backend, args.scale)


if __name__ == "__main__":
    main()
