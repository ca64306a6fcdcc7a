"""Each role's home page is its to-do list: the counts against hand-built data, each item a
link, and the number of queries the page runs does not grow with the rows."""

from datetime import timedelta
from decimal import Decimal

import pytest

from portal import clock
from portal.auth.models import INSPECTOR
from portal.candidates.models import ActivityBan, Supervision
from portal.extensions import db
from portal.main import todo
from portal.placements import lifecycle
from portal.placements.lifecycle import Booking
from portal.placements.models import Quota
from tests.helpers import page_text, sign_in, statements, translated


def book(p, by, days: int = 2):
    starts = clock.now() + timedelta(days=days)
    return lifecycle.accept_for_interview(
        p.id, p.version, by, clock.today(), Booking(starts, place="Цех")
    )


def build(make_candidate, make_vacancy, make_employer, make_user, today, n: int):
    """n of everything each list counts, for one employer and one inspector of Astana."""
    employer = make_employer(headcount=1000)
    boss = make_user("employer", employer_id=employer.id)
    inspector = make_user(INSPECTOR)
    vacancy = make_vacancy(employer, places=10 * n, closes_on=today + timedelta(days=5))
    for _ in range(n):
        lifecycle.propose(make_candidate().id, vacancy.id, inspector, today)  # awaiting
        p = lifecycle.propose(make_candidate().id, vacancy.id, inspector, today)
        book(p, boss)  # an interview coming
        gone = lifecycle.propose(make_candidate().id, vacancy.id, inspector, today)
        lifecycle.close_unanswered(gone.id, gone.version, 30)  # withdrawn by the rules
        make_candidate(release_date=today + timedelta(weeks=4))  # releasing, nothing open
        make_candidate(
            supervision=Supervision(until=today + timedelta(days=10)),
            activity_bans=[ActivityBan(activity_code="driving", until=today + timedelta(days=20))],
        )  # ending
        make_employer(status="pending")
    db.session.add(
        Quota(
            employer_id=employer.id,
            year=today.year,
            category="released",
            mode="number",
            value=Decimal(3 * n),
        )
    )
    db.session.commit()
    return boss, inspector


@pytest.mark.parametrize("n", [1, 3])
def test_the_employers_and_inspectors_lists(
    app, client, make_candidate, make_vacancy, make_employer, make_user, today, n
):
    boss, inspector = build(make_candidate, make_vacancy, make_employer, make_user, today, n)
    mine = todo.employer_todo(boss, today)
    assert (mine["awaiting"].count, mine["interviews"].count, mine["closing"].count) == (n, n, 1)
    assert mine["quota"].count == 3 * n
    assert [days for _row, days in mine["awaiting"].rows] == [0] * n
    theirs = todo.inspector_todo(inspector, today)
    assert theirs["pending_employers"].count == n
    assert theirs["answered"].count == n  # each booking told the inspector (unread)
    assert theirs["interviews"].count == n
    assert theirs["releasing"].count == n
    assert theirs["ending"].count == n
    assert theirs["withdrawn"].count == n
    assert {row.reason_code for row in theirs["withdrawn"].rows} == {"no_answer"}
    assert [row.on for row in theirs["ending"].rows] == [today + timedelta(days=10)] * n


def queries_of_home(client, user) -> int:
    sign_in(client, user)
    with statements() as seen:
        page_text(client, "/")
    return len(seen)


@pytest.mark.parametrize("role", ["employer", "inspector", "akimat"])
def test_the_home_page_runs_as_many_queries_for_many_rows_as_for_one(
    app, make_candidate, make_vacancy, make_employer, make_user, today, role
):
    counts = []
    for n in (1, 4):
        boss, inspector = build(make_candidate, make_vacancy, make_employer, make_user, today, n)
        user = {"employer": boss, "inspector": inspector, "akimat": make_user("akimat")}[role]
        counts.append(queries_of_home(app.test_client(), user))
    assert counts[0] == counts[1]


def test_each_item_links_where_it_is_dealt_with_in_both_languages(
    app, make_candidate, make_vacancy, make_employer, make_user, today
):
    boss, inspector = build(make_candidate, make_vacancy, make_employer, make_user, today, 1)
    for lang in ("kk", "ru"):
        boss.locale = inspector.locale = lang
        db.session.commit()
        client = app.test_client()
        sign_in(client, boss)
        html = page_text(client, "/")
        assert translated(app, "Candidates awaiting your decision", lang) in html
        # The quota line says which number is which: 0 of the 3 places filled.
        assert translated(app, "%(filled)s of %(quota)s filled", lang, filled=0, quota=3) in html
        assert "/placements/vacancies/" in html and "#placement-" in html
        client = app.test_client()
        sign_in(client, inspector)
        html = page_text(client, "/")
        assert translated(app, "Released within 12 weeks, with no proposal", lang) in html
        assert "/matching/candidates/" in html and "/employers/?status=pending" in html


def test_the_akimat_sees_who_is_behind_and_the_month_against_last_year(
    app, make_employer, make_user, today
):
    behind = make_employer(headcount=1000)
    db.session.add(
        Quota(
            employer_id=behind.id,
            year=today.year,
            category="released",
            mode="number",
            value=Decimal(4),
        )
    )
    db.session.commit()
    akimat = make_user("akimat")
    mine = todo.akimat_todo(akimat, today)
    assert [(e.id, due) for e, due in mine["behind"].rows] == [(behind.id, 4)]
    assert (mine["month"].count, mine["month_last_year"].count) == (0, 0)
