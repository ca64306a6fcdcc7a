"""Helpers for the placement tests: a signed-in client, and what the pages changed."""

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import force_locale
from markupsafe import escape

from portal.auth.models import AuditEntry
from portal.extensions import db
from portal.placements.models import Placement, PlacementEvent, Quota, RetentionCheck
from tests.helpers import TEST_TODAY, sign_in

HX = {"HX-Request": "true"}
# What the invitation form asks: an interview the day after tomorrow, 10:00, at the workshop.
BOOKING = {
    "day": (TEST_TODAY + timedelta(days=2)).isoformat(),
    "at": "10:00",
    "place": "Цех №2",
}


def client_for(app, user):
    client = app.test_client()
    sign_in(client, user)
    return client


def fresh(placement_id: int) -> Placement:
    db.session.expire_all()
    return db.session.get(Placement, placement_id)


def history(placement_id: int) -> list[tuple]:
    db.session.expire_all()
    return db.session.execute(
        sa.select(PlacementEvent.from_state, PlacementEvent.to_state)
        .where(PlacementEvent.placement_id == placement_id)
        .order_by(PlacementEvent.id)
    ).all()


def snapshot() -> tuple:
    """Everything a refused step must leave as it was."""
    db.session.expire_all()
    count = lambda model: db.session.scalar(sa.select(sa.func.count()).select_from(model))  # noqa: E731
    states = tuple(
        db.session.execute(
            sa.select(Placement.id, Placement.state, Placement.version).order_by(Placement.id)
        )
    )
    changes = db.session.scalar(
        sa.select(sa.func.count()).where(  # sign-ins and reads aside
            AuditEntry.action.not_in(
                ("login", "logout", "placement_viewed", "placements_listed", "proposals_listed")
            )
        )
    )
    return (states, count(PlacementEvent), count(RetentionCheck), count(Quota), changes)


def in_language(app, lang: str, make) -> str:
    """What `make()` says to a user of that language (whatever the catalogue holds today), as
    it appears in a page's HTML."""
    with app.test_request_context(headers={"Accept-Language": lang}), force_locale(lang):
        return str(escape(str(make())))
