"""Migration 0009: every candidate who consented before the history existed gets one migrated
grant, dated the record's creation day in Kazakhstan; on SQLite and PostgreSQL."""

import importlib
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from portal import clock
from portal.extensions import db
from tests.helpers import new_iin

MIGRATION = importlib.import_module("migrations.versions.0009_consent_records")


def _candidate(conn, number: int, consent: bool, created_at: datetime) -> int:
    return conn.execute(
        sa.text(
            "INSERT INTO candidate (code, full_name, iin, status, region_id, education, skills,"
            " languages, housing, programme_notes, consent, offences_recorded, created_at,"
            " updated_at) VALUES (:code, 'Тест', :iin, 'released', :region, '', '', '', '', '',"
            " :consent, true, :at, :at) RETURNING id"
        ),
        {
            "code": f"K-MIG{number}",
            "iin": new_iin(),
            "region": 1,
            "consent": consent,
            "at": created_at,
        },
    ).scalar_one()


def test_consenting_records_get_one_migrated_grant(make_app, fresh_database_url, today):
    app = make_app(SQLALCHEMY_DATABASE_URI=fresh_database_url)
    # 02:00 in Astana is still the day before in UTC: the grant takes the local day.
    early = datetime.combine(today - timedelta(days=40), time(2), clock.LOCAL_ZONE)
    noon = datetime.combine(today - timedelta(days=3), time(12), clock.LOCAL_ZONE)
    with app.app_context():
        upgrade(revision="0007")
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO region (id, kato, name_kk, name_ru)"
                    " VALUES (1, '710000000', 'Астана', 'Астана')"
                )
            )
            early_id = _candidate(conn, 1, True, early)
            noon_id = _candidate(conn, 2, True, noon)
            _candidate(conn, 3, False, noon)
        upgrade(revision="0009")
        with db.engine.begin() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT candidate_id, kind, on_date, text_version, method, recorded_by_id,"
                    " recorded_at FROM consent_event ORDER BY candidate_id"
                )
            ).all()
            assert [tuple(row[:6]) for row in rows] == [
                (early_id, "grant", _as_stored(today - timedelta(days=40)), "1", "migrated", None),
                (noon_id, "grant", _as_stored(today - timedelta(days=3)), "1", "migrated", None),
            ]
            assert all(row.recorded_at is not None for row in rows)
            assert MIGRATION.migrate_consents(conn) == 0  # a second run adds nothing
        downgrade(revision="0007")
        assert "consent_event" not in sa.inspect(db.engine).get_table_names()
        upgrade()
        db.engine.dispose()


def _as_stored(day):
    """Dates come back as date objects from PostgreSQL, as ISO text from SQLite's raw SQL."""
    return day if db.engine.dialect.name == "postgresql" else day.isoformat()
