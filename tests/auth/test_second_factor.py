"""The second factor (ASVS row 1): TOTP with recovery codes, required for administrators and
inspectors, optional for employers and akimats; enrolment, replay, reset, audit."""

import re

import pytest
import sqlalchemy as sa

from portal.auth import second_factor
from portal.auth.models import AuditEntry, RecoveryCode
from portal.extensions import db
from tests.helpers import (
    TOTP_SECRET,
    enrolled,
    login,
    login_with_code,
    sign_in,
    totp_now,
    translated,
)

RU_HEADERS = {"Accept-Language": "ru"}
SECRET_ON_PAGE = re.compile(r'<code class="totp-secret">([A-Z2-7 ]+)</code>')
CODES_ON_PAGE = re.compile(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>")


def actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def enrol_through_the_page(client, offset_steps: int = 0):
    """Read the key off the enrolment page, as a phone app would from the QR code, and answer
    with the app's code; returns (the secret, the answer)."""
    page = client.get("/auth/second-factor/enrol").get_data(as_text=True)
    assert "<svg" in page and "<script" not in page.split("<main", 1)[-1].split("</main>")[0]
    secret = SECRET_ON_PAGE.search(page).group(1).replace(" ", "")
    return secret, client.post(
        "/auth/second-factor/enrol", data={"code": totp_now(secret, offset_steps)}
    )


@pytest.mark.parametrize("role", ["admin", "inspector"])
def test_staff_enrol_at_sign_in_before_reaching_any_page(app, client, make_user, role):
    user = make_user(role)
    response = login(client, user, next="/auth/account")
    assert response.headers["Location"] == "/auth/second-factor/enrol"
    assert user.full_name not in client.get("/").text  # the public home page, as for anyone
    for path in ("/auth/account", "/candidates/", "/admin/users", "/employers/"):
        answer = client.get(path)
        assert answer.status_code == 302 and "/auth/login" in answer.headers["Location"], path
    secret, done = enrol_through_the_page(client)
    page = done.get_data(as_text=True)
    codes = CODES_ON_PAGE.findall(page)
    assert done.status_code == 200 and len(codes) == 10 and 'href="/auth/account"' in page
    assert done.headers["Cache-Control"] == "no-store"
    assert client.get("/auth/account").status_code == 200
    db.session.expire_all()
    # Stored encrypted with TOTP_ENCRYPTION_KEY; the recovery codes as hashes only.
    assert secret not in user.totp_secret and second_factor.decrypt(user.totp_secret) == secret
    hashes = db.session.scalars(
        sa.select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)
    )
    assert all(code.replace("-", "") not in h for h, code in zip(hashes, codes, strict=True))
    assert actions() == ["login_password_passed", "second_factor_enrolled", "login"]


def test_a_wrong_enrolment_code_enrols_nothing(client, make_user):
    user = make_user("admin")
    login(client, user)
    page = client.get("/auth/second-factor/enrol").get_data(as_text=True)
    secret = SECRET_ON_PAGE.search(page).group(1)
    again = client.get("/auth/second-factor/enrol").get_data(as_text=True)
    assert SECRET_ON_PAGE.search(again).group(1) == secret  # a reload keeps the scanned key
    wrong = client.post("/auth/second-factor/enrol", data={"code": "000000"})
    assert wrong.status_code == 400 and 'id="code-error"' in wrong.get_data(as_text=True)
    db.session.expire_all()
    assert user.totp_secret is None and client.get("/auth/account").status_code == 302
    assert "second_factor_failed" in actions()


@pytest.mark.parametrize("headers", [{}, RU_HEADERS], ids=["kk", "ru"])
def test_sign_in_with_a_code_and_no_replay(app, make_user, headers):
    user = enrolled(make_user("inspector"))
    client = app.test_client()
    response = login(client, user, next="/candidates/")
    assert response.headers["Location"] == "/auth/second-factor"
    page = client.get("/auth/second-factor", headers=headers).get_data(as_text=True)
    lang = "ru" if headers else "kk"
    assert translated(app, "Enter the code", lang) in page
    assert client.get("/candidates/").status_code == 302
    wrong = client.post("/auth/second-factor", data={"code": "123456"}, headers=headers)
    assert wrong.status_code == 400
    assert translated(app, "This code is wrong or has already been used.", lang) in wrong.text
    code = totp_now()
    passed = client.post("/auth/second-factor", data={"code": code})
    assert passed.status_code == 302 and passed.headers["Location"] == "/candidates/"
    assert client.get("/candidates/").status_code == 200
    # The same code again, in the same 30-second step, from another browser: refused.
    other = app.test_client()
    login(other, user)
    assert other.post("/auth/second-factor", data={"code": code}).status_code == 400
    # So is the previous step's code once a later one was used; the next step's is accepted.
    assert (
        other.post("/auth/second-factor", data={"code": totp_now(offset_steps=-1)}).status_code
        == 400
    )
    assert (
        other.post("/auth/second-factor", data={"code": totp_now(offset_steps=1)}).status_code
        == 302
    )
    assert actions().count("second_factor_failed") == 3
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "login"))
    assert [e.details["method"] for e in entries] == ["totp", "totp"]


def test_codes_two_steps_away_are_refused(client, make_user):
    user = enrolled(make_user("admin"))
    for offset in (-2, 2):
        login(client, user)
        assert (
            client.post(
                "/auth/second-factor", data={"code": totp_now(offset_steps=offset)}
            ).status_code
            == 400
        )


