"""The index follows the database: outbox rows in the change's transaction, syncs that survive
being killed or run twice at once, rebuilds swapped in atomically, deletions without a trace."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from portal import clock
from portal.candidates.models import Candidate
from portal.employers.models import Employer, Vacancy
from portal.extensions import db
from portal.reference.models import District, Occupation
from portal.search import schema
from portal.search.analysis import name_key, parse
from portal.search.index import Position, SearchStore
from portal.search.models import SearchOutbox
from tests.search.changes import Changes
from tests.search.helpers import assert_index_matches_database, index_snapshot

ROOT = Path(__file__).resolve().parents[2]


def outbox() -> list[tuple[str, int, str]]:
    return [
        tuple(row)
        for row in db.session.execute(
            sa.select(SearchOutbox.kind, SearchOutbox.object_id, SearchOutbox.op).order_by(
                SearchOutbox.id
            )
        )
    ]


def found(search_store, kind: str, query: str) -> list[int]:
    return search_store.search(kind, parse(query), {}, limit=100).ids


def test_changes_write_outbox_rows_in_their_transaction(app, make_employer, make_vacancy):
    employer = make_employer()
    vacancy = make_vacancy(employer)
    assert outbox() == [("employer", employer.id, "upsert"), ("vacancy", vacancy.id, "upsert")]

    vacancy.wage = 999_999  # not indexed: no row
    db.session.commit()
    vacancy.title_ru = "Бетонщик"
    db.session.commit()
    assert outbox()[-1] == ("vacancy", vacancy.id, "upsert") and len(outbox()) == 3

    vacancy.title_ru = "Каменщик"
    db.session.flush()
    db.session.rollback()  # the change and its row go together
    assert len(outbox()) == 3

    db.session.delete(db.session.get(Vacancy, vacancy.id))
    db.session.commit()
    assert outbox()[-1] == ("vacancy", vacancy.id, "delete")


def test_what_shows_a_name_follows_it(
    app, search_store, make_employer, make_vacancy, make_candidate
):
    """An employer's new name reaches its vacancies; an occupation's new label, its vacancies
    and the candidates of that trade; a bulk UPDATE is followed too."""
    employer = make_employer(name_ru="ТОО «Старое имя»")
    vacancy = make_vacancy(employer)
    person = make_candidate()
    person.occupations = [
        db.session.scalar(sa.select(Occupation).where(Occupation.code == "7533-0"))
    ]
    db.session.commit()
    employer.name_ru = "ТОО «Жаңа Тігін»"
    db.session.commit()
    assert found(search_store, "vacancy", "жаңа") == [vacancy.id]

    occupation = db.session.scalar(sa.select(Occupation).where(Occupation.code == "7533-0"))
    old = occupation.name_ru
    occupation.name_ru = "Швея-портниха"
    db.session.commit()
    assert found(search_store, "vacancy", "портниха") == [vacancy.id]
    assert found(search_store, "candidate", "портниха") == [person.id]
    occupation.name_ru = old
    db.session.commit()

    place = db.session.get(District, vacancy.district_id)
    place.name_ru = "район Жаңаауыл"
    db.session.commit()
    assert found(search_store, "vacancy", "жанаауыл") == [vacancy.id]

    db.session.execute(
        sa.update(Vacancy)
        .where(Vacancy.employer_id == employer.id)
        .values(description_ru="Общежитие предоставляется")
    )
    db.session.commit()
    assert found(search_store, "vacancy", "общежитие") == [vacancy.id]
    assert_index_matches_database(search_store)


def test_random_changes_keep_the_index_equal_to_the_database(app, search_store):
    changes = Changes(seed=7)
    for _ in range(40):
        changes.step()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Candidate))
    assert_index_matches_database(search_store)


def test_without_the_after_commit_sync_the_cli_catches_up(app, make_app, runner):
    quiet = make_app(SEARCH_SYNC_AFTER_COMMIT=False)
    with quiet.app_context():
        changes = Changes(seed=11)
        for _ in range(25):
            changes.step()
    result = runner.invoke(args=["search", "sync"])
    assert result.exit_code == 0, result.output
    from portal.search.index import store

    assert_index_matches_database(store())


def test_after_an_upgrade_the_cli_rebuilds_an_index_of_an_older_format(
    app, search_store, make_vacancy, runner, monkeypatch
):
    """A sync only applies changes: documents written by older code (say, without the place
    names) would stay as they were. `flask search sync` rebuilds such an index."""
    from dataclasses import replace

    vacancy = make_vacancy(title_ru="Швея")
    before = search_store.folder("vacancy")
    assert search_store.outdated() == []
    newer = replace(schema.VACANCY, version=schema.VACANCY.version + 1)
    monkeypatch.setitem(schema.KINDS, "vacancy", newer)
    assert search_store.outdated() == ["vacancy"]

    result = runner.invoke(args=["search", "sync"])
    assert result.exit_code == 0, result.output
    assert search_store.folder("vacancy") != before and search_store.outdated() == []
    assert search_store.read_position(search_store.folder("vacancy")).version == newer.version
    assert found(search_store, "vacancy", "швея") == [vacancy.id]
    assert_index_matches_database(search_store)


def test_a_users_own_change_is_written_before_any_backlog(
    app, make_app, search_store, make_vacancy, monkeypatch
):
    """Another process left more pending rows than a request applies: the request's own
    change is still found by its very next search."""
    vacancy = make_vacancy(title_ru="Швея")
    with make_app(SEARCH_SYNC_AFTER_COMMIT=False).app_context():
        for _ in range(12):
            make_vacancy(title_ru="Оператор котельной")
    from flask import current_app

    monkeypatch.setitem(current_app.config, "SEARCH_SYNC_BUDGET", 5)
    vacancy = db.session.get(Vacancy, vacancy.id)
    vacancy.title_ru = "Закройщица"
    db.session.commit()
    assert found(search_store, "vacancy", "закройщица") == [vacancy.id]
    assert search_store.pending()  # the backlog is still being worked through
    sync_until_done(search_store, budget=5)
    assert len(found(search_store, "vacancy", "оператор")) == 12
    assert_index_matches_database(search_store)


def sync_until_done(search_store, budget: int, rounds: int = 20) -> None:
    for _ in range(rounds):
        if not search_store.pending():
            return
        search_store.sync(budget=budget)
    raise AssertionError(f"rows still pending after {rounds} syncs of {budget}")


def test_a_young_gap_does_not_stall_a_budgeted_sync(app, make_app, search_store, make_vacancy):
    """An outbox id taken by a transaction not yet committed leaves a gap that is waited for;
    the rows after it must still be applied, batch after batch."""
    last = db.session.scalar(sa.select(sa.func.max(SearchOutbox.id))) or 0
    with make_app(SEARCH_SYNC_AFTER_COMMIT=False).app_context():
        made = [make_vacancy(title_ru="Оператор котельной").id for _ in range(8)]
    later = db.session.scalars(
        sa.select(SearchOutbox.id).where(SearchOutbox.id > last).order_by(SearchOutbox.id.desc())
    ).all()
    for outbox_id in later:  # open a gap at last + 1
        db.session.execute(
            sa.update(SearchOutbox).where(SearchOutbox.id == outbox_id).values(id=outbox_id + 1)
        )
    if db.engine.dialect.name == "postgresql":  # the sequence must not hand out a moved id
        db.session.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence('search_outbox', 'id'),"
                " (SELECT max(id) FROM search_outbox))"
            )
        )
    db.session.commit()
    sync_until_done(search_store, budget=5)
    assert sorted(found(search_store, "vacancy", "оператор")) == sorted(made)
    position = search_store.read_position(search_store.folder("vacancy"))
    assert position.through == last and not position.applied(last + 1)  # the gap is young
    assert_index_matches_database(search_store)


def test_deleting_a_candidate_removes_every_trace(app, search_store, make_candidate):
    person = make_candidate(full_name="Зейнолла Қыдырбаев", skills="Ұсталық, жиһаз жасау")
    other = make_candidate(full_name="Мария Ким")
    assert found(search_store, "candidate", "Kydyrbaev") == [person.id]
    folder = search_store.folder("candidate")
    secret = name_key("қыдырбаев").encode()
    assert any(secret in p.read_bytes() for p in folder.rglob("*") if p.is_file())

    db.session.delete(person)
    db.session.commit()
    assert found(search_store, "candidate", "Kydyrbaev") == []
    assert found(search_store, "candidate", "Ким") == [other.id]
    leftovers = [
        p.name
        for p in search_store.folder("candidate").rglob("*")
        if p.is_file() and (secret in p.read_bytes() or "зейнолла".encode() in p.read_bytes())
    ]
    assert leftovers == []
    assert {row[0] for row in index_snapshot(search_store, "candidate")} == {other.id}


def test_a_renamed_person_leaves_no_old_name(app, search_store, make_candidate):
    person = make_candidate(full_name="Зейнолла Қыдырбаев")
    person.full_name = "Зейнолла Серікбаев"
    db.session.commit()
    secret = name_key("қыдырбаев").encode()
    assert not any(
        secret in p.read_bytes() for p in search_store.folder("candidate").rglob("*") if p.is_file()
    )


def test_a_request_never_waits_for_the_index(app, search_store, make_vacancy):
    make_vacancy(title_ru="Швея")
    with search_store.lock(timeout=0) as locked:
        assert locked
        started = time.monotonic()
        vacancy = make_vacancy(title_ru="Бетонщик")  # its commit tries to sync: lock busy
        assert time.monotonic() - started < 0.5
        assert search_store.pending()
    assert found(search_store, "vacancy", "бетонщик") == []  # still pending
    assert search_store.sync().applied["vacancy"] == 1
    assert found(search_store, "vacancy", "бетонщик") == [vacancy.id]


def test_an_edited_title_is_found_within_a_second(app, client, make_user, make_vacancy):
    from tests.helpers import sign_in

    employer = make_user("employer")
    vacancy = make_vacancy(db.session.get(Employer, employer.employer_id), title_ru="Швея")
    sign_in(client, employer)
    vacancy.title_ru = "Закройщица спецодежды"
    db.session.commit()
    started = time.monotonic()
    page = client.get("/search/vacancies?q=закройщица").get_data(as_text=True)
    assert "спецодежды" in page and time.monotonic() - started < 1.0


def test_a_young_gap_is_waited_for_and_an_old_one_skipped(app):
    store = SearchStore("/nonexistent", db.engine, gap_seconds=60)
    now = clock.now()

    def row(outbox_id, age):
        return type("Row", (), {"id": outbox_id, "created_at": now - timedelta(seconds=age)})

    young = store._advance(Position(4), [row(5, 1), row(7, 1), row(8, 1)])
    assert (young.through, young.extra) == (5, frozenset({7, 8}))  # 6 may still commit
    later = store._advance(young, [row(6, 1), row(7, 1), row(8, 1)])
    assert (later.through, later.extra) == (8, frozenset())
    old = store._advance(Position(4), [row(5, 120), row(7, 120), row(9, 1)])
    assert (old.through, old.extra) == (7, frozenset({9}))  # 6 rolled back long ago; 8 is young


def test_an_index_of_another_database_is_replaced(app, search_store, make_vacancy):
    vacancy = make_vacancy()
    folder = search_store.folder("vacancy")
    position = search_store.read_position(folder)
    search_store.write_position(folder, Position(position.through, database="elsewhere"))
    assert search_store.pending()
    search_store.sync()
    assert search_store.folder("vacancy") != folder
    assert found(search_store, "vacancy", "швея") == [vacancy.id]


def test_rebuild_builds_a_new_folder_and_swaps_it_in(app, search_store, runner):
    changes = Changes(seed=3)
    for _ in range(15):
        changes.step()
    before = search_store.folder("vacancy")
    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Indexing" in result.output
    after = search_store.folder("vacancy")
    assert after != before and (search_store.root / "vacancy").is_symlink()
    assert before.exists()  # kept one generation, for searchers opened before the swap
    assert_index_matches_database(search_store)
    changes.step()
    assert_index_matches_database(search_store)


def test_prune_deletes_only_old_applied_rows(app, search_store, runner, make_vacancy):
    make_vacancy()
    db.session.execute(sa.update(SearchOutbox).values(created_at=clock.now() - timedelta(days=40)))
    db.session.commit()
    make_vacancy()  # two new rows (employer, vacancy), applied but recent
    result = runner.invoke(args=["search", "prune", "--before", "30"])
    assert result.exit_code == 0, result.output
    assert "2 outbox rows deleted" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SearchOutbox)) == 2


# --- Several processes ---------------------------------------------------------------------


def _worker(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.search.sync_worker", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_sync_killed_half_way_is_completed_by_the_next(app, make_app, database_url, search_dir):
    quiet = make_app(SEARCH_SYNC_AFTER_COMMIT=False)
    with quiet.app_context():
        changes = Changes(seed=5)
        for _ in range(30):
            changes.vacancy() or changes.employer()
            changes.candidate()
        db.session.commit()
        search_store = SearchStore(search_dir, db.engine)
        search_store.sync(budget=1)  # the indexes exist; almost everything is pending

        worker = _worker("sync", database_url, search_dir, env={"PORTAL_SEARCH_SYNC_DELAY": "0.05"})
        assert worker.stdout.readline().strip() == "started"
        time.sleep(1.0)  # ~20 documents into the candidate or vacancy batch
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        worker.stdout.close()
        worker.stderr.close()
        assert search_store.pending(), "the worker finished before it was killed"

        search_store.sync(lock_timeout=5)
        assert not search_store.pending()
        assert_index_matches_database(search_store)
        db.session.remove()


def test_two_processes_changing_and_syncing_at_once_lose_nothing(
    app, make_app, database_url, search_dir
):
    quiet = make_app(SEARCH_SYNC_AFTER_COMMIT=False)
    with quiet.app_context():
        Changes(seed=1).employer()
        db.session.commit()
    workers = [_worker("churn", database_url, search_dir, str(seed), "25") for seed in (21, 22)]
    for worker in workers:
        out, err = worker.communicate(timeout=180)
        assert worker.returncode == 0, err
    with quiet.app_context():
        search_store = SearchStore(search_dir, db.engine)
        search_store.sync(lock_timeout=10)
        assert_index_matches_database(search_store)
        db.session.remove()


def test_processes_with_the_same_random_state_write_distinct_segments(
    app, search_store, make_vacancy
):
    """Whoosh names segments with `random`; forked workers share its state (see index.py)."""
    import random

    random.seed(1)
    make_vacancy(title_ru="Швея")
    random.seed(1)
    vacancy = make_vacancy(title_ru="Бетонщик")
    assert found(search_store, "vacancy", "бетонщик") == [vacancy.id]


def test_an_empty_index_answers_nothing(app, search_store, make_employer):
    make_employer()  # the indexes exist; the vacancy index is empty
    assert found(search_store, "vacancy", "швея") == []
