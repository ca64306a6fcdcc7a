"""Writers wait their turn: many at once all succeed, and a lock held too long is a clear 503."""

import sqlite3
import threading
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from portal import database
from portal.auth.models import AuditEntry, User
from portal.candidates.models import Candidate
from portal.candidates.records import create_candidate
from portal.errors import MESSAGES
from portal.extensions import db
from tests.candidates.helpers import record_form
from tests.helpers import ASTANA, new_iin, region, sign_in

THREADS, EACH = 16, 20


def test_sixteen_threads_writing_at_once_all_succeed(app, make_user):
    inspector_id = make_user("inspector").id
    astana_id = region(ASTANA).id
    barrier = threading.Barrier(THREADS)
    errors = []

    def writer(index):
        with app.app_context():
            user = db.session.get(User, inspector_id)
            db.session.commit()  # its connection back to the pool (15 for 16 threads)
            barrier.wait(timeout=60)
            try:
                for n in range(EACH):
                    values = dict(
                        full_name=f"Поток {index} {n}",
                        iin=new_iin(),
                        status="released",
                        region_id=astana_id,
                    )
                    create_candidate(user, values)
            except Exception as error:  # noqa: BLE001 - reported to the test, not swallowed
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    names = db.session.scalars(sa.select(Candidate.full_name)).all()
    assert sorted(names) == sorted(f"Поток {i} {n}" for i in range(THREADS) for n in range(EACH))
    created = db.session.scalar(
        sa.select(sa.func.count()).where(AuditEntry.action == "candidate_created")
    )
    assert created == THREADS * EACH


@contextmanager
def write_lock_held_elsewhere(monkeypatch):
    """Another process's writer holds the SQLite write lock; this process waits 0.3 s at most."""
    monkeypatch.setattr(database, "WRITE_WAIT_SECONDS", 0.3)
    other = sqlite3.connect(db.engine.url.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.mark.sqlite_only
def test_a_writer_that_cannot_get_its_turn_writes_nothing(make_user, monkeypatch):
    user = make_user("inspector")
    values = dict(full_name="Ждущий", iin=new_iin(), status="released", region_id=user.region_id)

    with write_lock_held_elsewhere(monkeypatch), pytest.raises(database.DatabaseBusy):
        create_candidate(user, values)

    assert db.session.scalar(sa.select(sa.func.count()).select_from(Candidate)) == 0


@pytest.mark.sqlite_only
def test_the_person_is_told_the_portal_is_busy(app, client, make_user, monkeypatch):
    sign_in(client, make_user("inspector"))

    with write_lock_held_elsewhere(monkeypatch):
        response = client.post(
            "/candidates/new", data=record_form(), headers={"Accept-Language": "ru"}
        )

    assert response.status_code == 503
    with app.test_request_context(), force_locale("ru"):
        assert str(MESSAGES[503][1]) in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Candidate)) == 0


@pytest.mark.sqlite_only
def test_a_plain_commit_that_waits_too_long_is_a_busy_page_too(
    app, client, make_user, make_candidate, monkeypatch
):
    """Reading a record writes its audit row with a plain commit, after SQLite's busy timeout."""
    inspector = make_user("inspector")
    person = make_candidate()
    sign_in(client, inspector)

    with write_lock_held_elsewhere(monkeypatch):
        response = client.get(f"/candidates/{person.id}", headers={"Accept-Language": "kk"})

    assert response.status_code == 503
    with app.test_request_context(), force_locale("kk"):
        assert str(MESSAGES[503][0]) in response.get_data(as_text=True)
