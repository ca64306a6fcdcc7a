"""The import job's changes a request makes: start it with the rows read, send it to be
checked again or imported (with the fixes typed on the preview), cancel it. Each is one
transaction with its audit entry; the background work is enqueued after the commit, so the
worker always finds what the request wrote."""

import json

import sqlalchemy as sa

from portal import clock, tasks
from portal.auth.audit import record
from portal.auth.models import User
from portal.database import lock, write_transaction
from portal.extensions import db
from portal.imports.background import end
from portal.imports.fixes import apply_fixes
from portal.imports.forms import ALL_OR_NONE
from portal.imports.models import (
    CANCELLED,
    CHECKED,
    ENDED,
    FAILED,
    IMPORTING,
    WAITING_CHECK,
    WAITING_IMPORT,
    ImportJob,
    ImportRow,
)


class NotNow(Exception):
    """The job is not in a state that allows this (already imported, being imported)."""


def start(user: User, raw_rows: list[dict]) -> ImportJob:
    """A job holding the rows read (each encrypted), sent to be checked."""
    with write_transaction():
        job = ImportJob(user_id=user.id, state=WAITING_CHECK, total_rows=len(raw_rows))
        db.session.add(job)
        db.session.flush()
        if raw_rows:
            db.session.execute(
                sa.insert(ImportRow),
                [
                    {"job_id": job.id, "number": number, "raw": json.dumps(raw, ensure_ascii=False)}
                    for number, raw in enumerate(raw_rows, start=2)  # the header is row 1
                ],
            )
        record("candidates_import_started", job, user=user, file_rows=len(raw_rows))
    tasks.check_import(job.id)
    return job


def _locked(job: ImportJob, *states: str) -> ImportJob:
    job = db.session.scalar(lock(ImportJob, ImportJob.id == job.id))
    if job.state not in states:
        raise NotNow
    return job


def check_again(job: ImportJob, sent) -> int:
    """Save the fixes `sent` and send every row to be checked again; the rows changed."""
    with write_transaction():
        job = _locked(job, CHECKED, FAILED)
        fixed = apply_fixes(job, sent)
        job.state, job.refused, job.rows_done = WAITING_CHECK, False, 0
        job.updated_at = clock.now()
    tasks.check_import(job.id)
    return fixed


def send_to_import(user: User, job: ImportJob, sent, mode: str) -> bool:
    """Save the fixes `sent` and send the rows to be imported in `mode`; False (nothing sent,
    the refusal audited) when all or nothing was chosen, rows have problems and no fix was
    typed that could change that."""
    with write_transaction():
        job = _locked(job, CHECKED)
        fixed = apply_fixes(job, sent)
        if mode == ALL_OR_NONE and job.rows_bad and not fixed:
            job.refused, job.updated_at = True, clock.now()
            record(
                "candidates_import_refused",
                job,
                user=user,
                file_rows=job.total_rows,
                rows_with_problems=job.rows_bad,
            )
            return False
        job.state, job.mode, job.refused, job.rows_done = WAITING_IMPORT, mode, False, 0
        job.updated_at = clock.now()
    tasks.run_import(job.id)
    return True


def cancel(user: User, job: ImportJob) -> None:
    """Stop the job and delete its rows; the import's own transaction cannot be stopped."""
    with write_transaction():
        job = db.session.scalar(lock(ImportJob, ImportJob.id == job.id))
        if job.state in ENDED:
            return
        if job.state == IMPORTING:
            raise NotNow
        end(job, CANCELLED)
        record("candidates_import_cancelled", job, user=user, file_rows=job.total_rows)
