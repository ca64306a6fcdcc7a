"""An import job: one uploaded file's rows, checked and imported by the background worker.

The rows are kept only while the job needs them (until it is imported, cancelled or left for
KEPT_FOR), each encrypted at rest: they hold names, IINs and offences. The job row itself
keeps only counts and times, and stays as the history of what was imported.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from portal import clock
from portal.data_crypto import EncryptedText
from portal.extensions import db
from portal.models_base import UTCDateTime

# The states a job goes through. WAITING_*: enqueued, the worker has not started it yet.
WAITING_CHECK, CHECKING, CHECKED = "waiting_check", "checking", "checked"
WAITING_IMPORT, IMPORTING, IMPORTED = "waiting_import", "importing", "imported"
CANCELLED, EXPIRED, FAILED = "cancelled", "expired", "failed"
RUNNING = (WAITING_CHECK, CHECKING, WAITING_IMPORT, IMPORTING)
ENDED = (IMPORTED, CANCELLED, EXPIRED)  # the rows are gone
STATES = (*RUNNING, CHECKED, *ENDED, FAILED)
KEPT_FOR = timedelta(days=1)  # rows untouched this long are deleted (the daily retention task)


class ImportJob(db.Model):
    __tablename__ = "import_job"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user_account.id"), index=True)
    state: so.Mapped[str] = so.mapped_column(sa.String(20))
    mode: so.Mapped[str | None] = so.mapped_column(sa.String(10))  # forms.VALID_ROWS, ALL_OR_NONE
    total_rows: so.Mapped[int] = so.mapped_column(default=0)
    rows_done: so.Mapped[int] = so.mapped_column(default=0)  # of the running step
    rows_bad: so.Mapped[int] = so.mapped_column(default=0)
    imported: so.Mapped[int | None] = so.mapped_column()
    refused: so.Mapped[bool] = so.mapped_column(default=False)  # all or nothing, rows bad
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=clock.now)
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=clock.now)
    started_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)  # the running step's
    finished_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    __table_args__ = (sa.CheckConstraint(sa.column("state").in_(STATES), name="state"),)


class ImportRow(db.Model):
    """One row of the file as read (JSON {column: text}) and its problems as last checked
    (JSON [[column, message]], in the user's language), both encrypted."""

    __tablename__ = "import_row"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    job_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("import_job.id", ondelete="CASCADE"))
    number: so.Mapped[int] = so.mapped_column()  # the row of the file (the header is row 1)
    raw: so.Mapped[str] = so.mapped_column(EncryptedText)
    problems: so.Mapped[str | None] = so.mapped_column(EncryptedText)
    bad: so.Mapped[bool] = so.mapped_column(default=False)

    __table_args__ = (
        sa.UniqueConstraint("job_id", "number"),
        sa.Index("ix_import_row_job_id_bad_number", "job_id", "bad", "number"),
    )
