"""Workplace checks: an inspector records from the placement page the day, whether the person
was found at work and a note; the page lists them newest first, the follow-up list shows the
last one, the person's story tells it; bad days are refused with nothing written; only the
record's inspectors and administrators reach them, employers never see them."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal import clock
from portal.auth.models import ADMIN, EMPLOYER, INSPECTOR, AuditEntry
from portal.extensions import db
from portal.placements import lifecycle
from portal.placements.followup import add_months
from portal.placements.models import WorkplaceCheck
from portal.placements.workplace_checks import last_checks
from tests.helpers import KARAGANDA, noon, region, sign_in, statements, translated
from tests.placements.helpers import client_for, snapshot


def checks() -> list[tuple]:
    db.session.expire_all()
    return db.session.execute(
        sa.select(
            WorkplaceCheck.placement_id, WorkplaceCheck.checked_on, WorkplaceCheck.found_at_work
        ).order_by(WorkplaceCheck.id)
    ).all()


def post_check(client, placement, day, found="yes", note="", **extra):
    return client.post(
        f"/placements/{placement.id}/workplace-checks",
        data={
            "checked_on": day.isoformat() if day else "",
            "found_at_work": found,
            "note": note,
            **extra,
        },
    )


@pytest.fixture
def started(shop, make_candidate, frozen_clock):
    """A person who started work 40 days ago (the clock then back to today)."""
    today = clock.today()
    frozen_clock.move_to(noon(today - timedelta(days=40)))
    placement = shop.hire(make_candidate(full_name="Жұмыста Жүр"))
    frozen_clock.move_to(noon(today))
    return placement


def test_an_inspector_records_checks_and_reads_them_newest_first(app, shop, started):
    today = clock.today()
    client = client_for(app, shop.inspector)
    first = post_check(client, started, today - timedelta(days=10), "no", note="Ауырып қалған")
    assert first.status_code == 303 and first.headers["Location"].endswith(
        f"/placements/{started.id}"
    )
    assert post_check(client, started, today, "yes", note="Цехта, сменада").status_code == 303

    assert checks() == [
        (started.id, today - timedelta(days=10), False),
        (started.id, today, True),
    ]
    page = client.get(f"/placements/{started.id}").get_data(as_text=True)
    section = page[page.index('id="workplace-checks"') :]
    assert section.index("Цехта, сменада") < section.index("Ауырып қалған")
    assert translated(app, "not found at work") in section
    assert translated(app, "The workplace check has been recorded.") in page

    audited = db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.action == "workplace_checked")
        .order_by(AuditEntry.id)
    ).all()
    assert [(e.object_type, e.object_id, e.user_id) for e in audited] == [
        ("placement", started.id, shop.inspector.id)
    ] * 2
    assert audited[0].details["found_at_work"] is False
    assert audited[0].details["checked_on"] == (today - timedelta(days=10)).isoformat()

    story = client.get(f"/candidates/{started.candidate_id}").get_data(as_text=True)
    assert (
        translated(
            app,
            "workplace check at «%(vacancy)s»: %(outcome)s",
            vacancy=started.vacancy.title,
            outcome=translated(app, "found at work"),
        )
        in story
    )


def test_the_follow_up_list_shows_each_placements_last_check(
    app, shop, make_candidate, make_vacancy, frozen_clock
):
    start = clock.today()
    checked = shop.hire(make_candidate(full_name="Тексерілген"))
    unchecked = shop.hire(
        make_candidate(full_name="Тексерілмеген"), vacancy=make_vacancy(shop.employer, places=3)
    )
    due_day = add_months(start, 3)
    frozen_clock.move_to(noon(due_day))
    client = client_for(app, shop.inspector)
    post_check(client, checked, start + timedelta(days=5), "yes")
    post_check(client, checked, due_day - timedelta(days=1), "no")

    page = client.get("/placements/follow-up").get_data(as_text=True)
    row = page[page.index(f'id="follow-up-{checked.id}-3"') :]
    row = row[: row.index("</tr>")]
    assert translated(app, "not found at work") in row
    other = page[page.index(f'id="follow-up-{unchecked.id}-3"') :]
    assert translated(app, "none yet") in other[: other.index("</tr>")]

    with statements() as seen:
        last = last_checks([checked.id, unchecked.id])
    assert len(seen) == 1
    assert list(last) == [checked.id] and last[checked.id].checked_on == due_day - timedelta(days=1)


@pytest.mark.parametrize(
    "case", ["future", "before_start", "no_answer", "no_day", "bad_day", "long_note"]
)
def test_bad_input_is_a_400_with_the_message_and_writes_nothing(app, shop, started, case):
    today = clock.today()
    client = client_for(app, shop.inspector)
    before = snapshot()
    if case == "future":
        response = post_check(client, started, today + timedelta(days=1))
        message = "The day of the check cannot be in the future."
    elif case == "before_start":
        response = post_check(client, started, started.hired_on - timedelta(days=1))
        message = "The day of the check cannot be before the start date."
    elif case == "no_answer":
        response = post_check(client, started, today, found="")
        message = "Choose whether the person was found at work."
    elif case == "no_day":
        response = post_check(client, started, None)
        message = "Enter a date."
    elif case == "bad_day":
        response = client.post(
            f"/placements/{started.id}/workplace-checks",
            data={"checked_on": "31.02.2026", "found_at_work": "yes"},
        )
        message = "Enter a valid date."
    else:
        response = post_check(client, started, today, note="ы" * 1001)
        message = None
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    if message:
        assert translated(app, message) in html
    assert 'id="workplace-check-checked_on"' in html  # the form again, with what was typed
    assert checks() == [] and snapshot() == before


def test_a_check_after_the_end_or_before_any_start_is_refused(app, shop, started, make_candidate):
    today = clock.today()
    lifecycle.end(
        started.id, started.version, shop.employer_user, today - timedelta(days=5), "quit"
    )
    client = client_for(app, shop.inspector)
    late = post_check(client, started, today - timedelta(days=2))
    assert late.status_code == 400
    assert translated(
        app, "The day of the check cannot be after the employment ended."
    ) in late.get_data(as_text=True)
    assert post_check(client, started, today - timedelta(days=5)).status_code == 303
    proposal = shop.propose(make_candidate())
    refused = post_check(client, proposal, today)
    assert refused.status_code == 409
    assert translated(
        app, "A workplace check can be recorded only once the person has started."
    ) in refused.get_data(as_text=True)
    assert len(checks()) == 1


def test_only_the_records_inspectors_and_administrators_reach_the_checks(
    app, shop, started, make_user
):
    today = clock.today()
    karaganda = make_user(INSPECTOR, region_id=region(KARAGANDA).id)
    stranger = client_for(app, karaganda)
    assert post_check(stranger, started, today).status_code == 404
    assert stranger.get(f"/placements/{started.id}").status_code == 404
    employer = client_for(app, shop.employer_user)
    assert post_check(employer, started, today).status_code == 403
    assert checks() == []

    admin = client_for(app, make_user(ADMIN))
    assert post_check(admin, started, today, note="Әкімші тексерді").status_code == 303
    assert len(checks()) == 1

    # Nothing of the check on the employer's pages.
    for path in (
        f"/placements/vacancies/{started.vacancy_id}",
        "/employers/vacancies",
        f"/employers/vacancies/{started.vacancy_id}",
    ):
        html = employer.get(path).get_data(as_text=True)
        assert "Әкімші тексерді" not in html
        assert translated(app, "Workplace checks") not in html
        assert translated(app, "found at work") not in html


def test_the_form_needs_its_csrf_token(
    make_app, make_user, make_employer, make_vacancy, make_candidate
):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        inspector = make_user(INSPECTOR)
        employer = make_employer()
        boss = make_user(EMPLOYER, employer_id=employer.id)
        p = lifecycle.propose(
            make_candidate().id, make_vacancy(employer).id, inspector, clock.today()
        )
        p = lifecycle.accept_for_interview(p.id, p.version, boss, clock.today())
        p = lifecycle.hire(p.id, p.version, boss, start=clock.today(), on=clock.today())
        client = app.test_client()
        sign_in(client, inspector)
        assert post_check(client, p, clock.today()).status_code == 400
        assert checks() == []
