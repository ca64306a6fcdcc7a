"""Notifications (what a user is told in the portal), the e-mail outbox the worker sends from,
and each user's choice of what comes by e-mail."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from portal import clock
from portal.extensions import db
from portal.models_base import UTCDateTime, one_of

MAIL_STATES = ("pending", "sent")


class Notification(db.Model):
    """One thing a user is told. Written in the transaction of the event it tells of."""

    __tablename__ = "notification"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user_account.id"))
    kind: so.Mapped[str] = so.mapped_column(sa.String(40))
    # What it links to: "placement", "employer" or "vacancy", and its id.
    object_type: so.Mapped[str] = so.mapped_column(sa.String(30))
    object_id: so.Mapped[int]
    # The values its text is filled with (vacancy titles, a candidate's code, a reason code):
    # never an offence or any other fact the recipient may not see.
    params: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=clock.now)
    read_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    # Periodic tasks tell each thing once: a reminder's key, unique per user.
    dedupe: so.Mapped[str | None] = so.mapped_column(sa.String(80))
    # Waiting for the recipient's daily digest e-mail.
    digest_pending: so.Mapped[bool] = so.mapped_column(default=False)

    __table_args__ = (
        sa.UniqueConstraint("user_id", "dedupe"),
        sa.Index("ix_notification_user_unread", "user_id", "read_at"),
        sa.Index(
            "ix_notification_digest",
            "user_id",
            postgresql_where=sa.text("digest_pending"),
            sqlite_where=sa.text("digest_pending"),
        ),
    )


class MailOutbox(db.Model):
    """An e-mail to send: rendered (in the recipient's language) when the event happened,
    sent by the worker; a failed send stays pending with a later `next_attempt_at`."""

    __tablename__ = "mail_outbox"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id"))
    to_address: so.Mapped[str] = so.mapped_column(sa.String(254))
    subject: so.Mapped[str] = so.mapped_column(sa.String(200))
    body: so.Mapped[str] = so.mapped_column(sa.Text)
    state: so.Mapped[str] = so.mapped_column(sa.String(10), default="pending")
    attempts: so.Mapped[int] = so.mapped_column(default=0)
    next_attempt_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=clock.now)
    last_error: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=clock.now)
    sent_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    __table_args__ = (
        one_of("state", MAIL_STATES),
        sa.Index("ix_mail_outbox_due", "state", "next_attempt_at"),
    )


class NotificationSetting(db.Model):
    """A user's e-mail choices; no row means every kind by e-mail, one at a time."""

    __tablename__ = "notification_setting"
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user_account.id"), primary_key=True)
    digest: so.Mapped[bool] = so.mapped_column(default=False)
    email_off: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)  # kinds not e-mailed
