"""Sending the e-mail outbox through SMTP (the worker's job, never a request's).

Each round claims the due rows by moving their next attempt a lease ahead (a short write, so
nothing waits on SMTP while holding the database), sends them over one connection, then marks
each sent, or records the error and backs off: 1, 2, 4 … minutes, at most MAIL_MAX_BACKOFF_MINUTES.
A row is never dropped; one whose worker died mid-send is retried when its lease runs out.
"""

import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

import sqlalchemy as sa
from flask import current_app

from portal import clock
from portal.database import write_transaction
from portal.extensions import db
from portal.notifications.models import MailOutbox

LEASE = timedelta(minutes=10)
BATCH = 50


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed send."""
    cap = current_app.config["MAIL_MAX_BACKOFF_MINUTES"]
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), cap))


def _claim() -> list[MailOutbox]:
    now = clock.now()
    with write_transaction():
        rows = list(
            db.session.scalars(
                sa.select(MailOutbox)
                .where(MailOutbox.state == "pending", MailOutbox.next_attempt_at <= now)
                .order_by(MailOutbox.id)
                .limit(BATCH)
                .with_for_update(skip_locked=True)
            )
        )
        for row in rows:
            row.next_attempt_at = now + LEASE
    return rows


def _message(row: MailOutbox) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Message-ID"] = make_msgid(idstring=f"outbox{row.id}")
    message.set_content(row.body)
    return message


def _connect() -> smtplib.SMTP:
    config = current_app.config
    kind = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    server = kind(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"])
    if config["MAIL_USE_TLS"]:
        server.starttls()
    if config["MAIL_USERNAME"]:
        server.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    return server


def _failed(row: MailOutbox, error: Exception) -> None:
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:1000]
    row.next_attempt_at = clock.now() + backoff(row.attempts)


def deliver_due() -> dict[str, int]:
    """Send what is due; returns {"sent": n, "failed": m}. Without MAIL_SERVER nothing is
    sent and the outbox keeps every row."""
    if not current_app.config["MAIL_SERVER"]:
        return {"sent": 0, "failed": 0}
    rows = _claim()
    if not rows:
        return {"sent": 0, "failed": 0}
    outcome = {}
    try:
        server = _connect()
    except (OSError, smtplib.SMTPException) as error:
        outcome = dict.fromkeys((row.id for row in rows), error)
    else:
        with server:
            for row in rows:
                try:
                    server.send_message(_message(row))
                    outcome[row.id] = None
                except (OSError, smtplib.SMTPException) as error:
                    outcome[row.id] = error
    with write_transaction():
        for row in db.session.scalars(sa.select(MailOutbox).where(MailOutbox.id.in_(outcome))):
            error = outcome[row.id]
            if error is None:
                row.state, row.sent_at, row.last_error = "sent", clock.now(), ""
            else:
                _failed(row, error)
    failed = sum(1 for error in outcome.values() if error is not None)
    return {"sent": len(outcome) - failed, "failed": failed}
