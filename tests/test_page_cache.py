"""Pages kept for their session (portal/page_cache.py): served again only while no write has
committed, never across sessions, never with a message meant for one showing."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.auth.audit import record
from portal.auth.models import AuditEntry
from portal.employers.models import Vacancy
from portal.extensions import db
from portal.generation import _WRITE
from portal.generation import _reader as generation_reader
from portal.generation import current as generation
from portal.page_cache import store
from tests.helpers import CSRF_TOKEN, page_text, sign_in, statements

LIST = "/employers/vacancies"


@pytest.fixture
def employer_client(app, make_employer, make_user, make_vacancy):
    store.clear()
    employer = make_employer()
    vacancy = make_vacancy(employer, title_ru="Швея", title_kk="Тігінші")
    boss = make_user("employer", employer_id=employer.id, locale="ru")
    client = app.test_client()
    sign_in(client, boss)
    return client, boss, vacancy


def statements_of(client, path: str) -> tuple[str, int]:
    """The page, and how many of its statements read vacancies (the page's own queries)."""
    with statements() as seen:
        html = page_text(client, path)
    return html, sum("FROM vacancy" in " ".join(statement.split()) for statement in seen)


def test_a_page_asked_again_is_served_without_building_it(employer_client):
    client, _boss, _vacancy = employer_client
    first, built = statements_of(client, LIST)
    again, kept = statements_of(client, LIST)
    assert "Швея" in first and again == first
    assert built > 0 and kept == 0  # the list's queries did not run again


def test_a_kept_page_asks_the_database_nothing_but_the_counter(app, employer_client):
    client, _boss, _vacancy = employer_client
    page_text(client, LIST)
    with app.app_context():
        pool = db.engine.pool
    checked_out = []

    def checkout(*_args):
        checked_out.append(1)

    sa.event.listen(pool, "checkout", checkout)
    try:
        with statements() as seen:
            page_text(client, LIST)
    finally:
        sa.event.remove(pool, "checkout", checkout)
    # The user is the worker's copy (auth/sessions.py); the counter is read on a connection
    # of its own, outside the pool (portal/generation.py).
    assert seen == [] and checked_out == []


def test_the_counter_is_read_again_after_its_connection_is_lost(app, employer_client):
    client, _boss, vacancy = employer_client
    page_text(client, LIST)
    with app.app_context():
        _pid, connection, _close = generation_reader._open[db.engine]
    connection.close()  # as a restarted server would leave it
    vacancy.title_ru = "Повар"
    db.session.commit()
    assert "Повар" in page_text(client, LIST)  # on a new connection
    again, kept = statements_of(client, LIST)
    assert "Повар" in again and kept == 0  # kept under the counter read there


def test_a_committed_change_shows_at_once(employer_client):
    client, _boss, vacancy = employer_client
    page_text(client, LIST)
    vacancy.title_ru = "Повар"
    db.session.commit()
    assert "Повар" in page_text(client, LIST)
    # A statement that bypasses the ORM's objects counts as well.
    db.session.execute(sa.update(Vacancy).where(Vacancy.id == vacancy.id).values(title_ru="Пекарь"))
    db.session.commit()
    assert "Пекарь" in page_text(client, LIST)


def test_only_writes_that_change_pages_count(app, employer_client):
    client, boss, _vacancy = employer_client
    before = generation()
    page_text(client, LIST)
    record("vacancies_listed", boss)  # who looked at what changes no page kept here
    db.session.commit()
    assert generation() == before
    db.session.execute(sa.update(Vacancy).values(title_ru="Повар"))
    db.session.rollback()  # nothing committed: nothing to forget
    assert generation() == before
    db.session.execute(sa.update(Vacancy).values(title_ru="Повар"))
    db.session.commit()
    assert generation() == before + 1


def test_another_session_of_the_same_user_gets_its_own_page(app, employer_client):
    client, boss, _vacancy = employer_client
    mine = page_text(client, LIST)
    other = app.test_client()
    sign_in(other, boss)
    theirs = page_text(other, LIST)
    # Each page's forms carry its own session's token (a kept copy would fail the other's).
    assert CSRF_TOKEN.search(mine).group() != CSRF_TOKEN.search(theirs).group()
    assert page_text(other, LIST) == theirs


def test_a_message_is_shown_once_and_its_page_not_kept(app, employer_client):
    client, _boss, _vacancy = employer_client
    page_text(client, LIST)
    with client.session_transaction() as saved:
        saved["_flashes"] = [("success", "Вакансия сохранена")]
    assert "Вакансия сохранена" in page_text(client, LIST)
    assert "Вакансия сохранена" not in page_text(client, LIST)


def test_the_next_day_the_page_is_built_again(app, employer_client, frozen_clock, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 48 * 60)  # the session lives on
    monkeypatch.setitem(app.config, "SESSION_ABSOLUTE_HOURS", 48)
    monkeypatch.setitem(app.config, "PERMANENT_SESSION_LIFETIME", timedelta(hours=48))
    client, _boss, _vacancy = employer_client
    page_text(client, LIST)
    frozen_clock.shift(timedelta(days=1))
    _html, built_again = statements_of(client, LIST)
    _html, kept = statements_of(client, LIST)
    assert built_again > 0 and kept == 0


@pytest.mark.parametrize("setting", ["PAGE_CACHE_ENTRIES", "PAGE_CACHE_SECONDS"])
def test_switched_off_nothing_is_kept(app, employer_client, monkeypatch, setting):
    monkeypatch.setitem(app.config, setting, 0)
    client, _boss, _vacancy = employer_client
    _html, built = statements_of(client, LIST)
    _html, again = statements_of(client, LIST)
    assert again == built > 0


def test_a_signed_out_user_is_not_served_a_kept_page(app, employer_client):
    client, _boss, _vacancy = employer_client
    page_text(client, LIST)
    client.post("/auth/logout", data={"csrf_token": CSRF_TOKEN.search(page_text(client, LIST))[0]})
    assert client.get(LIST).status_code in (302, 401)


@pytest.mark.parametrize(
    ("statement", "table"),
    [
        ("INSERT INTO vacancy (title_ru) VALUES (?)", "vacancy"),
        ('UPDATE "user_account" SET locale=%(locale)s', "user_account"),
        ("DELETE FROM placement WHERE id = ?", "placement"),
        ("INSERT OR REPLACE INTO quota VALUES (?)", "quota"),
        ("TRUNCATE TABLE notification", "notification"),
        ("SELECT * FROM vacancy", None),
        ("SELECT 1 FROM vacancy FOR UPDATE", None),
    ],
)
def test_the_writes_that_are_counted(statement, table):
    found = _WRITE.match(statement)
    assert (found.group(1) if found else None) == table


@pytest.mark.parametrize(
    ("page", "action"),
    [
        ("vacancy", "matching_listed"),
        ("person", "candidate_matches_viewed"),
        ("list", "candidates_listed"),
    ],
)
def test_each_showing_of_a_kept_page_that_reads_people_is_on_record(
    app, make_user, make_vacancy, make_candidate, page, action
):
    store.clear()
    vacancy = make_vacancy()
    person = make_candidate()
    inspector = make_user("inspector")
    client = app.test_client()
    sign_in(client, inspector)
    path, named = {
        "vacancy": (f"/matching/vacancies/{vacancy.id}", ("vacancy", vacancy.id)),
        "person": (f"/matching/candidates/{person.id}", ("candidate", person.id)),
        "list": ("/candidates/", (None, None)),
    }[page]
    first = page_text(client, path)
    with statements() as seen:
        assert page_text(client, path) == first
    assert not any(  # kept, not built
        "FROM candidate" in s or "FROM vacancy" in s for s in (" ".join(s.split()) for s in seen)
    )
    rows = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    ).all()
    assert len(rows) == 2
    assert [r.details["shown"] for r in rows] == [[person.id]] * 2
    assert {(r.user_id, r.object_type, r.object_id) for r in rows} == {(inspector.id, *named)}
