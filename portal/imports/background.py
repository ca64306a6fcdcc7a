"""What the background worker does with an import job (portal/tasks.py runs these): check
every row, or check them again and import. Each runs only from the state its request left
the job in, so a task delivered twice does nothing the second time.

The check commits its progress every CHUNK rows, and stops at the next chunk when the job was
cancelled. The import writes every record in one transaction, which no other connection sees
until it ends (on SQLite no other connection may even write): its progress goes to the
queue's own store instead (`huey.put`), which the progress page reads.
"""

import json
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale

from portal import clock
from portal.auth.audit import record
from portal.auth.models import User
from portal.database import lock, write_transaction
from portal.extensions import db
from portal.imports.checking import Checker, Row
from portal.imports.forms import ALL_OR_NONE
from portal.imports.importing import import_rows
from portal.imports.models import (
    CHECKED,
    CHECKING,
    ENDED,
    EXPIRED,
    FAILED,
    IMPORTED,
    IMPORTING,
    KEPT_FOR,
    WAITING_CHECK,
    WAITING_IMPORT,
    ImportJob,
    ImportRow,
)
from portal.queue import huey

CHUNK = 250  # rows checked between two commits of the progress


def writing_progress(job_id: int) -> tuple[int, int, datetime] | None:
    """(records written, of how many, when) while the import's transaction runs; None
    before it."""
    return huey.get(f"import-job-{job_id}", peek=True)


def _report_writing(job_id: int, done: int, total: int) -> None:
    huey.put(f"import-job-{job_id}", (done, total, clock.now()))


def end(job: ImportJob, state: str) -> None:
    """The job ends in `state` and its rows are deleted (in the caller's transaction)."""
    db.session.execute(sa.delete(ImportRow).where(ImportRow.job_id == job.id))
    job.state, job.finished_at = state, clock.now()
    job.updated_at = job.finished_at


def _claim(job_id: int, waiting: str, running: str) -> ImportJob | None:
    with write_transaction():
        job = db.session.scalar(lock(ImportJob, ImportJob.id == job_id))
        if job is None or job.state != waiting:
            return None
        job.state, job.rows_done, job.refused = running, 0, False
        job.started_at = job.updated_at = clock.now()
    return job


def _check_all(job_id: int, user: User, running: str) -> list[Row] | None:
    """Check every row of the job, saving each row's problems and the progress every CHUNK
    rows; None when the job left `running` meanwhile (cancelled)."""
    checker, rows, last = Checker(user), [], 0
    while True:
        batch = db.session.execute(
            sa.select(ImportRow.id, ImportRow.number, ImportRow.raw, ImportRow.bad)
            .where(ImportRow.job_id == job_id, ImportRow.number > last)
            .order_by(ImportRow.number)
            .limit(CHUNK)
        ).all()
        checked = [checker.check(stored.number, json.loads(stored.raw)) for stored in batch]
        changed = [  # a good row that was good stays as it is
            {
                "id": stored.id,
                "bad": bool(row.problems),
                "problems": json.dumps(row.problems, ensure_ascii=False) if row.problems else None,
            }
            for stored, row in zip(batch, checked, strict=True)
            if row.problems or stored.bad
        ]
        with write_transaction():
            job = db.session.scalar(lock(ImportJob, ImportJob.id == job_id))
            if job is None or job.state != running:
                return None
            if changed:
                db.session.execute(sa.update(ImportRow), changed)
            rows += checked
            job.rows_done = len(rows)
            job.rows_bad = sum(1 for row in rows if row.problems)
            job.updated_at = clock.now()
            if len(batch) < CHUNK:
                if running == CHECKING:
                    job.state = CHECKED
                return rows
        last = batch[-1].number


def _failed(job_id: int) -> None:
    current_app.logger.exception("import job %s failed", job_id)
    db.session.rollback()
    with write_transaction():
        job = db.session.scalar(lock(ImportJob, ImportJob.id == job_id))
        if job is not None and job.state not in ENDED:
            job.state, job.updated_at = FAILED, clock.now()


def _user(job: ImportJob) -> User:
    return db.session.get(User, job.user_id)


def _language(user: User) -> str:
    return user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]


def check(job_id: int) -> None:
    job = _claim(job_id, WAITING_CHECK, CHECKING)
    if job is None:
        return
    user = _user(job)
    try:
        with force_locale(_language(user)):  # the problems are written in the user's language
            _check_all(job_id, user, CHECKING)
    except Exception:
        _failed(job_id)


def import_(job_id: int) -> None:
    """Check every row again (records may have been added since the preview), then write the
    valid ones in one transaction, or none when the user chose all or nothing and a row has a
    problem; the rows are deleted in the transaction that writes the records."""
    job = _claim(job_id, WAITING_IMPORT, IMPORTING)
    if job is None:
        return
    user = _user(job)
    try:
        with force_locale(_language(user)):
            rows = _check_all(job_id, user, IMPORTING)
        if rows is None:
            return
        bad = sum(1 for row in rows if row.problems)
        with write_transaction():
            job = db.session.scalar(lock(ImportJob, ImportJob.id == job_id))
            if job.state != IMPORTING:
                return
            if bad and job.mode == ALL_OR_NONE:
                job.state, job.refused, job.updated_at = CHECKED, True, clock.now()
                record(
                    "candidates_import_refused",
                    job,
                    user=user,
                    file_rows=len(rows),
                    rows_with_problems=bad,
                )
                return
            good = [row for row in rows if not row.problems]
            _report_writing(job_id, 0, len(good))
            created = import_rows(
                user, job, good, lambda done: _report_writing(job_id, done, len(good))
            )
            job.imported, job.rows_done = len(created), len(rows)
            end(job, IMPORTED)
    except Exception:
        _failed(job_id)
    finally:
        huey.delete(f"import-job-{job_id}")


def expire_left(now=None) -> int:
    """Delete the rows of the jobs nobody has touched for KEPT_FOR (never imported nor
    cancelled); returns how many jobs. The daily retention task runs it."""
    now = now or clock.now()
    expired = 0
    with write_transaction():
        jobs = db.session.scalars(
            lock(ImportJob, ImportJob.state.not_in(ENDED), ImportJob.updated_at < now - KEPT_FOR)
        ).all()
        for job in jobs:
            end(job, EXPIRED)
            record("candidates_import_expired", job, user=None, file_rows=job.total_rows)
            expired += 1
    return expired
