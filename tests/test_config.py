"""Configuration from the environment: safe defaults, production refuses to start unsafely."""

import stat

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from portal import create_app
from portal.config import from_environment
from portal.extensions import db
from portal.instance_keys import fill_keys


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def production_keys(monkeypatch, secret_key: str = "k" * 64) -> None:
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", secret_key)
    monkeypatch.setenv("TOTP_ENCRYPTION_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("DATA_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    monkeypatch.setenv("DATA_HASH_KEY", "h" * 64)


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "TOTP_ENCRYPTION_KEY", "DATA_ENCRYPTION_KEYS", "DATA_HASH_KEY"]
)
def test_production_refuses_to_start_without_any_key(monkeypatch, tmp_path, missing):
    production_keys(monkeypatch)
    monkeypatch.delenv(missing)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    with pytest.raises(RuntimeError, match=missing):
        create_app()
    assert not (tmp_path / missing.lower()).exists()


@pytest.mark.parametrize(
    "name, value",
    [
        ("DATA_ENCRYPTION_KEYS", "not-a-fernet-key"),
        ("DATA_ENCRYPTION_KEYS", " , "),
        ("DATA_HASH_KEY", "short-hash-key"),
    ],
)
def test_a_malformed_data_key_stops_the_start(monkeypatch, tmp_path, name, value):
    production_keys(monkeypatch)
    monkeypatch.setenv(name, value)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    with pytest.raises(RuntimeError, match=name) as refused:
        create_app()
    assert value not in str(refused.value)  # the message names the setting, never the key


def test_production_refuses_a_short_secret_key(monkeypatch, tmp_path):
    production_keys(monkeypatch, secret_key="dev-only-not-secret")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_development_makes_random_keys_once_in_the_instance_folder(monkeypatch, tmp_path):
    """No constant key: the first start writes a random one (owner-only), later starts reuse it,
    and another installation gets another key."""
    monkeypatch.delenv("PORTAL_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    for name in ("TOTP_ENCRYPTION_KEY", "DATA_ENCRYPTION_KEYS", "DATA_HASH_KEY"):
        monkeypatch.delenv(name, raising=False)
    first, second = tmp_path / "one", tmp_path / "two"
    names = ["data_encryption_keys", "data_hash_key", "secret_key", "totp_encryption_key"]
    keys = []
    for folder in (first, first, second):
        folder.mkdir(exist_ok=True)
        settings = {"ENV_NAME": "development", **dict.fromkeys(n.upper() for n in names)}
        fill_keys(settings, str(folder))
        keys.append(settings)
    assert keys[0] == keys[1] and keys[0]["SECRET_KEY"] != keys[2]["SECRET_KEY"]
    assert keys[0]["DATA_HASH_KEY"] != keys[2]["DATA_HASH_KEY"]
    assert len(keys[0]["SECRET_KEY"]) == 64
    Fernet(keys[0]["TOTP_ENCRYPTION_KEY"])  # a valid Fernet key
    Fernet(keys[0]["DATA_ENCRYPTION_KEYS"])
    for name in names:
        assert (first / name).read_text() == keys[0][name.upper()]
        assert stat.S_IMODE((first / name).stat().st_mode) == 0o600
    assert sorted(p.name for p in first.iterdir()) == names


def test_a_cookie_signed_with_the_old_development_key_opens_nothing(app, make_user, monkeypatch):
    """A development app (no SECRET_KEY set) signs with its own random key: the constant key it
    used to have no longer forges an administrator's session."""
    from flask.sessions import SecureCookieSessionInterface

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("PORTAL_ENV", raising=False)
    admin = make_user("admin")
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    development, forger = create_app(config), create_app(config)
    forger.secret_key = "dev-only-not-secret"
    serializer = SecureCookieSessionInterface().get_signing_serializer(forger)
    client = development.test_client()
    client.set_cookie("session", serializer.dumps({"_user_id": admin.get_id(), "_fresh": True}))
    assert client.get("/admin/users").status_code == 302
    for each in (development, forger):
        with each.app_context():
            db.engine.dispose()


def test_production_cookies_are_secure(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("TOTP_ENCRYPTION_KEY", Fernet.generate_key().decode())
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
