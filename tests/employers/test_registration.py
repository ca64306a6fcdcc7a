"""Registration → pending → approval (or rejection with a reason) → posting."""

import pytest
import sqlalchemy as sa

from portal.auth.models import AKIMAT, EMPLOYER, INSPECTOR, User
from portal.employers.models import Employer
from portal.extensions import db
from tests.employers.helpers import (
    RU,
    SEWING_SHOP_BIN,
    audit,
    counts,
    registration_data,
    vacancy_data,
)
from tests.helpers import KARAGANDA, login, masked, page_text, region, sign_in, translated


def registered(client, **overrides):
    """Register, then sign in as the new user (registration itself signs no one in)."""
    response = client.post("/employers/register", data=registration_data(**overrides))
    db.session.expire_all()
    assert login(client, overrides.get("login_email", "gulnar@tigin.kz")).status_code == 302
    return response


def test_registration_creates_a_pending_organisation_and_its_user(app, client):
    response = registered(client)
    assert response.status_code == 302
    employer = db.session.scalars(sa.select(Employer)).one()
    assert (employer.status, employer.bin, employer.kind) == ("pending", SEWING_SHOP_BIN, "sme")
    assert employer.name_kk == "«Астана Тігін» ЖШС" and employer.name_ru == "ТОО «Астана Тігін»"
    assert employer.region.kato == "710000000" and employer.district.kato == "711310000"
    assert (employer.headcount, employer.workshop_capacity) == (140, 120)
    user = db.session.scalars(sa.select(User)).one()
    assert (user.role, user.employer_id, user.email) == (EMPLOYER, employer.id, "gulnar@tigin.kz")
    assert user.locale == "kk"  # registered in the default language
    assert user.full_name == "Гүлнар Ахметова"
    assert [e.object_id for e in audit("employer_registered")] == [employer.id]
    # Told to sign in; signed in, told the organisation waits for approval.
    assert response.headers["Location"] == "/auth/login"
    page = client.get(f"/employers/{employer.id}").get_data(as_text=True)
    assert (
        translated(
            app,
            "Your organisation is waiting for approval by an inspector of your "
            "region. You cannot post vacancies until it is approved.",
        )
        in page
    )


def test_pending_organisation_cannot_post(client):
    registered(client)
    employer = db.session.scalars(sa.select(Employer)).one()
    assert client.get("/employers/vacancies/new").headers["Location"] == f"/employers/{employer.id}"
    before = counts()
    response = client.post("/employers/vacancies/new", data=vacancy_data())
    assert response.status_code == 302 and counts() == before


def test_inspector_approves_and_the_employer_posts(client, app, make_user):
    registered(client)
    employer = db.session.scalars(sa.select(Employer)).one()
    inspector = make_user(INSPECTOR, locale="ru")
    staff = app.test_client()
    sign_in(staff, inspector)
    listing = staff.get("/employers/").get_data(as_text=True)
    assert 'lang="ru"' in listing and employer.name_ru in listing
    assert staff.post(f"/employers/{employer.id}/approve").status_code == 302
    db.session.expire_all()
    assert employer.status == "approved" and employer.decided_by_id == inspector.id
    assert [e.user_id for e in audit("employer_approved")] == [inspector.id]

    response = client.post("/employers/vacancies/new", data=vacancy_data())
    assert response.status_code == 302
    assert audit("vacancy_created")[0].details["status"] == "published"


def test_pending_organisations_are_listed_first(client, app, make_user, make_employer):
    make_employer(name_ru="АА Первое по алфавиту")
    registered(client)
    staff = app.test_client()
    sign_in(staff, make_user(INSPECTOR))
    page = staff.get("/employers/").get_data(as_text=True)
    assert page.index("Астана Тігін") < page.index("АА Первое по алфавиту")
    only_pending = staff.get("/employers/?status=approved").get_data(as_text=True)
    assert "Астана Тігін" not in only_pending


