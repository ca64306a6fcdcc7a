"""Encryption at rest: names, IINs and programme notes are unreadable in the database (its file
on SQLite, a raw select on PostgreSQL), an exact IIN still finds its record and stays unique,
keys rotate, and the search index keeps only ids, in files of the portal's user alone."""

import random
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from whoosh import index as whoosh_index

from portal.auth import audit
from portal.auth.models import INSPECTOR, AuditEntry
from portal.candidates.identity import iin_holder
from portal.candidates.models import Candidate
from portal.extensions import db
from portal.search.index import store
from tests.helpers import ASTANA, BASE_CONFIG, new_iin, region, sign_in

_LETTERS = random.Random(__name__)  # the same words each run


def _word(length: int) -> str:
    """A Kazakh-looking word no other test writes: the database file may hold what earlier
    tests left in it (in freed pages too), and a leak is looked for by its words."""
    return "".join(_LETTERS.choices("абвгдежзийклмнопрстуфхшқғүұөңәі", k=length))


FIRST, SURNAME, COURSE = "Ай" + _word(5), _word(6) + "ова", _word(7)
NAME, NOTES = f"{FIRST} {SURNAME}", f"Жеке бағдарлама: {COURSE} курсы"


@pytest.fixture
def person(make_candidate):
    return make_candidate(full_name=NAME, programme_notes=NOTES)


def _raw(candidate_id: int):
    with db.engine.connect() as conn:
        return conn.execute(
            sa.text(
                "SELECT full_name, iin, iin_hash, programme_notes FROM candidate WHERE id = :id"
            ),
            {"id": candidate_id},
        ).one()


def _database_bytes() -> bytes:
    """The SQLite database file with its write-ahead log, as a thief would copy them."""
    path = Path(db.engine.url.database)
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def test_the_database_holds_no_name_iin_or_note_in_clear(person, backend):
    raw = _raw(person.id)
    for value in (raw.full_name, raw.iin, raw.programme_notes):
        assert person.iin not in value and FIRST not in value and COURSE not in value
    assert raw.iin_hash != person.iin and len(raw.iin_hash) == 64
    if backend == "sqlite":
        leaked = _database_bytes()
        for clear in (person.iin, FIRST, SURNAME, COURSE):
            assert clear.encode() not in leaked
    db.session.expire_all()
    again = db.session.get(Candidate, person.id)
    assert (again.full_name, again.programme_notes) == (NAME, NOTES)


def test_an_exact_iin_still_finds_its_record(client, make_user, person):
    assert iin_holder(person.iin) == person.id
    assert iin_holder(person.iin, except_id=person.id) is None
    sign_in(client, make_user(INSPECTOR))
    assert NAME in client.get(f"/candidates/?q={person.iin}").get_data(as_text=True)
    assert NAME not in client.get(f"/candidates/?q={person.iin[:8]}").get_data(as_text=True)
    assert NAME in client.get(f"/candidates/?q={SURNAME}").get_data(as_text=True)  # by the index


def test_an_iin_is_still_unique(make_candidate, person):
    with pytest.raises(sa.exc.IntegrityError):
        make_candidate(iin=person.iin)
    db.session.rollback()


def test_changing_the_iin_changes_its_hash(person):
    old_hash, new = person.iin_hash, new_iin()
    person.iin = new
    db.session.commit()
    assert iin_holder(new) == person.id and _raw(person.id).iin_hash != old_hash


def _token_key(token: str, *keys: str) -> str | None:
    for key in keys:
        try:
            Fernet(key).decrypt(token.encode())
            return key
        except InvalidToken:
            continue
    return None


