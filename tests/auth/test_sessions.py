"""Sessions end on the server and are renewed at every change of privilege (ASVS rows 2, 15)."""

import re

import pytest

from tests.helpers import PASSWORD, TOTP_SECRET, enrolled, login, totp_now

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def test_a_cookie_copied_before_logout_opens_nothing_after(app, make_user, make_candidate):
    """Row 2: the cookie taken before signing out, replayed from another browser."""
    user = enrolled(make_user("inspector"))
    candidate = make_candidate()
    browser = app.test_client()
    login(browser, user)
    browser.post("/auth/second-factor", data={"code": totp_now()})
    copied = session_cookie(browser)
    assert browser.get(f"/candidates/{candidate.id}").status_code == 200
    assert browser.post("/auth/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get(f"/candidates/{candidate.id}").status_code == 302
    assert thief.get("/auth/account").status_code == 302


def test_sign_out_everywhere_asks_then_ends_every_session(app, make_user):
    user = make_user("employer")
    here, elsewhere = app.test_client(), app.test_client()
    login(here, user)
    login(elsewhere, user)
    account = here.get("/auth/account").get_data(as_text=True)
    assert "/auth/account/sign-out-everywhere" in account
    confirm = here.get("/auth/account/sign-out-everywhere")
    assert confirm.status_code == 200 and 'method="post"' in confirm.get_data(as_text=True)
    assert elsewhere.get("/auth/account").status_code == 200  # asking changes nothing
    assert here.post("/auth/account/sign-out-everywhere").status_code == 302
    assert here.get("/auth/account").status_code == 302
    assert elsewhere.get("/auth/account").status_code == 302
    assert login(elsewhere, user).status_code == 302  # signing in again works


def _csrf(client, path: str) -> str:
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


@pytest.fixture
def csrf_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True)


def _secret_of(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("csrf_token")


def test_sign_in_starts_a_fresh_session_with_a_new_csrf_secret(csrf_app, make_user):
    """Row 15: the session of the login page (and its CSRF secret) does not survive sign-in."""
    user = make_user("employer")
    client = csrf_app.test_client()
    token = _csrf(client, "/auth/login")
    before = _secret_of(client)
    response = client.post(
        "/auth/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302 and before is not None
    assert _secret_of(client) != before
    # The token of the anonymous page is refused once signed in.
    stale = client.post(
        "/auth/account/password",
        data={"csrf_token": token, "current_password": PASSWORD},
    )
    assert stale.status_code == 400 and "current_password-error" not in stale.text


def test_passing_the_second_factor_starts_another_fresh_session(csrf_app, make_user):
    """The half-signed-in session (password only) is replaced once the code is given."""
    user = enrolled(make_user("admin"))
    client = csrf_app.test_client()
    token = _csrf(client, "/auth/login")
    client.post(
        "/auth/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    pending_token = _csrf(client, "/auth/second-factor")
    pending_secret, pending_cookie = _secret_of(client), session_cookie(client)
    response = client.post(
        "/auth/second-factor", data={"code": totp_now(TOTP_SECRET), "csrf_token": pending_token}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert _secret_of(client) != pending_secret  # gone: the next form makes a new one
    assert client.get("/admin/users").status_code == 200
    # The half-signed-in cookie, kept, still opens nothing.
    other = csrf_app.test_client()
    other.set_cookie("session", pending_cookie)
    assert other.get("/admin/users").status_code == 302


def test_a_new_role_ends_the_users_sessions(app, make_user):
    """A privilege change made by the administrator: the user's old session ends."""
    from tests.helpers import sign_in

    admin, user = make_user("admin"), make_user("akimat")
    staff, browser = app.test_client(), app.test_client()
    sign_in(staff, admin)
    login(browser, user)
    data = {"email": user.email, "full_name": user.full_name, "role": "employer", "locale": "kk"}
    data["employer_id"] = make_user("employer").employer_id
    assert staff.post(f"/admin/users/{user.id}/edit", data=data).status_code == 302
    assert browser.get("/auth/account").status_code == 302
