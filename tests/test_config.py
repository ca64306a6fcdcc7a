"""Configuration from the environment: safe defaults, production refuses to start unsafely."""

import pytest
import sqlalchemy as sa

from portal import create_app
from portal.config import from_environment
from portal.extensions import db


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_production_cookies_are_secure(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    settings = from_environment(str(tmp_path))
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["REMEMBER_COOKIE_SECURE"] is True


def test_sqlite_in_instance_folder_by_default(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert (
        from_environment(str(tmp_path))["SQLALCHEMY_DATABASE_URI"]
        == f"sqlite:///{tmp_path}/portal.db"
    )


@pytest.mark.parametrize("given", ["postgres://u@h/db", "postgresql://u@h/db"])
def test_postgres_urls_use_psycopg3(monkeypatch, tmp_path, given):
    monkeypatch.setenv("DATABASE_URL", given)
    assert (
        from_environment(str(tmp_path))["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
    )


def test_sqlite_connections_have_wal_foreign_keys_and_busy_timeout(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db"})
    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
        # Case folding of Cyrillic and Kazakh letters, which SQLite's own lower() skips.
        assert conn.execute(sa.select(sa.func.lower("ТІГІНШІ Швея"))).scalar() == "тігінші швея"


def test_curfew_travel_minutes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("CURFEW_TRAVEL_MINUTES", raising=False)
    assert from_environment(str(tmp_path))["CURFEW_TRAVEL_MINUTES"] == 60
    monkeypatch.setenv("CURFEW_TRAVEL_MINUTES", "0")
    assert from_environment(str(tmp_path))["CURFEW_TRAVEL_MINUTES"] == 0
    monkeypatch.setenv("CURFEW_TRAVEL_MINUTES", "90")
    assert from_environment(str(tmp_path))["CURFEW_TRAVEL_MINUTES"] == 90
    monkeypatch.setenv("CURFEW_TRAVEL_MINUTES", "-30")  # would shorten the shift: refused
    with pytest.raises(ValueError, match="CURFEW_TRAVEL_MINUTES"):
        from_environment(str(tmp_path))
