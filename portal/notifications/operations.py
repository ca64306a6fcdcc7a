"""Changes a user makes to their own notifications: marking them read, the e-mail settings.
Each runs inside write_transaction(); the pages (views.py) parse, authorise and render."""

import sqlalchemy as sa

from portal import clock
from portal.auth.models import User
from portal.database import write_transaction
from portal.extensions import db
from portal.notifications.models import Notification, NotificationSetting


def mark_read(notification: Notification) -> None:
    with write_transaction():
        if notification.read_at is None:
            notification.read_at = clock.now()


def mark_all_read(user: User) -> None:
    with write_transaction():
        db.session.execute(
            sa.update(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
            .values(read_at=clock.now())
        )


def save_settings(user: User, email_off: list[str], digest: bool) -> None:
    """The groups the user gets no e-mail for, and whether e-mail comes as a daily digest."""
    with write_transaction():
        setting = db.session.get(NotificationSetting, user.id) or NotificationSetting(
            user_id=user.id
        )
        setting.email_off, setting.digest = email_off, digest
        db.session.add(setting)
