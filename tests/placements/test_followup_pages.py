"""The follow-up list: who is due for a retention check, recording "still employed" or "ended"
(which ends the placement through the life cycle), and what is refused."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import gettext

from portal import clock
from portal.auth.models import ADMIN, INSPECTOR
from portal.extensions import db
from portal.placements import lifecycle
from portal.placements.followup import add_months
from portal.placements.lifecycle import MSG_STALE
from portal.placements.models import RetentionCheck
from portal.placements.retention import MSG_NOT_DUE
from tests.helpers import KARAGANDA, district, noon, region
from tests.placements.helpers import HX, client_for, fresh, history, in_language, snapshot


@pytest.fixture
def on_day(frozen_clock):
    """on_day(day): the portal's clock moves to noon of `day`. A session signed in before has
    timed out by then, as a real one would: sign in after."""
    return lambda day: frozen_clock.move_to(noon(day))


def follow_up(client) -> str:
    response = client.get("/placements/follow-up")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def checks() -> list[tuple]:
    db.session.expire_all()
    return db.session.execute(
        sa.select(
            RetentionCheck.placement_id, RetentionCheck.milestone, RetentionCheck.still_employed
        )
    ).all()


def test_people_appear_from_each_milestone_until_checked(
    app, shop, make_candidate, make_user, make_vacancy, on_day
):
    started = clock.today()
    worker = shop.hire(make_candidate(full_name="Жұмыста Жүр"))
    second_job = make_vacancy(shop.employer, places=3)
    left = shop.hire(make_candidate(full_name="Ерте Кетті"), vacancy=second_job)
    lifecycle.end(left.id, left.version, shop.employer_user, started + timedelta(days=20), "quit")
    karaganda = make_user(INSPECTOR, region_id=region(KARAGANDA).id)
    stranger = make_candidate(
        full_name="Басқа Өңір", region_id=region(KARAGANDA).id, district_id=district("354000000").id
    )
    p = lifecycle.propose(stranger.id, make_vacancy(shop.employer, places=3).id, karaganda, started)
    p = lifecycle.accept_for_interview(p.id, p.version, shop.employer_user, started)
    lifecycle.hire(p.id, p.version, shop.employer_user, start=started, on=started)

    on_day(add_months(started, 3) - timedelta(days=1))
    assert "Жұмыста Жүр" not in follow_up(client_for(app, shop.inspector))
    on_day(add_months(started, 3))
    page = follow_up(client_for(app, shop.inspector))
    assert "Жұмыста Жүр" in page and "Ерте Кетті" not in page and "Басқа Өңір" not in page
    assert f'id="follow-up-{worker.id}-3"' in page
    on_day(add_months(started, 12))  # nothing recorded: all three are due now
    page = follow_up(client_for(app, shop.inspector))
    assert all(f'id="follow-up-{worker.id}-{m}"' in page for m in (3, 6, 12))
    assert "Басқа Өңір" in follow_up(client_for(app, make_user(ADMIN)))


def test_still_employed_with_htmx(app, shop, make_candidate, on_day):
    p = shop.hire(make_candidate(full_name="Жұмыста Жүр"))
    day = add_months(p.hired_on, 3)
    on_day(day)
    client = client_for(app, shop.inspector)
    response = client.post(
        f"/placements/{p.id}/follow-up",
        data={"version": p.version, "milestone": 3, "outcome": "employed"},
        headers=HX,
    )
    row = response.get_data(as_text=True)
    assert row.strip().startswith(f'<tr id="follow-up-{p.id}-3"') and "<html" not in row
    assert (
        in_language(app, "kk", lambda: gettext("The check has been recorded: still employed."))
        in row
    )
    assert 'name="outcome"' not in row  # recorded: no more buttons
    assert checks() == [(p.id, 3, True)]
    assert fresh(p.id).state == "hired"
    assert "Жұмыста Жүр" not in follow_up(client)


def test_ended_ends_the_placement_and_records_the_check(app, shop, make_candidate, on_day):
    p = shop.hire(make_candidate())
    day = add_months(p.hired_on, 3)
    on_day(day)
    left_on = day - timedelta(days=10)
    client = client_for(app, shop.inspector)
    response = client.post(
        f"/placements/{p.id}/follow-up",
        data={
            "version": p.version,
            "milestone": 3,
            "outcome": "ended",
            "end_date": left_on.isoformat(),
            "reason": "quit",
            "note": "Телефон арқылы",
        },
    )
    assert response.status_code == 303 and response.headers["Location"] == "/placements/follow-up"
    ended = fresh(p.id)
    assert (ended.state, ended.ended_on, ended.reason_code) == ("ended", left_on, "quit")
    assert history(p.id)[-1] == ("hired", "ended")
    assert checks() == [(p.id, 3, False)]
    on_day(add_months(p.hired_on, 12))  # left before 6 months: nothing more to check
    assert f"follow-up-{p.id}-" not in follow_up(client_for(app, shop.inspector))


def test_someone_who_left_after_the_milestone_is_still_checked_there(
    app, shop, make_candidate, on_day
):
    p = shop.hire(make_candidate())
    lifecycle.end(
        p.id, fresh(p.id).version, shop.employer_user, add_months(p.hired_on, 4), "completed"
    )
    on_day(add_months(p.hired_on, 5))
    page = follow_up(client_for(app, shop.inspector))
    assert f'id="follow-up-{p.id}-3"' in page
    row = page.split(f'id="follow-up-{p.id}-3"')[1].split("</tr>")[0]
    assert 'value="employed"' in row and 'value="ended"' not in row  # already ended


@pytest.mark.parametrize("case", ["stale", "twice", "not_yet", "ended_without_reason"])
def test_refused_checks_record_nothing(app, shop, make_candidate, on_day, case):
    p = shop.hire(make_candidate())
    on_day(add_months(p.hired_on, 3))
    client = client_for(app, shop.inspector)
    data = {"version": p.version, "milestone": 3, "outcome": "employed"}
    if case == "stale":
        lifecycle.end(p.id, p.version, shop.employer_user, p.hired_on, "quit")  # meanwhile
        expected = lambda: MSG_STALE  # noqa: E731
    elif case == "twice":
        client.post(f"/placements/{p.id}/follow-up", data=data)
        expected = lambda: MSG_NOT_DUE  # noqa: E731
    elif case == "not_yet":
        data["milestone"] = 6
        expected = lambda: MSG_NOT_DUE  # noqa: E731
    else:
        data.update(outcome="ended", end_date=p.hired_on.isoformat())
        expected = lambda: gettext("Choose a reason.")  # noqa: E731
    before = snapshot()
    row = client.post(f"/placements/{p.id}/follow-up", data=data, headers=HX).get_data(as_text=True)
    assert 'role="alert"' in row and in_language(app, "kk", expected) in row
    assert snapshot() == before


@pytest.mark.parametrize("milestone", [4, 3])
def test_the_database_keeps_one_check_per_real_milestone(app, shop, make_candidate, milestone):
    p = shop.hire(make_candidate())
    db.session.add(
        RetentionCheck(
            placement_id=p.id,
            milestone=3,
            checked_on=p.hired_on,
            still_employed=True,
            user_id=shop.inspector.id,
        )
    )
    db.session.commit()
    db.session.add(
        RetentionCheck(
            placement_id=p.id,
            milestone=milestone,
            checked_on=p.hired_on,
            still_employed=True,
            user_id=shop.inspector.id,
        )
    )
    with pytest.raises(sa.exc.IntegrityError):  # 4 is no milestone; 3 is recorded already
        db.session.flush()
    db.session.rollback()
