"""The administrator keeps users: create, edit, disable with confirmation, re-enable, reset."""

import sqlalchemy as sa

from portal.auth.models import AuditEntry, User
from portal.extensions import db
from tests.helpers import ASTANA, KARAGANDA, PASSWORD, district, login, region, sign_in


def form(**fields) -> dict:
    base = {
        "email": "new.inspector@example.kz",
        "full_name": "Жаңа Инспектор",
        "role": "inspector",
        "locale": "kk",
        "region_id": str(region(ASTANA).id),
        "district_id": "None",
        "institution_id": "None",
        "employer_id": "None",
        "password": "long enough pass",
    }
    base.update(fields)
    return base


def users_named(email: str) -> list[User]:
    return list(db.session.scalars(sa.select(User).where(User.email == email)))


def signed_in_admin(client, make_user) -> User:
    admin = make_user("admin")
    sign_in(client, admin)
    return admin


def test_admin_creates_an_inspector_who_can_sign_in(app, client, make_user):
    signed_in_admin(client, make_user)
    response = client.post("/admin/users/new", data=form())
    assert response.status_code == 302
    [user] = users_named("new.inspector@example.kz")
    assert (user.role, user.region_id, user.district_id) == ("inspector", region(ASTANA).id, None)
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user_created"))
    assert login(app.test_client(), user.email, "long enough pass").status_code == 302


def test_scope_fields_a_role_does_not_use_are_cleared(client, make_user):
    signed_in_admin(client, make_user)
    client.post(
        "/admin/users/new",
        data=form(
            email="akimat@example.kz",
            role="akimat",
            district_id=str(district("711310000").id),
            institution_id="1",
        ),
    )
    [user] = users_named("akimat@example.kz")
    assert user.district_id == district("711310000").id and user.institution_id is None


def test_invalid_forms_keep_the_input_and_write_nothing(client, make_user):
    admin = signed_in_admin(client, make_user)
    cases = [
        form(email=admin.email),  # duplicate
        form(email="not an email"),
        form(region_id="None"),  # inspector without a region
        form(role="employer"),  # employer without an organisation
        form(region_id=str(region(KARAGANDA).id), district_id=str(district("711310000").id)),
        form(password="short"),
        form(full_name=""),
    ]
    for data in cases:
        response = client.post("/admin/users/new", data=data, headers={"Accept-Language": "ru"})
        assert response.status_code == 400, data
        html = response.get_data(as_text=True)
        assert 'class="field-error"' in html and 'aria-invalid="true"' in html
        assert "Жаңа Инспектор" in html or data["full_name"] == ""  # what was typed is kept
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_disable_asks_for_confirmation_then_ends_sessions(app, client, make_user):
    signed_in_admin(client, make_user)
    inspector = make_user("inspector")
    elsewhere = app.test_client()
    sign_in(elsewhere, inspector)
    assert elsewhere.get("/auth/account").status_code == 200

    confirm = client.get(f"/admin/users/{inspector.id}/disable")
    assert confirm.status_code == 200 and inspector.full_name in confirm.get_data(as_text=True)
    db.session.refresh(inspector)
    assert inspector.active  # the GET changed nothing

    assert client.post(f"/admin/users/{inspector.id}/disable").status_code == 302
    db.session.refresh(inspector)
    assert not inspector.active
    assert elsewhere.get("/auth/account").status_code == 302  # signed out there
    assert login(app.test_client(), inspector).status_code == 200  # and cannot sign in

    client.post(f"/admin/users/{inspector.id}/enable")
    db.session.refresh(inspector)
    assert inspector.active
    assert login(app.test_client(), inspector).status_code == 302


def test_admin_cannot_disable_or_demote_themselves(client, make_user):
    admin = signed_in_admin(client, make_user)
    client.post(f"/admin/users/{admin.id}/disable")
    response = client.post(
        f"/admin/users/{admin.id}/edit",
        data=form(email=admin.email, full_name=admin.full_name, role="inspector"),
    )
    assert response.status_code == 400
    db.session.refresh(admin)
    assert admin.active and admin.role == "admin"


def test_reset_password_ends_sessions_and_sets_the_new_one(app, client, make_user):
    signed_in_admin(client, make_user)
    inspector = make_user("inspector")
    elsewhere = app.test_client()
    sign_in(elsewhere, inspector)
    response = client.post(
        f"/admin/users/{inspector.id}/password", data={"password": "brand new password"}
    )
    assert response.status_code == 302
    assert elsewhere.get("/auth/account").status_code == 302
    assert login(app.test_client(), inspector, PASSWORD).status_code == 200
    assert login(app.test_client(), inspector, "brand new password").status_code == 302


def test_role_change_ends_the_users_sessions(app, client, make_user):
    signed_in_admin(client, make_user)
    inspector = make_user("inspector")
    elsewhere = app.test_client()
    sign_in(elsewhere, inspector)
    client.post(
        f"/admin/users/{inspector.id}/edit",
        data=form(email=inspector.email, full_name=inspector.full_name, role="akimat"),
    )
    db.session.refresh(inspector)
    assert inspector.role == "akimat"
    assert elsewhere.get("/auth/account").status_code == 302


def test_user_list_filters_and_htmx_fragment(client, make_user):
    signed_in_admin(client, make_user)
    make_user("akimat", full_name="Әкімдік Қызметкері")
    make_user("inspector", full_name="Инспектор Бір")
    page = client.get("/admin/users?role=akimat").get_data(as_text=True)
    assert "Әкімдік Қызметкері" in page and "Инспектор Бір" not in page
    fragment = client.get("/admin/users?q=әкімдік", headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert "<html" not in html and "Әкімдік Қызметкері" in html
    empty = client.get("/admin/users?q=nobody-like-this").get_data(as_text=True)
    assert "<table>" not in empty