def test_a_recovery_code_works_once(app, make_user):
    user = make_user("admin")
    codes = second_factor.enrol(user, TOTP_SECRET, 0)
    db.session.commit()
    client = app.test_client()
    login(client, user)
    typed = codes[3].upper().replace("-", " ")  # however it is typed back
    assert client.post("/auth/second-factor", data={"code": typed}).status_code == 302
    assert client.get("/admin/users").status_code == 200
    again = app.test_client()
    login(again, user)
    assert again.post("/auth/second-factor", data={"code": codes[3]}).status_code == 400
    assert again.post("/auth/second-factor", data={"code": codes[4]}).status_code == 302
    used = db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.action == "recovery_code_used")
        .order_by(AuditEntry.id)
    )
    assert [e.details["left"] for e in used] == [9, 8]


def test_the_half_signed_in_state_expires(app, client, make_user, frozen_clock):
    user = enrolled(make_user("admin"))
    login(client, user)
    frozen_clock.shift(app.config["SECOND_FACTOR_MINUTES"] * 60 + 1)
    response = client.post("/auth/second-factor", data={"code": totp_now()})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    assert client.get("/admin/users").status_code == 302


def test_code_attempts_are_limited_per_account(make_app, make_user):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    user = enrolled(make_user("admin"))
    client = app.test_client()
    login(client, user)
    statuses = [
        client.post("/auth/second-factor", data={"code": "000000"}).status_code for _ in range(3)
    ]
    assert statuses == [400, 400, 400]
    assert client.post("/auth/second-factor", data={"code": totp_now()}).status_code == 429
    entry = db.session.scalar(sa.select(AuditEntry).order_by(AuditEntry.id.desc()))
    assert entry.action == "login_rate_limited" and entry.details["pending_user"] == str(user.id)


def test_the_factor_is_optional_for_employers_and_akimats(app, make_user, frozen_clock):
    user = make_user("employer")
    client = app.test_client()
    assert login(client, user).headers["Location"] == "/"  # the password alone, while off
    assert "/auth/second-factor/enrol" in client.get("/auth/account").text
    other = app.test_client()
    login(other, user)
    secret, done = enrol_through_the_page(client)
    assert done.status_code == 200 and len(CODES_ON_PAGE.findall(done.text)) == 10
    assert client.get("/auth/account").status_code == 200  # this session renewed
    assert other.get("/auth/account").status_code == 302  # the password-only one ended
    # From now on the code is asked for; it can be turned off with a code.
    later = app.test_client()
    assert login(later, user).headers["Location"] == "/auth/second-factor"
    assert later.post("/auth/second-factor", data={"code": totp_now(secret, 1)}).status_code == 302
    # A wrong code, or the code already used, turns nothing off; a fresh one does.
    for code in ("000000", totp_now(secret, 1)):
        later.post("/auth/account/second-factor/remove", data={"code": code})
        db.session.expire_all()
        assert user.totp_secret is not None
    frozen_clock.shift(60)  # a minute later, the app shows a code not used yet
    later.post("/auth/account/second-factor/remove", data={"code": totp_now(secret)})
    db.session.expire_all()
    assert user.totp_secret is None
    assert "second_factor_removed" in actions()


def test_staff_cannot_turn_their_factor_off(client, make_user):
    user = enrolled(make_user("inspector"))
    login_with_code(client, user)
    assert (
        client.post(
            "/auth/account/second-factor/remove", data={"code": totp_now(offset_steps=1)}
        ).status_code
        == 403
    )


def test_the_administrator_resets_a_factor_with_confirmation(app, make_user):
    admin, inspector = make_user("admin"), make_user("inspector")
    second_factor.enrol(inspector, TOTP_SECRET, 0)
    db.session.commit()
    browser = app.test_client()
    login_with_code(browser, inspector)
    staff = app.test_client()
    sign_in(staff, admin)
    edit = staff.get(f"/admin/users/{inspector.id}/edit").text
    assert f"/admin/users/{inspector.id}/second-factor/reset" in edit
    confirm = staff.get(f"/admin/users/{inspector.id}/second-factor/reset")
    assert confirm.status_code == 200 and inspector.full_name in confirm.text
    db.session.expire_all()
    assert inspector.totp_secret is not None  # asking changes nothing
    assert staff.post(f"/admin/users/{inspector.id}/second-factor/reset").status_code == 302
    db.session.expire_all()
    assert inspector.totp_secret is None and inspector.totp_last_step is None
    assert not db.session.scalars(
        sa.select(RecoveryCode).where(RecoveryCode.user_id == inspector.id)
    ).all()
    assert browser.get("/candidates/").status_code == 302  # signed out everywhere
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "second_factor_reset")
    )
    assert (entry.user_id, entry.object_id) == (admin.id, inspector.id)
    assert login(app.test_client(), inspector).headers["Location"] == "/auth/second-factor/enrol"


def test_demo_staff_sign_in_with_the_documented_key(app, runner):
    from portal.demo_data import DEMO_PASSWORD, DEMO_TOTP_SECRET

    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    printed = runner.invoke(args=["demo", "logins"]).output
    assert DEMO_TOTP_SECRET in printed and totp_now(DEMO_TOTP_SECRET) in printed
    client = app.test_client()
    assert (
        login(client, "admin@demo.kz", DEMO_PASSWORD).headers["Location"] == "/auth/second-factor"
    )
    passed = client.post("/auth/second-factor", data={"code": totp_now(DEMO_TOTP_SECRET)})
    assert passed.status_code == 302 and client.get("/admin/users").status_code == 200
    employer = app.test_client()
    assert login(employer, "employer@demo.kz", DEMO_PASSWORD).headers["Location"] == "/"
