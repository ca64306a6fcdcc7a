"""Migration 0022: existing candidates' names, IINs and notes, and the words typed in the audit
log, encrypted with the app's keys; downgrading restores the plain text; SQLite and PostgreSQL."""

import json

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from portal import clock, data_crypto
from portal.auth import audit
from portal.candidates.identity import iin_holder
from portal.candidates.models import Candidate
from portal.extensions import db
from tests.helpers import new_iin

AFTER = "0022_encryption"


def _before(app) -> str:
    """The revision 0022 follows (the chain moves as branches are merged)."""
    migrate = app.extensions["migrate"]
    script = ScriptDirectory.from_config(migrate.migrate.get_config(migrate.directory))
    return script.get_revision(AFTER).down_revision


def _details(raw) -> dict:
    return raw if isinstance(raw, dict) else json.loads(raw)


def test_existing_rows_are_encrypted_and_decrypted_back(make_app, fresh_database_url):
    app = make_app(SQLALCHEMY_DATABASE_URI=fresh_database_url)
    iin = new_iin()
    with app.app_context():
        before = _before(app)
        upgrade(revision=before)
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO region (id, kato, name_kk, name_ru)"
                    " VALUES (1, '710000000', 'Астана', 'Астана')"
                )
            )
            candidate_id = conn.execute(
                sa.text(
                    "INSERT INTO candidate (code, full_name, iin, status, region_id, education,"
                    " skills, languages, housing, programme_notes, consent, offences_recorded,"
                    " created_at, updated_at) VALUES ('K-MIG1', 'Айгүл Серікова', :iin,"
                    " 'released', 1, '', '', '', '', 'тігін курсы', false, true,"
                    " :now, :now) RETURNING id"
                ),
                {"iin": iin, "now": clock.now()},
            ).scalar_one()
            conn.execute(
                sa.text(
                    "INSERT INTO audit_log (at, action, details)"
                    " VALUES (:now, 'candidates_listed', :details)"
                ),
                {
                    "details": json.dumps({"shown": [candidate_id], "filters": {"q": iin}}),
                    "now": clock.now(),
                },
            )
        upgrade(revision=AFTER)
        keys = data_crypto.current()
        with db.engine.connect() as conn:
            raw = conn.execute(
                sa.text("SELECT full_name, iin, iin_hash, programme_notes FROM candidate")
            ).one()
            logged = _details(conn.execute(sa.text("SELECT details FROM audit_log")).scalar())
        assert iin not in str(raw) and "Айгүл" not in str(raw) and iin not in str(logged)
        assert keys.decrypt(raw.full_name) == "Айгүл Серікова" and keys.decrypt(raw.iin) == iin
        assert raw.iin_hash == keys.keyed_hash(iin)
        assert audit.opened(logged) == {"shown": [candidate_id], "filters": {"q": iin}}
        upgrade()  # the models read the latest schema
        person = db.session.get(Candidate, candidate_id)
        assert (person.full_name, person.programme_notes) == ("Айгүл Серікова", "тігін курсы")
        assert iin_holder(iin) == candidate_id
        db.session.remove()
        downgrade(revision=before)
        with db.engine.connect() as conn:
            plain = conn.execute(sa.text("SELECT full_name, iin, programme_notes FROM candidate"))
            assert tuple(plain.one()) == ("Айгүл Серікова", iin, "тігін курсы")
            logged = _details(conn.execute(sa.text("SELECT details FROM audit_log")).scalar())
            assert logged == {"shown": [candidate_id], "filters": {"q": iin}}
        upgrade()
        db.engine.dispose()
