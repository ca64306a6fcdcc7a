"""The daily digest: one e-mail per user who chose it, for the notifications waiting for it."""

import sqlalchemy as sa

from portal.auth.models import User
from portal.database import write_transaction
from portal.extensions import db
from portal.notifications.models import Notification
from portal.notifications.notify import digest_mail


def send_digests() -> int:
    """Put each waiting digest in the outbox; returns how many."""
    with write_transaction():
        waiting = db.session.scalars(
            sa.select(Notification)
            .where(Notification.digest_pending.is_(True))
            .order_by(Notification.user_id, Notification.id)
        ).all()
        by_user: dict[int, list[Notification]] = {}
        for notification in waiting:
            by_user.setdefault(notification.user_id, []).append(notification)
            notification.digest_pending = False
        users = db.session.scalars(sa.select(User).where(User.id.in_(by_user))).all()
        for user in users:
            if user.active:
                db.session.add(digest_mail(user, by_user[user.id]))
    return len(by_user)
