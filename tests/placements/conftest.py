"""A sewing shop in Astana with a one-place vacancy, its employer user, an inspector of Astana,
and helpers to read what the pages changed."""

from dataclasses import dataclass
from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from markupsafe import escape

from portal.auth.models import INSPECTOR, AuditEntry, User
from portal.employers.models import Employer, Vacancy
from portal.extensions import db
from portal.models_base import local_today
from portal.placements import lifecycle
from portal.placements.models import Placement, PlacementEvent, Quota, RetentionCheck
from tests.conftest import login

HX = {"HX-Request": "true"}


@dataclass
class Shop:
    employer: Employer
    employer_user: User
    inspector: User
    vacancy: Vacancy

    def propose(self, candidate, vacancy=None) -> Placement:
        return lifecycle.propose(
            candidate.id, (vacancy or self.vacancy).id, self.inspector, local_today()
        )

    def interview(self, candidate, vacancy=None) -> Placement:
        p = self.propose(candidate, vacancy)
        return lifecycle.accept_for_interview(p.id, p.version, self.employer_user, local_today())

    def hire(self, candidate, start: date | None = None, vacancy=None) -> Placement:
        p = self.interview(candidate, vacancy)
        return lifecycle.hire(
            p.id, p.version, self.employer_user, start=start or local_today(), on=local_today()
        )


@pytest.fixture
def shop(make_employer, make_user, make_vacancy) -> Shop:
    employer = make_employer(
        name_kk="«Тігін» ЖШС", name_ru="ТОО «Тигин»", headcount=200, workshop_capacity=120
    )
    return Shop(
        employer=employer,
        employer_user=make_user("employer", employer_id=employer.id),
        inspector=make_user(INSPECTOR),
        vacancy=make_vacancy(employer, places=1, title_ru="Швея", title_kk="Тігінші"),
    )


def client_for(app, user):
    client = app.test_client()
    login(client, user)
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
            AuditEntry.action.not_in(("login", "logout", "placement_viewed"))
        )
    )
    return (states, count(PlacementEvent), count(RetentionCheck), count(Quota), changes)


def in_language(app, lang: str, make) -> str:
    """What `make()` says to a user of that language (whatever the catalogue holds today), as
    it appears in a page's HTML."""
    with app.test_request_context(headers={"Accept-Language": lang}), force_locale(lang):
        return str(escape(str(make())))
