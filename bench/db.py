"""Throw-away databases for benchmarks: a temporary SQLite file, or a new PostgreSQL database."""

import os
import secrets
import tempfile
import uuid
from contextlib import contextmanager

import psycopg
from sqlalchemy.engine import make_url

from portal import create_app
from portal.extensions import db

POSTGRES_URL = os.environ.get(
    "PORTAL_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@contextmanager
def bench_app(backend: str, keep: str | None = None):
    """An app on an empty, migrated database with the reference data loaded; dropped after.
    With `keep`, the database of that name (SQLite: a file of that name in the temporary folder)
    is used — created when missing, migrated — and kept after, so a benchmark's data can be
    generated once and profiled many times."""
    from flask_migrate import upgrade

    from portal.reference.loader import load_reference_data

    if backend == "sqlite":
        folder = tempfile.gettempdir() if keep else tempfile.mkdtemp(prefix="portal-bench-")
        url, drop = f"sqlite:///{folder}/{keep or 'bench'}.db", None
    else:
        admin = make_url(POSTGRES_URL).set(drivername="postgresql").render_as_string(False)
        name = keep or f"portal_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(admin, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
        url = make_url(POSTGRES_URL).set(database=name).render_as_string(False)

        def drop():
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(32), "TESTING": True}
    )
    try:
        with app.app_context():
            upgrade()
            load_reference_data()
            db.session.commit()
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        if drop and not keep:
            drop()
