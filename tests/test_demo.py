"""`flask demo load`: realistic bilingual data, and loading twice changes nothing."""

import sqlalchemy as sa

from portal import clock
from portal.auth.models import ROLES, User
from portal.candidates.models import CANDIDATE_STATUSES, Candidate, Offence, Supervision
from portal.demo_data import DEMO_PASSWORD
from portal.employers.models import Employer, Vacancy
from portal.extensions import db
from portal.placements.models import Placement, PlacementEvent
from portal.productions import figures as production_figures
from portal.productions.models import Production
from portal.reference.identifiers import is_valid_bin, is_valid_number

COUNTED = (
    User,
    Employer,
    Vacancy,
    Candidate,
    Offence,
    Supervision,
    Placement,
    PlacementEvent,
    Production,
)


def counts() -> dict[str, int]:
    return {
        m.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in COUNTED
    }


def test_demo_load_is_idempotent(runner):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    after_first = counts()
    assert all(after_first.values()), after_first
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0
    assert counts() == after_first


def test_if_empty_skips_a_database_with_users(runner, make_user):
    make_user("admin")
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert "not loaded" in result.output
    assert counts()["Employer"] == 0 and counts()["User"] == 1


def test_demo_data_covers_what_people_will_try(runner, client):
    runner.invoke(args=["demo", "load"])
    roles = set(db.session.scalars(sa.select(User.role)))
    assert roles == set(ROLES)
    statuses = set(db.session.scalars(sa.select(Candidate.status)))
    assert statuses == set(CANDIDATE_STATUSES)
    categories = set(db.session.scalars(sa.select(Offence.category_code)))
    assert "sexual_minors" in categories
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Supervision)) >= 2
    # A record whose offence section is not filled in yet exists (the rules fail closed on it).
    assert db.session.scalar(
        sa.select(sa.func.count()).where(Candidate.offences_recorded.is_(False))
    )
    assert all(is_valid_number(iin) for iin in db.session.scalars(sa.select(Candidate.iin)))
    assert all(is_valid_bin(b) for b in db.session.scalars(sa.select(Employer.bin)))
    kinds = set(db.session.scalars(sa.select(Employer.kind)))
    assert {"sme", "rse_branch"} <= kinds
    # Bilingual: every employer and vacancy has both names.
    for employer in db.session.scalars(sa.select(Employer)):
        assert employer.name_kk and employer.name_ru
    for vacancy in db.session.scalars(sa.select(Vacancy)):
        assert vacancy.title_kk and vacancy.title_ru
    # The report on work in custody has something in every figure of a production.
    today = clock.today()
    productions = db.session.scalars(sa.select(Production)).all()
    opened = [p for p in productions if p.transferred_on.year == today.year]
    assert opened and production_figures.sites(opened, today).workers > 0
    # Every demo account can sign in with the printed password.
    for email in db.session.scalars(sa.select(User.email)):
        response = client.post("/auth/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        client.post("/auth/logout")


def test_demo_logins_are_printed(runner):
    result = runner.invoke(args=["demo", "logins"])
    assert DEMO_PASSWORD in result.output
    for role in ROLES:
        assert role in result.output