def test_rejection_needs_a_reason_and_the_employer_sees_it(client, app, make_user):
    registered(client)
    employer = db.session.scalars(sa.select(Employer)).one()
    staff = app.test_client()
    sign_in(staff, make_user(INSPECTOR))
    no_reason = staff.post(f"/employers/{employer.id}/reject", data={"reason": "  "})
    assert no_reason.status_code == 400 and "field-error" in no_reason.get_data(as_text=True)
    db.session.expire_all()
    assert employer.status == "pending"

    reason = "BIN does not match the registration certificate"
    response = staff.post(f"/employers/{employer.id}/reject", data={"reason": reason})
    assert response.status_code == 302
    db.session.expire_all()
    assert (employer.status, employer.rejection_reason) == ("rejected", reason)
    assert reason in client.get(f"/employers/{employer.id}").get_data(as_text=True)
    assert client.get("/employers/vacancies/new").status_code == 302  # still cannot post

    # Correcting the details sends the organisation back for approval.
    data = registration_data(name_ru="ТОО «Астана Тігін Плюс»")
    assert client.post(f"/employers/{employer.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert employer.status == "pending" and employer.name_ru == "ТОО «Астана Тігін Плюс»"
    assert audit("employer_updated")[0].details["changed"]["status"] == ["rejected", "pending"]


def test_decisions_only_in_the_inspectors_region(client, app, make_user):
    registered(client)
    employer = db.session.scalars(sa.select(Employer)).one()
    elsewhere = app.test_client()
    sign_in(elsewhere, make_user(INSPECTOR, region_id=region(KARAGANDA).id))
    assert elsewhere.get(f"/employers/{employer.id}").status_code == 404
    assert elsewhere.post(f"/employers/{employer.id}/approve").status_code == 404
    assert employer.name_ru not in page_text(elsewhere, "/employers/")
    akimat = app.test_client()
    sign_in(akimat, make_user(AKIMAT))
    assert akimat.get(f"/employers/{employer.id}").status_code == 200
    assert akimat.post(f"/employers/{employer.id}/approve").status_code == 403
    db.session.expire_all()
    assert employer.status == "pending"


@pytest.mark.parametrize("headers", [{}, RU], ids=["kk", "ru"])
@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"bin": "190540045678"}, "bin"),  # wrong check digit
        ({"bin": "19054004567"}, "bin"),  # 11 digits
        ({"name_kk": "", "name_ru": " "}, "name_kk"),  # a name in neither language
        ({"headcount": "-1"}, "headcount"),
        ({"password": "short", "confirm": "short"}, "password"),
        ({"login_email": "not an e-mail"}, "login_email"),
    ],
)
def test_invalid_registration_is_refused_and_kept(client, headers, overrides, field):
    before = counts()
    response = client.post(
        "/employers/register", data=registration_data(**overrides), headers=headers
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in page
    assert f'<html lang="{"ru" if headers else "kk"}">' in page
    assert counts() == before  # nothing half-written
    assert "Сарыарқа ауданы, Өндіріс көшесі, 12" in page  # what the user typed is kept


@pytest.mark.parametrize("headers", [{}, RU], ids=["kk", "ru"])
def test_duplicate_bin_is_refused_and_the_e_mail_not_judged(
    client, make_user, make_employer, headers
):
    make_employer(bin=SEWING_SHOP_BIN)
    make_user(INSPECTOR, email="taken@tigin.kz")
    before = counts()
    response = client.post(
        "/employers/register",
        headers=headers,
        data=registration_data(bin=SEWING_SHOP_BIN, login_email="Taken@Tigin.kz"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="bin-error"' in page and 'id="login_email-error"' not in page
    assert "valid BIN" not in page  # refused as a duplicate, not for its format
    assert counts() == before


@pytest.mark.parametrize("headers", [{}, RU], ids=["kk", "ru"])
def test_registration_answers_the_same_for_every_e_mail(app, make_user, headers):
    """Row 12: an e-mail that has an account (a staff member's) gets the very answer a new one
    gets, and registers nothing; a new e-mail's registration is kept whole."""
    make_user(INSPECTOR, email="taken@tigin.kz")
    answers = {}
    for email, bin_ in (("Taken@Tigin.kz", SEWING_SHOP_BIN), ("new@tigin.kz", "210240012350")):
        client = app.test_client()
        before = counts()
        response = client.post(
            "/employers/register",
            headers=headers,
            data=registration_data(login_email=email, bin=bin_),
        )
        db.session.expire_all()
        answers[email] = (
            response.status_code,
            response.headers["Location"],
            masked(client.get(response.headers["Location"], headers=headers).text, {}),
            counts()[:3] == before[:3],  # organisations, users, vacancies
        )
    taken, new = answers["Taken@Tigin.kz"], answers["new@tigin.kz"]
    assert taken[:3] == new[:3] and taken[0] == 302
    assert taken[3] is True and new[3] is False  # nothing made for the taken e-mail
    assert db.session.scalar(sa.select(Employer).where(Employer.bin == "210240012350")).headcount
    assert audit("registration_email_taken")[0].details["email"] == "taken@tigin.kz"


def test_a_bin_taken_between_validation_and_commit_is_refused(client, make_employer, monkeypatch):
    make_employer(bin=SEWING_SHOP_BIN)
    monkeypatch.setattr("portal.employers.forms.bin_taken", lambda *args, **kwargs: False)
    before = counts()
    response = client.post("/employers/register", data=registration_data())
    assert response.status_code == 400 and 'id="bin-error"' in response.get_data(as_text=True)
    assert counts() == before
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_bin_of_an_approved_organisation_is_locked_for_its_users(client, make_user):
    user = make_user(EMPLOYER)
    sign_in(client, user)
    employer = user.employer
    original_bin = employer.bin
    page = client.get(f"/employers/{employer.id}/edit").get_data(as_text=True)
    assert 'name="bin"' not in page
    data = registration_data(bin=SEWING_SHOP_BIN, headcount="150")
    assert client.post(f"/employers/{employer.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert employer.bin == original_bin and employer.headcount == 150
    assert employer.status == "approved"


def test_signed_in_users_are_not_offered_registration(client, make_user):
    sign_in(client, make_user(INSPECTOR))
    assert client.get("/employers/register").headers["Location"] == "/"


def test_registration_is_throttled(make_app):
    app = make_app(RATELIMIT_ENABLED=True, REGISTER_RATE_LIMIT="2 per minute")
    client = app.test_client()
    statuses = [client.post("/employers/register", data={}).status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
