"""Every change to what the search indexes writes an outbox row, in the same transaction.

One place, so no view has to remember it: after each flush, the vacancies, candidates and
employers that were added, deleted or changed in an indexed column (schema.Kind.indexed_columns)
get a row — and so do the documents that show their names: an employer's vacancies when the
employer is renamed, the vacancies and candidates of an occupation whose label changes, the
vacancies of a renamed district or region. Bulk
ORM UPDATE/DELETE statements on those models are followed too. Rows are written with the
flush's connection, so a rollback takes them away with the change.

After the commit, the process tries to apply them at once (`SearchStore.sync` with a lock
timeout of SEARCH_LOCK_TIMEOUT, normally zero): a request never waits for the index. Its own
documents are written first, whatever backlog other processes left, so a user finds their
change in their next search. Rows left pending are applied by the next commit, the next search
on any node, or `flask search sync`.
"""

import logging

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app, has_app_context
from flask_sqlalchemy.session import Session

from portal import clock
from portal.candidates.models import candidate_occupation
from portal.employers.models import Employer, Vacancy
from portal.reference.models import District, Occupation, Region
from portal.search import schema
from portal.search.models import SearchOutbox

log = logging.getLogger(__name__)
WRITTEN = "search_outbox_written"
KIND_OF = {kind.model: name for name, kind in schema.KINDS.items()}


def _changed(obj, columns) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in columns)


def _dependents(session, obj) -> list[sa.Select]:
    """Selects of (kind, id) whose documents show this object's words."""
    if isinstance(obj, Employer) and _changed(obj, ("name_kk", "name_ru")):
        return [sa.select(sa.literal("vacancy"), Vacancy.id).where(Vacancy.employer_id == obj.id)]
    if isinstance(obj, Occupation) and _changed(obj, ("name_kk", "name_ru", "code")):
        return [
            sa.select(sa.literal("vacancy"), Vacancy.id).where(Vacancy.occupation_id == obj.id),
            sa.select(sa.literal("candidate"), candidate_occupation.c.candidate_id).where(
                candidate_occupation.c.occupation_id == obj.id
            ),
        ]
    if isinstance(obj, District) and _changed(obj, ("name_kk", "name_ru", "region_id")):
        return [sa.select(sa.literal("vacancy"), Vacancy.id).where(Vacancy.district_id == obj.id)]
    if isinstance(obj, Region) and _changed(obj, ("name_kk", "name_ru")):
        return [
            sa.select(sa.literal("vacancy"), Vacancy.id)
            .join(District)
            .where(District.region_id == obj.id)
        ]
    return []


def _write(session, rows: list[tuple[str, int, str]], selects: list[sa.Select]) -> None:
    if not rows and not selects:
        return
    now = clock.now()
    connection = session.connection()
    table = SearchOutbox.__table__
    written = session.info.setdefault(WRITTEN, set())
    if rows:
        unique = list(dict.fromkeys(rows))
        connection.execute(
            table.insert(),
            [
                {"kind": kind, "object_id": object_id, "op": op, "created_at": now}
                for kind, object_id, op in unique
            ],
        )
        written.update((kind, object_id) for kind, object_id, _op in unique)
    for select in selects:
        found = connection.execute(select).all()
        if found:
            connection.execute(
                table.insert(),
                [
                    {"kind": kind, "object_id": object_id, "op": "upsert", "created_at": now}
                    for kind, object_id in found
                ],
            )
            written.update((kind, object_id) for kind, object_id in found)


def _after_flush(session, _flush_context) -> None:
    rows, selects = [], []
    for obj in session.new:
        if type(obj) in KIND_OF:
            rows.append((KIND_OF[type(obj)], obj.id, "upsert"))
    for obj in session.dirty:
        kind = KIND_OF.get(type(obj))
        if kind and _changed(obj, schema.KINDS[kind].indexed_columns):
            rows.append((kind, obj.id, "upsert"))
        selects.extend(_dependents(session, obj))
    for obj in session.deleted:
        if type(obj) in KIND_OF:
            rows.append((KIND_OF[type(obj)], obj.id, "delete"))
    _write(session, rows, selects)


def _bulk_statement(state: so.ORMExecuteState) -> None:
    """ORM `update(Vacancy)…` / `delete(Candidate)…`: queue the rows the WHERE clause picks."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return
    model = state.bind_mapper.class_
    if model not in KIND_OF:
        return
    where = state.statement.whereclause
    ids = (
        state.session.execute(
            sa.select(model.id).where(where) if where is not None else sa.select(model.id)
        )
        .scalars()
        .all()
    )
    op = "delete" if state.is_delete else "upsert"
    _write(state.session, [(KIND_OF[model], object_id, op) for object_id in ids], [])


def _after_commit(session) -> None:
    written = session.info.pop(WRITTEN, None)
    if not written or not has_app_context():
        return
    app = current_app._get_current_object()
    if not app.config["SEARCH_SYNC_AFTER_COMMIT"]:
        return
    from portal.search.index import store

    try:
        store().sync(
            lock_timeout=app.config["SEARCH_LOCK_TIMEOUT"],
            budget=app.config["SEARCH_SYNC_BUDGET"],
            first=written,
        )
    except Exception:  # noqa: BLE001 - logged; must not undo a commit that has happened
        # The change is committed and its rows wait in the outbox: the next sync applies them.
        # Raising here would tell the user their saved change failed (and leave the session
        # unusable inside after_commit).
        log.exception("search sync after commit failed; outbox rows left pending")


def _after_rollback(session) -> None:
    session.info.pop(WRITTEN, None)  # the rows went with the transaction


def register() -> None:
    """Listen on every Flask-SQLAlchemy session (once per process)."""
    for name, listener in (
        ("after_flush", _after_flush),
        ("do_orm_execute", _bulk_statement),
        ("after_commit", _after_commit),
        ("after_rollback", _after_rollback),
    ):
        if not sa.event.contains(Session, name, listener):
            sa.event.listen(Session, name, listener)
