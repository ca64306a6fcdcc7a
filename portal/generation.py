"""The generation of the data: one counter every write transaction increments as it commits.

What is kept in a worker's memory (pages: page_cache.py; signed-in users: auth/sessions.py)
is kept under the generation it was read at, and is worth nothing once the counter has moved.
A write is seen on its way to the database (any statement that inserts, updates or deletes,
the ORM's or not) and counted when its session commits.
"""

import os
import re
import threading
import weakref

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import has_request_context, request

from portal.extensions import db

# Writes that change no page a cached view shows: who looked at what, forms kept across a
# timeout, and the counter itself.
IGNORED_TABLES = frozenset({"audit_log", "audit_shown", "kept_form", "page_generation"})
_WRITE = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?(\w+)',
    re.IGNORECASE,
)
WROTE = "portal_wrote"  # set on a connection's info by a write that counts
ENVIRON_KEY = "portal.generation"


class PageGeneration(db.Model):
    """One row: how many write transactions have committed (the key of every kept page)."""

    __tablename__ = "page_generation"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    n: so.Mapped[int] = so.mapped_column(sa.BigInteger, default=0)


_CURRENT = "SELECT n FROM page_generation WHERE id = 1"
_BUMP = sa.update(PageGeneration).where(PageGeneration.id == 1).values(n=PageGeneration.n + 1)


@sa.event.listens_for(sa.engine.Engine, "before_cursor_execute")
def _note_write(conn, _cursor, statement, _parameters, _context, _executemany):
    if WROTE in conn.info:
        return
    written = _WRITE.match(statement)
    if written and written.group(1).lower() not in IGNORED_TABLES:
        conn.info[WROTE] = True


@sa.event.listens_for(so.Session, "before_commit")
def _bump_generation(session: so.Session) -> None:
    # Last in the transaction, so the counter's row is locked only for the commit itself (a
    # writer never holds it while waiting for another row: no deadlock on PostgreSQL).
    if not session.in_transaction():
        return
    for _ in range(10):  # a flush may add rows of its own (the outboxes)
        if not (session.new or session.dirty or session.deleted):
            break
        session.flush()
    connection = session.connection()
    # A database not yet migrated this far (a migration's own data steps, their tests) has no
    # counter to move; pages are never kept there.
    if connection.info.pop(WROTE, False) and sa.inspect(connection).has_table("page_generation"):
        connection.execute(_BUMP)


@sa.event.listens_for(sa.engine.Engine, "commit")
@sa.event.listens_for(sa.engine.Engine, "rollback")
def _forget_write(conn) -> None:
    conn.info.pop(WROTE, None)


class _Reader:
    """Reads the counter on a connection of its own per engine and process, outside every
    session: one indexed SELECT in autocommit (7 µs on SQLite, measured here), where the
    request's session would check a connection out, begin and reset it (220 µs) on a page that
    needs nothing else from the database (a kept page). Each statement there sees the last
    commit, as a read committed session's next statement would."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # one connection, whichever thread of the worker asks
        # engine → (pid, connection, its closing: on forgetting it, or when the engine goes)
        self._open: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def read(self, engine: sa.Engine) -> int | None:
        with self._lock:
            for _attempt in range(2):  # a connection lost (a restarted server): a new one
                pid, connection, closing = self._open.get(engine, (None, None, None))
                if pid != os.getpid():  # none yet, or the parent's before a fork
                    if closing is not None:
                        closing.detach()  # the parent's to close, not this child's
                    pooled = engine.raw_connection()  # with the engine's settings on connect
                    pooled.detach()  # never back in the pool: this reader's own
                    connection = pooled.dbapi_connection
                    if engine.dialect.name == "postgresql":
                        connection.autocommit = True  # no transaction left open between pages
                    close = weakref.finalize(engine, _close, connection, engine.dialect)
                    self._open[engine] = (os.getpid(), connection, close)
                try:
                    cursor = connection.cursor()
                    cursor.execute(_CURRENT)
                    row = cursor.fetchone()
                    cursor.close()
                    return row[0] if row else None
                except engine.dialect.loaded_dbapi.Error:
                    self._forget(engine)
        # No counter (a database not migrated this far): nothing is kept for this request.
        return None

    def close(self, engine: sa.Engine) -> None:
        with self._lock:
            self._forget(engine)

    def _forget(self, engine: sa.Engine) -> None:
        _pid, _connection, close = self._open.pop(engine, (None, None, None))
        if close is not None:
            close()


def _close(connection, dialect) -> None:
    try:
        connection.close()
    except dialect.loaded_dbapi.Error:
        pass  # broken already: nothing left to close


_reader = _Reader()


@sa.event.listens_for(sa.engine.Engine, "engine_disposed")
def _close_reader(engine: sa.Engine) -> None:
    _reader.close(engine)


def current() -> int | None:
    """The counter; None without its row (then nothing is kept: nothing would say it is old)."""
    return _reader.read(db.engine)


def for_request() -> int | None:
    """The counter as this request first read it, before any of the data it shows (kept in the
    request's environ: one value per request, whichever application context serves it)."""
    if not has_request_context():
        return current()
    if ENVIRON_KEY not in request.environ:
        request.environ[ENVIRON_KEY] = current()
    return request.environ[ENVIRON_KEY]
