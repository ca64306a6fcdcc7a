"""The placement life cycle: allowed steps, refusals that change nothing, history, obsolescence."""

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from portal.candidates.models import Offence
from portal.extensions import db
from portal.placements import lifecycle
from portal.placements.lifecycle import StepRefused
from portal.placements.models import Placement, PlacementEvent


def events(placement_id: int) -> list[tuple]:
    return db.session.execute(
        sa.select(PlacementEvent.from_state, PlacementEvent.to_state)
        .where(PlacementEvent.placement_id == placement_id)
        .order_by(PlacementEvent.id)
    ).all()


def fresh(placement: Placement) -> Placement:
    db.session.expire_all()
    return db.session.get(Placement, placement.id)


@pytest.fixture
def world(make_user, make_employer, make_vacancy, make_candidate):
    employer = make_employer()
    return {
        "inspector": make_user("inspector"),
        "employer_user": make_user("employer", employer_id=employer.id),
        "other_employer_user": make_user("employer"),
        "vacancy": make_vacancy(employer, places=1),
        "candidate": make_candidate(),
    }


@pytest.mark.real_clock  # the path that broke when tests fixed a day and the code read the clock
def test_full_path_with_history(today, world):
    w = world
    p = lifecycle.propose(w["candidate"].id, w["vacancy"].id, w["inspector"], today)
    p = lifecycle.accept_for_interview(p.id, p.version, w["employer_user"], today)
    p = lifecycle.hire(p.id, p.version, w["employer_user"], start=today, on=today)
    p = lifecycle.end(
        p.id, p.version, w["inspector"], end_date=today + timedelta(days=156), reason="completed"
    )
    p = fresh(p)
    assert (p.state, p.hired_on, p.ended_on, p.reason_code) == (
        "ended",
        today,
        today + timedelta(days=156),
        "completed",
    )
    assert events(p.id) == [
        (None, "proposed"),
        ("proposed", "interview"),
        ("interview", "hired"),
        ("hired", "ended"),
    ]


def test_hire_makes_other_open_proposals_obsolete(today, world, make_vacancy):
    w = world
    second = make_vacancy(title_ru="Швея 2")
    first = lifecycle.propose(w["candidate"].id, w["vacancy"].id, w["inspector"], today)
    other = lifecycle.propose(w["candidate"].id, second.id, w["inspector"], today)
    first = lifecycle.accept_for_interview(first.id, first.version, w["employer_user"], today)
    lifecycle.hire(first.id, first.version, w["employer_user"], start=today, on=today)
    assert fresh(other).state == "obsolete"
    assert events(other.id)[-1] == ("proposed", "obsolete")


def test_second_of_two_candidates_cannot_be_hired_on_a_one_place_vacancy(
    today, world, make_candidate
):
    w = world
    a = lifecycle.propose(w["candidate"].id, w["vacancy"].id, w["inspector"], today)
    b = lifecycle.propose(make_candidate().id, w["vacancy"].id, w["inspector"], today)
    a = lifecycle.accept_for_interview(a.id, a.version, w["employer_user"], today)
    b = lifecycle.accept_for_interview(b.id, b.version, w["employer_user"], today)
    lifecycle.hire(a.id, a.version, w["employer_user"], start=today, on=today)
    with pytest.raises(StepRefused, match="places_taken"):
        lifecycle.hire(b.id, b.version, w["employer_user"], start=today, on=today)
    assert fresh(b).state == "interview"


@pytest.mark.parametrize(
    "step",
    [
        "hire_declined",
        "decide_closed",
        "stale",
        "other_employer",
        "employer_proposes",
        "no_consent",
        "twice",
        "bad_reason",
        "end_before_start",
    ],
)
def test_illegal_steps_change_nothing(today, world, step, make_candidate):
    w = world
    p = lifecycle.propose(w["candidate"].id, w["vacancy"].id, w["inspector"], today)
    before = (fresh(p).state, fresh(p).version, len(events(p.id)))
    with pytest.raises(StepRefused) as refused:
        if step == "hire_declined":
            p = lifecycle.decline(p.id, p.version, w["employer_user"], "no_experience")
            before = (p.state, p.version, len(events(p.id)))
            lifecycle.hire(p.id, p.version, w["employer_user"], start=today, on=today)
        elif step == "decide_closed":
            w["vacancy"].status = "closed"
            db.session.commit()
            lifecycle.accept_for_interview(p.id, p.version, w["employer_user"], today)
        elif step == "stale":
            lifecycle.accept_for_interview(p.id, p.version + 1, w["employer_user"], today)
        elif step == "other_employer":
            lifecycle.accept_for_interview(p.id, p.version, w["other_employer_user"], today)
        elif step == "employer_proposes":
            lifecycle.propose(make_candidate().id, w["vacancy"].id, w["employer_user"], today)
        elif step == "no_consent":
            lifecycle.propose(
                make_candidate(consent=False).id, w["vacancy"].id, w["inspector"], today
            )
        elif step == "twice":
            lifecycle.propose(w["candidate"].id, w["vacancy"].id, w["inspector"], today)
        elif step == "bad_reason":
            lifecycle.decline(p.id, p.version, w["employer_user"], "not-a-reason")
        elif step == "end_before_start":
            p = lifecycle.accept_for_interview(p.id, p.version, w["employer_user"], today)
            p = lifecycle.hire(p.id, p.version, w["employer_user"], start=today, on=today)
            before = (p.state, p.version, len(events(p.id)))
            lifecycle.end(p.id, p.version, w["employer_user"], today - timedelta(days=1), "quit")
    assert str(refused.value.message)
    after = fresh(p)
    assert (after.state, after.version, len(events(p.id))) == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Placement)) == 1


