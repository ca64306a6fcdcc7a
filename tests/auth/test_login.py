"""Signing in and out: passwords, disabled users, throttling, redirects, sessions, audit."""

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from portal.auth.models import AuditEntry
from portal.auth.sessions import SEEN_STEP_SECONDS
from portal.errors import MESSAGES
from portal.extensions import db
from tests.helpers import PASSWORD, login, sign_in


def audit_actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_login_and_logout(client, make_user):
    user = make_user("employer")
    response = login(client, user)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    home = client.get("/")
    assert user.full_name in home.get_data(as_text=True)

    response = client.post("/auth/logout")
    assert response.status_code == 302
    assert client.get("/auth/account").status_code == 302  # back to the login page
    assert audit_actions() == ["login", "logout"]


def test_password_is_hashed_with_scrypt(make_user):
    user = make_user("admin")
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash


def test_wrong_password_is_refused_and_audited(client, make_user):
    user = make_user("admin")
    response = login(client, user, "wrong password")
    assert response.status_code == 200
    assert (
        "Құпиясөз" in response.get_data(as_text=True)
        or "password" in response.get_data(as_text=True).lower()
    )
    assert client.get("/admin/users").status_code == 302
    entry = db.session.scalar(sa.select(AuditEntry))
    assert entry.action == "login_failed" and entry.details == {"email": user.email}


def test_unknown_email_is_refused_like_a_wrong_password(client, make_user):
    make_user("admin")
    unknown = login(client, "nobody@example.kz").get_data(as_text=True)
    assert "login_failed" in audit_actions()
    assert client.get("/admin/users").status_code == 302
    assert "nobody@example.kz" in unknown  # the typed e-mail is kept in the form


def test_email_is_case_insensitive(client, make_user):
    user = make_user("admin")
    assert login(client, user.email.upper()).status_code == 302


def test_disabled_user_cannot_log_in(client, make_user):
    user = make_user("inspector", active=False)
    response = login(client, user)
    assert response.status_code == 200
    assert client.get("/").get_data(as_text=True).count(user.full_name) == 0
    assert audit_actions() == ["login_refused_disabled"]


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "\t//evil.example",
    ],
)
def test_next_never_leaves_the_site(client, make_user, target):
    user = make_user("akimat")
    response = login(client, user, next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_inside_the_site_is_followed(client, make_user):
    user = make_user("akimat")
    response = login(client, user, next="/admin/users?role=admin")
    assert response.headers["Location"] == "/admin/users?role=admin"


def test_login_page_carries_next_from_the_query(client, make_user):
    response = client.get("/admin/users")
    assert response.status_code == 302
    login_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="/admin/users"' in login_page


def test_login_is_throttled_with_a_clear_message(make_app, make_user):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    user = make_user("admin")
    statuses = [login(client, user, "wrong").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    blocked = login(client, user)  # even the right password waits
    assert blocked.status_code == 429
    page = blocked.get_data(as_text=True)
    with app.test_request_context(), force_locale("kk"):
        expected = str(MESSAGES[429][1])
    assert expected in page
    assert '<html lang="kk">' in page and "Traceback" not in page
    assert audit_actions()[-1] == "login_rate_limited"
    # The owner, from another address, is not locked out by the attacker's address.
    other = login(client, user, environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert other.status_code == 302


def test_failures_for_one_account_slow_down_every_address_without_locking_out(
    app, make_user, frozen_clock
):
    """Per-account back-off: after LOGIN_BACKOFF_FREE failures (each from a new address), each
    next try waits 2, 4, 8 … s, at most LOGIN_BACKOFF_MAX_SECONDS; the owner waits, then gets in."""
    user = make_user("akimat")
    free = app.config["LOGIN_BACKOFF_FREE"]
    for n in range(free):
        wrong = login(app.test_client(), user, "wrong", environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})
        assert wrong.status_code == 200
    owner = app.test_client()
    refused = login(owner, user, environ_base={"REMOTE_ADDR": "10.1.1.1"})
    assert refused.status_code == 429
    assert "2" in refused.get_data(as_text=True)  # how long to wait, in seconds
    assert owner.get("/auth/account").status_code == 302
    frozen_clock.shift(3)
    assert login(owner, user, environ_base={"REMOTE_ADDR": "10.1.1.1"}).status_code == 302
    assert owner.get("/auth/account").status_code == 200
    assert "login_backoff" in audit_actions()
    # A success clears the count: one wrong password later is heard at once.
    assert login(app.test_client(), user, "wrong").status_code == 200


def test_back_off_is_capped(app, make_user, frozen_clock):
    user = make_user("akimat")
    for _ in range(app.config["LOGIN_BACKOFF_FREE"] + 30):
        login(app.test_client(), user, "wrong")
        frozen_clock.shift(app.config["LOGIN_BACKOFF_MAX_SECONDS"] + 1)
    assert login(app.test_client(), user).status_code == 302


def test_unknown_and_known_e_mails_back_off_alike(app, make_user):
    """The back-off counts typed e-mails, so it tells nothing about which accounts exist."""
    user = make_user("akimat")
    answers = {}
    for email in (user.email, "nobody@example.kz"):
        for _ in range(app.config["LOGIN_BACKOFF_FREE"]):
            login(app.test_client(), email, "wrong")
        answers[email] = login(app.test_client(), email, "wrong").status_code
    assert answers == {user.email: 429, "nobody@example.kz": 429}


def test_unknown_e_mail_costs_the_same_password_hash(client, make_user, monkeypatch):
    """Row 10: one scrypt hash for an unknown e-mail as for a known one (0.35 s against 0.03 s
    before), so the time taken does not tell whether an account exists."""
    import werkzeug.security

    user = make_user("akimat")
    login(client, "first@example.kz", "wrong password")  # the stand-in hash, made once
    hashed = []
    real = werkzeug.security._hash_internal

    def counting(method, salt, password):
        hashed.append(method.split(":")[0])
        return real(method, salt, password)

    monkeypatch.setattr(werkzeug.security, "_hash_internal", counting)
    login(client, user, "wrong password")
    known = list(hashed)
    hashed.clear()
    login(client, "nobody@example.kz", "wrong password")
    assert known == hashed == ["scrypt"]


def test_trusted_proxies_give_the_client_address(make_app, make_user):
    """Behind TRUSTED_PROXIES proxies, limits and the audit use the client's address from
    X-Forwarded-For; with none trusted, the header is ignored (it could be forged)."""
    user = make_user("akimat")
    forwarded = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    for proxies, expected in ((1, "203.0.113.7"), (0, "127.0.0.1")):
        app = make_app(TRUSTED_PROXIES=proxies)
        login(app.test_client(), user, "wrong", environ_base=forwarded)
        entry = db.session.scalar(sa.select(AuditEntry).order_by(AuditEntry.id.desc()))
        assert entry.ip == expected


def test_session_version_ends_other_sessions_on_password_change(app, make_user):
    user = make_user("employer")
    first, second = app.test_client(), app.test_client()
    login(first, user)
    login(second, user)
    response = first.post(
        "/auth/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a new long password",
            "confirm": "a new long password",
        },
    )
    assert response.status_code == 302
    assert first.get("/auth/account").status_code == 200  # this session was renewed
    assert second.get("/auth/account").status_code == 302  # the other one has ended
    assert login(second, user, "a new long password").status_code == 302


def test_password_change_errors_keep_the_password(client, make_user):
    user = make_user("employer")
    login(client, user)
    wrong = client.post(
        "/auth/account/password",
        data={
            "current_password": "not it",
            "new_password": "a new long password",
            "confirm": "a new long password",
        },
    )
    short = client.post(
        "/auth/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "short",
            "confirm": "short",
        },
    )
    mismatch = client.post(
        "/auth/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a new long password",
            "confirm": "another one!",
        },
    )
    assert [wrong.status_code, short.status_code, mismatch.status_code] == [400, 400, 400]
    db.session.refresh(user)
    assert user.check_password(PASSWORD)