def test_rotation_old_rows_read_reencrypt_moves_them_then_the_old_key_goes(
    make_app, person, make_candidate
):
    old, new = BASE_CONFIG["DATA_ENCRYPTION_KEYS"], Fernet.generate_key().decode()
    entry = audit.record("candidates_listed", filters={"q": person.iin})
    db.session.commit()
    searched = entry.id
    rotated = make_app(DATA_ENCRYPTION_KEYS=f"{new},{old}")
    with rotated.app_context():
        assert db.session.get(Candidate, person.id).full_name == NAME  # the old key still reads
        written = make_candidate(full_name="Жаңа Адам").id  # new writes use the new key
        db.session.commit()
        assert _token_key(_raw(written).full_name, old, new) == new
        assert _token_key(_raw(person.id).full_name, old, new) == old
        result = rotated.test_cli_runner().invoke(args=["data", "reencrypt"])
        assert result.exit_code == 0, result.output
        assert "candidate: 1 rows re-encrypted" in result.output  # the other was new already
        assert "audit_log: 1 rows re-encrypted" in result.output
        raw = _raw(person.id)
        assert {_token_key(v, old, new) for v in (raw.full_name, raw.iin)} == {new}
        again = rotated.test_cli_runner().invoke(args=["data", "reencrypt"])
        assert "candidate: 0 rows re-encrypted" in again.output
        db.session.remove()
    only_new = make_app(DATA_ENCRYPTION_KEYS=new)
    with only_new.app_context():
        people = {c.id: c for c in db.session.scalars(sa.select(Candidate))}
        assert people[person.id].full_name == NAME and people[person.id].iin == person.iin
        assert people[written].full_name == "Жаңа Адам"
        assert iin_holder(person.iin) == person.id
        logged = db.session.get(AuditEntry, searched).details
        assert audit.opened(logged) == {"filters": {"q": person.iin}}
        db.session.remove()
    elsewhere = make_app(DATA_ENCRYPTION_KEYS=Fernet.generate_key().decode())
    with elsewhere.app_context():  # a dropped key: the log still opens, the words do not
        logged = db.session.get(AuditEntry, searched).details
        assert audit.opened(logged) == {"filters": {"q": audit.UNREADABLE}}
        db.session.remove()


def test_the_search_index_stores_only_ids_in_files_of_the_portal_user(person, app):
    folder = store().folder("candidate")
    with whoosh_index.open_dir(str(folder)).searcher() as searcher:
        stored = list(searcher.all_stored_fields())
    assert stored == [{"id": str(person.id)}]
    root = Path(app.config["SEARCH_INDEX_DIR"])
    files = [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()]
    assert files
    for path in files:
        assert person.iin.encode() not in path.read_bytes()
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
    for path in [root, *(p for p in root.rglob("*") if p.is_dir() and not p.is_symlink())]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o700, path


def test_the_instance_folder_is_the_portal_users_alone(app):
    assert stat.S_IMODE(Path(app.instance_path).stat().st_mode) == 0o700


def test_the_words_typed_to_find_a_person_are_sealed_in_the_audit_log(client, make_user, person):
    admin_view = make_user("admin")
    sign_in(client, make_user(INSPECTOR))
    client.get(f"/candidates/?q={person.iin}")
    client.get("/search/candidates", query_string={"q": SURNAME})
    with db.engine.connect() as conn:
        logged = " ".join(
            str(d) for d in conn.execute(sa.text("SELECT details FROM audit_log")).scalars()
        )
    assert person.iin not in logged and SURNAME not in logged
    client.post("/auth/logout")
    sign_in(client, admin_view)
    page = client.get("/admin/audit").get_data(as_text=True)
    assert person.iin in page and SURNAME in page  # the log's readers read them


def test_a_core_insert_gets_the_hash_of_its_iin(app):
    iin = new_iin()
    db.session.execute(
        sa.insert(Candidate),
        [
            dict(
                code="K-CORE1",
                full_name=NAME,
                iin=iin,
                status="released",
                region_id=region(ASTANA).id,
            )
        ],
    )
    db.session.commit()
    found = iin_holder(iin)
    assert found is not None and db.session.get(Candidate, found).full_name == NAME
