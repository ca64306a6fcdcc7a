"""The worker sends the outbox through a real SMTP server (aiosmtpd, on a free local port); a
send that fails stays in the outbox and is retried after its back-off."""

import socket
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask import current_app

from portal import clock, tasks
from portal.extensions import db
from portal.notifications.mail import backoff, deliver_due
from portal.notifications.models import MailOutbox
from portal.notifications.notify import notify
from portal.queue import huey
from tests.helpers import translated


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """Keeps what arrives; refuses the next `refuse` messages with a temporary error."""

    def __init__(self):
        self.messages = []
        self.refuse = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            self.refuse -= 1
            return "451 Try again later"
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp(app, monkeypatch):
    """A real SMTP server on a free port, with the app's mail settings pointing at it."""
    port = free_port()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    for setting, value in {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port}.items():
        monkeypatch.setitem(current_app.config, setting, value)
    controller.start()
    inbox.controller = controller
    yield inbox
    controller.stop()


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def outbox() -> list[MailOutbox]:
    return list(db.session.scalars(sa.select(MailOutbox).order_by(MailOutbox.id)))


def test_the_worker_sends_each_notification_by_smtp(app, smtp, make_user, make_employer):
    employer = make_employer()
    user = make_user("employer", employer_id=employer.id, locale="ru")
    notify([user], "employer_approved", "employer", employer.id)
    db.session.commit()
    assert smtp.messages == []  # nothing is sent until the worker runs
    assert deliver_due() == {"sent": 1, "failed": 0}
    ((recipients, message),) = smtp.messages
    assert recipients == [user.email]
    assert message["From"] == current_app.config["MAIL_FROM"]
    assert subject(message) == translated(app, "Work after prison", "ru") + ": " + translated(
        app, "Your organisation's registration has been decided", "ru"
    )
    body = message.get_payload(decode=True).decode()
    assert f"http://127.0.0.1:5000/employers/{employer.id}" in body
    (row,) = outbox()
    assert row.state == "sent" and row.sent_at is not None
    assert deliver_due() == {"sent": 0, "failed": 0}  # sent once


def test_a_failed_send_is_retried_after_its_backoff(smtp, make_user, frozen_clock):
    user = make_user("admin")
    db.session.add(MailOutbox(user_id=user.id, to_address=user.email, subject="s", body="b"))
    db.session.commit()
    smtp.refuse = 1
    assert deliver_due() == {"sent": 0, "failed": 1}
    (row,) = outbox()
    assert (row.state, row.attempts) == ("pending", 1) and "451" in row.last_error
    assert deliver_due() == {"sent": 0, "failed": 0}  # not due again yet
    frozen_clock.move_to(clock.now() + backoff(1) + timedelta(seconds=1))
    assert deliver_due() == {"sent": 1, "failed": 0}
    assert len(smtp.messages) == 1
    db.session.refresh(row)
    assert (row.state, row.attempts, row.last_error) == ("sent", 1, "")


def test_an_unreachable_server_keeps_every_row(smtp, make_user, frozen_clock, monkeypatch):
    user = make_user("admin")
    db.session.add_all(
        [
            MailOutbox(user_id=user.id, to_address=user.email, subject="s", body=str(n))
            for n in (1, 2)
        ]
    )
    db.session.commit()
    monkeypatch.setitem(current_app.config, "MAIL_PORT", free_port())  # nobody listens there
    assert deliver_due() == {"sent": 0, "failed": 2}
    assert deliver_due() == {"sent": 0, "failed": 0}
    frozen_clock.move_to(clock.now() + backoff(1) + timedelta(seconds=1))
    assert deliver_due() == {"sent": 0, "failed": 2}
    assert [row.attempts for row in outbox()] == [2, 2]
    assert backoff(2) > backoff(1)
    monkeypatch.setitem(current_app.config, "MAIL_PORT", smtp.controller.port)
    frozen_clock.move_to(clock.now() + backoff(2) + timedelta(seconds=1))
    assert deliver_due() == {"sent": 2, "failed": 0}
    assert [m.get_payload().strip() for _to, m in smtp.messages] == ["1", "2"]


def test_the_periodic_task_sends_the_outbox_in_immediate_mode(smtp, make_user, monkeypatch):
    monkeypatch.setattr(huey, "immediate", True)
    user = make_user("admin")
    db.session.add(MailOutbox(user_id=user.id, to_address=user.email, subject="s", body="b"))
    db.session.commit()
    tasks.send_mail()  # periodic tasks keep no result: what arrived tells
    assert len(smtp.messages) == 1
    assert outbox()[0].state == "sent"


def test_without_a_mail_server_the_outbox_keeps_its_rows(app, make_user, monkeypatch):
    monkeypatch.setitem(current_app.config, "MAIL_SERVER", "")
    user = make_user("admin")
    db.session.add(MailOutbox(user_id=user.id, to_address=user.email, subject="s", body="b"))
    db.session.commit()
    assert deliver_due() == {"sent": 0, "failed": 0}
    assert outbox()[0].state == "pending"