def test_idle_timeout_ends_the_session(app, client, make_user, frozen_clock):
    sign_in(client, make_user("admin"))
    idle = app.config["SESSION_IDLE_MINUTES"] * 60 + SEEN_STEP_SECONDS  # the longest idle
    frozen_clock.shift(idle - 60)
    assert client.get("/admin/users").status_code == 200  # each request restarts the idle clock
    frozen_clock.shift(idle + 5)
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert client.get("/admin/users").status_code == 302


def test_the_idle_clock_is_sent_again_at_most_once_a_minute_and_never_ends_a_session_early(
    app, client, make_user, frozen_clock
):
    sign_in(client, make_user("admin"))
    configured = app.config["SESSION_IDLE_MINUTES"] * 60
    client.get("/admin/users")  # the first page after signing in (its CSRF secret is set)
    frozen_clock.shift(SEEN_STEP_SECONDS - 1)
    # Read within the minute: the cookie stays as it was (no Set-Cookie to sign and send).
    assert "Set-Cookie" not in client.get("/admin/users").headers
    frozen_clock.shift(1)
    assert "Set-Cookie" in client.get("/admin/users").headers  # the minute is up: moved
    frozen_clock.shift(SEEN_STEP_SECONDS - 1)
    assert client.get("/admin/users").status_code == 200  # not moved: a read in the minute
    frozen_clock.shift(configured)  # the full idle limit after that last request
    assert client.get("/admin/users").status_code == 200  # not a second sooner
    frozen_clock.shift(configured + SEEN_STEP_SECONDS + 1)
    assert client.get("/admin/users").status_code == 302


def test_absolute_timeout_ends_an_active_session(app, client, make_user, frozen_clock):
    sign_in(client, make_user("admin"))
    idle = app.config["SESSION_IDLE_MINUTES"] * 60
    absolute = app.config["SESSION_ABSOLUTE_HOURS"] * 3600
    active_for = 0
    while active_for + idle - 60 < absolute:  # a request every (idle - 1 min): never idle
        frozen_clock.shift(idle - 60)
        active_for += idle - 60
        assert client.get("/admin/users").status_code == 200
    frozen_clock.shift(idle - 60)
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_forged_session_id_is_refused(app, client, make_user):
    user = make_user("admin")
    sign_in(client, user)
    with client.session_transaction() as session:
        session["_user_id"] = f"{user.id}:{user.session_version + 1}"
    assert client.get("/admin/users").status_code == 302


def test_session_cookie_flags(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_user_last_login_is_recorded(client, make_user):
    user = make_user("akimat")
    login(client, user)
    db.session.refresh(user)
    assert user.last_login_at is not None


def test_cli_creates_the_first_administrator(runner, client):
    result = runner.invoke(
        args=[
            "users",
            "create-admin",
            "First@Example.kz",
            "Бірінші Әкімші",
            "--password",
            "a long password",
        ]
    )
    assert result.exit_code == 0, result.output
    assert login(client, "first@example.kz", "a long password").status_code == 302
    again = runner.invoke(
        args=["users", "create-admin", "first@example.kz", "X", "--password", "a long password"]
    )
    assert again.exit_code != 0 and "already exists" in again.output
    short = runner.invoke(
        args=["users", "create-admin", "b@example.kz", "X", "--password", "short"]
    )
    assert short.exit_code != 0