def test_propose_refuses_an_ineligible_candidate_with_the_reasons(
    today, world, make_vacancy, make_candidate
):
    w = world
    kindergarten = make_vacancy(
        title_ru="Повар детского сада", sphere_code="upbringing", with_minors=True
    )
    offender = make_candidate(offences=[Offence(category_code="sexual_minors", article="122")])
    with pytest.raises(StepRefused) as refused:
        lifecycle.propose(offender.id, kindergarten.id, w["inspector"], today)
    codes = {reason.code for reason in refused.value.reasons}
    assert {"labour_code_26_conviction", "sexual_offence_minors"} <= codes
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Placement)) == 0


def test_hire_rechecks_eligibility_on_the_day(today, world):
    w = world
    p = lifecycle.propose(w["candidate"].id, w["vacancy"].id, w["inspector"], today)
    p = lifecycle.accept_for_interview(p.id, p.version, w["employer_user"], today)
    w["vacancy"].shift_start, w["vacancy"].shift_end = time(22), time(6)
    w["candidate"].birth_date = today - timedelta(days=16 * 365)  # a minor: no night work
    db.session.commit()
    with pytest.raises(StepRefused) as refused:
        lifecycle.hire(p.id, p.version, w["employer_user"], start=today, on=today)
    assert [r.code for r in refused.value.reasons] == ["minor_candidate_conditions"]


def test_second_job_only_part_time_and_only_by_an_inspector(today, world, make_vacancy):
    w = world
    first = lifecycle.propose(w["candidate"].id, w["vacancy"].id, w["inspector"], today)
    first = lifecycle.accept_for_interview(first.id, first.version, w["employer_user"], today)
    lifecycle.hire(first.id, first.version, w["employer_user"], start=today, on=today)
    other = make_vacancy(employer=w["employer_user"].employer, title_ru="Швея вечер")
    second = lifecycle.propose(w["candidate"].id, other.id, w["inspector"], today)
    second = lifecycle.accept_for_interview(second.id, second.version, w["employer_user"], today)
    with pytest.raises(StepRefused, match="has_job"):
        lifecycle.hire(second.id, second.version, w["employer_user"], start=today, on=today)
    with pytest.raises(StepRefused, match="part_time_by_inspector"):
        lifecycle.hire(
            second.id, second.version, w["employer_user"], start=today, on=today, part_time=True
        )
    hired = lifecycle.hire(
        second.id, second.version, w["inspector"], start=today, on=today, part_time=True
    )
    assert fresh(hired).state == "hired" and fresh(hired).part_time


def test_a_crash_mid_step_leaves_nothing(today, world, monkeypatch, make_vacancy):
    w = world
    other = lifecycle.propose(
        w["candidate"].id, make_vacancy(title_ru="Швея 3").id, w["inspector"], today
    )
    p = lifecycle.propose(w["candidate"].id, w["vacancy"].id, w["inspector"], today)
    p = lifecycle.accept_for_interview(p.id, p.version, w["employer_user"], today)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(lifecycle, "_make_others_obsolete", boom)
    with pytest.raises(RuntimeError):
        lifecycle.hire(p.id, p.version, w["employer_user"], start=today, on=today)
    assert fresh(p).state == "interview" and fresh(other).state == "proposed"
    assert events(p.id)[-1] == ("proposed", "interview")


def test_withdraw_by_inspector_only(today, world):
    w = world
    p = lifecycle.propose(w["candidate"].id, w["vacancy"].id, w["inspector"], today)
    with pytest.raises(StepRefused):
        lifecycle.withdraw(p.id, p.version, w["employer_user"], "other")
    p = lifecycle.withdraw(p.id, p.version, w["inspector"], "found_other_job")
    assert fresh(p).state == "withdrawn"
