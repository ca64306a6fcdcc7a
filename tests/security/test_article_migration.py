"""Migration 0026: existing offences' articles, parts and old categories encrypted with the
app's keys, each with the keyed hash of its code and article; audit_shown filled from the
people the logged lists showed; downgrading restores the plain text; SQLite and PostgreSQL."""

import json

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from portal import clock, data_crypto
from portal.candidates.models import Offence
from portal.extensions import db
from portal.reference import criminal_code
from tests.helpers import new_iin

AFTER = "0026_article_hash"


def _before(app) -> str:
    migrate = app.extensions["migrate"]
    script = ScriptDirectory.from_config(migrate.migrate.get_config(migrate.directory))
    return script.get_revision(AFTER).down_revision


def _candidate(conn, keys, code: str) -> int:
    iin = new_iin()
    return conn.execute(
        sa.text(
            "INSERT INTO candidate (code, full_name, iin, iin_hash, status, region_id, education,"
            " skills, languages, housing, programme_notes, consent, offences_recorded,"
            " created_at, updated_at) VALUES (:code, :name, :iin, :hash, 'released', 1, '', '',"
            " '', '', :notes, false, true, :now, :now) RETURNING id"
        ),
        {
            "code": code,
            "name": keys.encrypt("Тест Тестов"),
            "iin": keys.encrypt(iin),
            "hash": keys.keyed_hash(iin),
            "notes": keys.encrypt(""),
            "now": clock.now(),
        },
    ).scalar_one()


def _log(conn, action: str, details: dict) -> int:
    return conn.execute(
        sa.text(
            "INSERT INTO audit_log (at, action, details) VALUES (:now, :action, :details)"
            " RETURNING id"
        ),
        {"now": clock.now(), "action": action, "details": json.dumps(details)},
    ).scalar_one()


def test_existing_offences_are_encrypted_and_lists_indexed(make_app, fresh_database_url):
    app = make_app(SQLALCHEMY_DATABASE_URI=fresh_database_url)
    with app.app_context():
        before = _before(app)
        upgrade(revision=before)
        keys = data_crypto.current()
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO region (id, kato, name_kk, name_ru)"
                    " VALUES (1, '710000000', 'Астана', 'Астана')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO offence_category (code, name_kk, name_ru, position)"
                    " VALUES ('other', 'other', 'other', 0), ('sexual', 'sexual', 'sexual', 1)"
                )
            )
            first, second = _candidate(conn, keys, "K-MIG1"), _candidate(conn, keys, "K-MIG2")
            conn.execute(
                sa.text(
                    "INSERT INTO offence (candidate_id, category_code, code, article, part,"
                    " regraded_from, outside_listed) VALUES"
                    " (:first, 'other', '2014', '188', '2', 'sexual', false),"
                    " (:second, 'other', NULL, 'ст. 99', '', NULL, false)"
                ),
                {"first": first, "second": second},
            )
            listed = _log(conn, "candidates_listed", {"shown": [second, first], "filters": {}})
            _log(conn, "candidate_viewed", {"page": "record"})
        upgrade(revision=AFTER)
        with db.engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT candidate_id, code, article, part, regraded_from, article_key"
                    " FROM offence ORDER BY candidate_id"
                )
            ).all()
            shown = conn.execute(
                sa.text("SELECT candidate_id, audit_id FROM audit_shown ORDER BY candidate_id")
            ).all()
        (new, old) = rows
        assert "188" not in new.article and keys.decrypt(new.article) == "188"
        assert keys.decrypt(new.part) == "2" and keys.decrypt(new.regraded_from) == "sexual"
        assert new.article_key == criminal_code.article_key("2014", "188", keys)
        assert keys.decrypt(old.article) == "ст. 99" and old.regraded_from is None
        assert old.article_key == criminal_code.article_key(None, "ст. 99", keys)
        assert [tuple(row) for row in shown] == [(first, listed), (second, listed)]
        offence = db.session.scalar(sa.select(Offence).where(Offence.candidate_id == first))
        assert (offence.article, offence.part, offence.regraded_from) == ("188", "2", "sexual")
        db.session.remove()
        downgrade(revision=before)
        with db.engine.connect() as conn:
            plain = conn.execute(
                sa.text("SELECT article, part, regraded_from FROM offence ORDER BY candidate_id")
            ).all()
            tables = sa.inspect(conn).get_table_names()
        assert [tuple(row) for row in plain] == [("188", "2", "sexual"), ("ст. 99", "", None)]
        assert "audit_shown" not in tables
        upgrade()
        db.engine.dispose()
