"""Vacancies close themselves after their closing date (the last day they are open).

Called lazily before vacancy lists are shown, and by `flask employers close-expired` (cron).
"""

from datetime import date

import sqlalchemy as sa

from portal import clock
from portal.auth.models import AuditEntry
from portal.database import write_transaction
from portal.employers.models import Vacancy
from portal.extensions import db


def _expired(today: date) -> sa.ColumnElement[bool]:
    return sa.and_(Vacancy.status == "published", Vacancy.closes_on < today)


def close_expired(today: date | None = None) -> list[int]:
    """Close every published vacancy whose closing date is before `today`; returns their ids.

    A cheap read first, so that showing a list takes no write lock when nothing expired. The
    UPDATE re-checks the status, so two requests racing close each vacancy once. The audit rows
    name no user: the portal closed them, not whoever happened to open a list.
    """
    today = today or clock.today()
    if db.session.scalar(sa.select(Vacancy.id).where(_expired(today)).limit(1)) is None:
        return []
    now = clock.now()
    with write_transaction():
        rows = db.session.execute(
            sa.update(Vacancy)
            .where(_expired(today))
            .values(status="closed", closed_at=now, updated_at=now)
            .returning(Vacancy.id, Vacancy.closes_on)
        ).all()
        for vacancy_id, closes_on in rows:
            db.session.add(
                AuditEntry(
                    action="vacancy_closed",
                    object_type=Vacancy.__tablename__,
                    object_id=vacancy_id,
                    details={"reason": "expired", "closes_on": closes_on.isoformat()},
                )
            )
    return [vacancy_id for vacancy_id, _closes_on in rows]
