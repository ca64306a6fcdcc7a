"""Concurrent clicks never corrupt the counts (threads with their own connections)."""

import threading

import sqlalchemy as sa

from portal import clock
from portal.auth.models import User
from portal.extensions import db
from portal.placements import lifecycle
from portal.placements.lifecycle import StepRefused
from portal.placements.models import Placement, PlacementEvent


def run_together(app, jobs):
    """Start every job in its own thread and app context, released at the same moment."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(index, job):
        with app.app_context():
            barrier.wait()
            try:
                job()
                results[index] = "done"
            except StepRefused as refused:
                results[index] = refused.code
            except Exception as error:  # noqa: BLE001 - reported to the test, not swallowed
                results[index] = f"error: {error!r}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (deadlock?)"
    return results


def interview(candidate, vacancy, inspector, employer_user) -> tuple[int, int]:
    p = lifecycle.propose(candidate.id, vacancy.id, inspector, clock.today())
    p = lifecycle.accept_for_interview(p.id, p.version, employer_user, clock.today())
    return p.id, p.version


def hire_job(placement_id, version, user_id):
    def job():
        user = db.session.get(User, user_id)
        lifecycle.hire(placement_id, version, user, start=clock.today(), on=clock.today())

    return job


def test_fifty_concurrent_hires_on_five_places(
    app, make_user, make_employer, make_vacancy, make_candidate
):
    employer = make_employer()
    employer_user = make_user("employer", employer_id=employer.id)
    inspector = make_user("inspector")
    vacancy = make_vacancy(employer, places=5)
    proposals = [interview(make_candidate(), vacancy, inspector, employer_user) for _ in range(50)]

    results = run_together(
        app, [hire_job(pid, version, employer_user.id) for pid, version in proposals]
    )

    assert results.count("done") == 5
    refusals = [r for r in results if r != "done"]
    assert refusals == ["places_taken"] * 45
    db.session.expire_all()
    hired = db.session.scalars(sa.select(Placement).where(Placement.state == "hired")).all()
    assert len(hired) == 5
    hire_events = db.session.scalars(
        sa.select(PlacementEvent).where(PlacementEvent.to_state == "hired")
    ).all()
    assert sorted(e.placement_id for e in hire_events) == sorted(p.id for p in hired)
    assert db.session.scalar(sa.select(sa.func.count()).where(Placement.state == "interview")) == 45


def test_same_person_hired_by_two_employers_at_once(
    app, make_user, make_employer, make_vacancy, make_candidate
):
    inspector = make_user("inspector")
    person = make_candidate()
    jobs = []
    for name in ("Швея А", "Швея Б"):
        employer = make_employer()
        employer_user = make_user("employer", employer_id=employer.id)
        placement_id, version = interview(
            person, make_vacancy(employer, title_ru=name), inspector, employer_user
        )
        jobs.append(hire_job(placement_id, version, employer_user.id))

    results = run_together(app, jobs)

    assert results.count("done") == 1
    db.session.expire_all()
    active = db.session.scalar(
        sa.select(sa.func.count()).where(
            Placement.candidate_id == person.id, Placement.state == "hired"
        )
    )
    assert active == 1
