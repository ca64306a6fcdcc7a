"""Keeping productions: the list, the form's refusals (nothing written), scope (another
region's production is 404, employers and akimats 403), the audit trail."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.auth.models import ADMIN, AKIMAT, EMPLOYER, INSPECTOR, AuditEntry
from portal.extensions import db
from portal.productions.models import Production
from tests.helpers import KARAGANDA, institution, region, sign_in, translated
from tests.productions import dataset


@pytest.fixture
def data(make_employer, make_vacancy, make_candidate):
    return dataset.build(make_employer, make_vacancy, make_candidate)


def client_for(app, user):
    client = app.test_client()
    sign_in(client, user)
    return client


def form(employer, where, today, **changes) -> dict:
    values = {
        "employer_id": str(employer.id),
        "institution_id": str(where.id),
        "area_m2": "750",
        "transferred_on": today.isoformat(),
        "products": "Мебель",
        "places": "8",
    }
    return {**values, **changes}


def productions() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Production))


def test_the_list_shows_each_production_with_its_workers(app, data, make_user):
    page = client_for(app, make_user(INSPECTOR)).get("/productions/").get_data(as_text=True)
    assert "Спецодежда" in page and "Кирпич" in page
    assert "Бетон" not in page  # Karaganda's
    assert '<td class="num">2</td>' in page  # P1: c1 and c6


def test_an_inspector_adds_changes_and_removes_a_production(app, data, make_user, today):
    inspector = make_user(INSPECTOR)
    client = client_for(app, inspector)
    alpha, ec4 = data["employers"]["alpha"], data["institutions"]["ec4"]
    response = client.post("/productions/new", data=form(alpha, ec4, today))
    assert response.status_code == 303
    added = db.session.scalar(sa.select(Production).where(Production.institution_id == ec4.id))
    assert (added.area_m2, added.places, added.products) == (750, 8, "Мебель")
    response = client.post(
        f"/productions/{added.id}/edit", data=form(alpha, ec4, today, area_m2="900")
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Production, added.id).area_m2 == 900
    confirm = client.get(f"/productions/{added.id}/delete")
    assert confirm.status_code == 200 and '<form method="post">' in confirm.get_data(as_text=True)
    assert client.post(f"/productions/{added.id}/delete").status_code == 303
    assert productions() == 3
    actions = db.session.scalars(
        sa.select(AuditEntry.action)
        .where(AuditEntry.object_type == "production", AuditEntry.object_id == added.id)
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["production_created", "production_updated", "production_deleted"]
    changed = db.session.scalar(
        sa.select(AuditEntry.details).where(AuditEntry.action == "production_updated")
    )["changed"]
    assert changed == {"area_m2": [750, 900]}


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"area_m2": "0"}, "The area must be greater than zero."),
        ({"area_m2": "-5"}, "The area must be greater than zero."),
        ({"area_m2": "много"}, None),
        ({"places": "-1"}, "The number cannot be negative."),
        ({"transferred_on": "future"}, "The date cannot be in the future."),
        ({"transferred_on": "31.02.2020"}, "Enter a valid date."),
        ({"employer_id": "999999"}, "Choose one of the options in the list."),
        ({"institution_id": "abc"}, "Choose the institution."),
        ({"products": "x" * 501}, None),
    ],
)
def test_bad_input_is_refused_in_the_user_language(app, data, make_user, today, changes, message):
    client = client_for(app, make_user(INSPECTOR, locale="ru"))
    alpha, ec4 = data["employers"]["alpha"], data["institutions"]["ec4"]
    if changes.get("transferred_on") == "future":
        changes = {"transferred_on": (today + timedelta(days=1)).isoformat()}
    before = productions()
    response = client.post("/productions/new", data=form(alpha, ec4, today, **changes))
    assert response.status_code == 400
    if message:
        assert translated(app, message, "ru") in response.get_data(as_text=True)
    assert productions() == before


def test_one_production_per_employer_and_institution(app, data, make_user, today):
    client = client_for(app, make_user(INSPECTOR, locale="kk"))
    alpha, ec11 = data["employers"]["alpha"], data["institutions"]["ec11"]
    response = client.post("/productions/new", data=form(alpha, ec11, today))
    assert response.status_code == 400
    text = translated(app, "This employer already has a production at this institution.")
    assert text in response.get_data(as_text=True)
    assert productions() == 3


def test_another_region_is_not_offered_nor_accepted(app, data, make_user, today):
    """Astana's inspector: Karaganda's employer and institution are not choices; Karaganda's
    production is 404 to read, change or remove."""
    client = client_for(app, make_user(INSPECTOR))
    page = client.get("/productions/new").get_data(as_text=True)
    assert "ТОО «Гамма»" not in page and "АК-159/24" not in page
    gamma, ak = data["employers"]["gamma"], data["institutions"]["ak"]
    alpha, ec4 = data["employers"]["alpha"], data["institutions"]["ec4"]
    assert client.post("/productions/new", data=form(gamma, ec4, today)).status_code == 400
    assert client.post("/productions/new", data=form(alpha, ak, today)).status_code == 400
    p3 = data["productions"]["P3"].id
    for path in (f"/productions/{p3}/edit", f"/productions/{p3}/delete"):
        assert client.get(path).status_code == 404
        assert client.post(path, data=form(alpha, ec4, today)).status_code == 404
    assert db.session.get(Production, p3) is not None


def test_an_inspector_bound_to_an_institution_keeps_only_its_productions(app, data, make_user):
    client = client_for(app, make_user(INSPECTOR, institution_id=institution("ЕЦ-166/4").id))
    assert client.get(f"/productions/{data['productions']['P1'].id}/edit").status_code == 404
    assert translated(app, "No productions on institution land in your scope yet.") in (
        client.get("/productions/").get_data(as_text=True)
    )


def test_an_inspector_may_not_move_a_production_out_of_scope(app, data, make_user, today):
    client = client_for(app, make_user(INSPECTOR, region_id=region(KARAGANDA).id))
    p3 = data["productions"]["P3"]
    response = client.post(
        f"/productions/{p3.id}/edit",
        data=form(data["employers"]["gamma"], data["institutions"]["ec11"], today),
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Production, p3.id).institution_id == data["institutions"]["ak"].id


@pytest.mark.parametrize("role", [EMPLOYER, AKIMAT])
def test_employers_and_akimats_keep_no_productions(app, data, make_user, role, today):
    client = client_for(app, make_user(role))
    p1 = data["productions"]["P1"].id
    for path in ("/productions/", "/productions/new", f"/productions/{p1}/edit"):
        assert client.get(path).status_code == 403
    assert client.post(f"/productions/{p1}/delete").status_code == 403
    assert productions() == 3


def test_an_administrator_keeps_every_region(app, data, make_user, today):
    client = client_for(app, make_user(ADMIN))
    p3 = data["productions"]["P3"]
    response = client.post(
        f"/productions/{p3.id}/edit",
        data=form(data["employers"]["gamma"], data["institutions"]["ak"], today, places="7"),
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Production, p3.id).places == 7


def test_a_production_of_a_suspended_employer_can_still_be_corrected(app, data, make_user, today):
    """Its employer stays a choice on its own form, not on a new one."""
    alpha, ec11 = data["employers"]["alpha"], data["institutions"]["ec11"]
    alpha.status = "rejected"
    db.session.commit()
    client = client_for(app, make_user(INSPECTOR))
    p1 = data["productions"]["P1"].id
    response = client.post(f"/productions/{p1}/edit", data=form(alpha, ec11, today, places="3"))
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Production, p1).places == 3
    ec4 = data["institutions"]["ec4"]
    assert client.post("/productions/new", data=form(alpha, ec4, today)).status_code == 400
