"""Tokens: issued by an administrator, shown once, stored hashed, expiring, revocable; the
API answers only to them, never to a cookie session."""

from datetime import timedelta

import flask
import sqlalchemy as sa
from flask_limiter import Limiter

from portal import clock
from portal.api import tokens
from portal.api.models import ApiToken
from portal.auth.models import ADMIN, INSPECTOR, AuditEntry
from portal.extensions import db
from tests.helpers import sign_in


def test_the_admin_issues_a_token_shown_once_and_stored_hashed(app, make_user, client):
    admin, inspector = make_user(ADMIN), make_user(INSPECTOR)
    sign_in(client, admin)
    until = clock.today() + timedelta(days=30)
    page = client.post(
        "/admin/tokens/",
        data={"user_id": inspector.id, "name": "records system", "until": until.isoformat()},
    )
    assert page.status_code == 201 and page.headers["Cache-Control"] == "no-store"
    token = db.session.scalar(sa.select(ApiToken))
    secret = page.get_data(as_text=True).split('<code id="secret">')[1].split("<")[0]
    assert secret.startswith("prt_") and token.digest == tokens.digest(secret)
    assert secret not in {token.digest, token.prefix} and token.user_id == inspector.id
    listing = client.get("/admin/tokens/").get_data(as_text=True)
    assert token.prefix in listing and secret not in listing
    issued = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "api_token_issued"))
    assert issued.user_id == admin.id and secret not in str(issued.details)


def test_a_token_works_until_revoked_or_expired(app, make_user, api_as):
    inspector = make_user(INSPECTOR)
    api = api_as(inspector)
    assert api.get("/api/v1/candidates/").status_code == 200
    token = db.session.scalar(sa.select(ApiToken))
    tokens.revoke(token, make_user(ADMIN))
    refused = api.get("/api/v1/candidates/")
    assert refused.status_code == 401
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert refused.json["code"] == "unauthenticated"
    expired = api_as(inspector)
    db.session.execute(sa.update(ApiToken).values(expires_at=clock.now() - timedelta(seconds=1)))
    db.session.commit()
    assert expired.get("/api/v1/candidates/").status_code == 401


def test_a_disabled_users_token_stops_working(app, make_user, api_as):
    inspector = make_user(INSPECTOR)
    api = api_as(inspector)
    inspector.active = False
    db.session.commit()
    assert api.get("/api/v1/candidates/").status_code == 401


def test_a_cookie_session_does_not_open_the_api_and_a_token_no_page(app, make_user, api_as):
    inspector = make_user(INSPECTOR)
    browser = app.test_client()
    sign_in(browser, inspector)
    assert browser.get("/api/v1/candidates/").status_code == 401
    assert browser.post("/api/v1/placements/", json={}).status_code == 401
    api = api_as(inspector)
    page = api.get("/candidates/")
    assert page.status_code == 302 and "/auth/login" in page.headers["Location"]
    assert "Set-Cookie" not in api.get("/api/v1/candidates/").headers


def test_every_call_is_audited_with_its_token(app, make_user, api_as):
    inspector = make_user(INSPECTOR)
    api_as(inspector).get("/api/v1/vacancies/")
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "api_call"))
    token = db.session.scalar(sa.select(ApiToken))
    assert entry.user_id == inspector.id
    assert entry.details == {
        "token": token.id,
        "method": "GET",
        "path": "/api/v1/vacancies/",
        "status": 200,
    }
    assert token.last_used_at is not None


def test_problems_speak_the_requested_language(app, make_user, api_as):
    employer = make_user("employer")
    ru = api_as(employer, "ru").get("/api/v1/candidates/")
    kk = api_as(employer, "kk").get("/api/v1/candidates/")
    assert ru.status_code == kk.status_code == 403
    assert ru.json["code"] == kk.json["code"] == "forbidden"
    assert ru.json["title"] != kk.json["title"]


def test_calls_are_rate_limited_per_token(make_app, make_user, issue_token):
    app = make_app(RATELIMIT_ENABLED=True, API_RATE_LIMIT="3 per minute")
    inspector = make_user(INSPECTOR)
    first, second = issue_token(inspector), issue_token(inspector)
    client = app.test_client()

    def call(secret):
        return client.get("/api/v1/vacancies/", headers={"Authorization": f"Bearer {secret}"})

    assert [call(first).status_code for _ in range(4)] == [200, 200, 200, 429]
    limited = call(first)
    assert limited.json["code"] == "rate_limited" and "Retry-After" in limited.headers
    assert call(second).status_code == 200


def test_the_limiter_looks_at_api_calls_and_forms_sent_not_at_page_reads(
    make_app, make_user, issue_token, monkeypatch
):
    checked = []
    check = Limiter._check_request_limit

    def counted(self, *args, **kwargs):
        checked.append(flask.request.path)
        return check(self, *args, **kwargs)

    monkeypatch.setattr(Limiter, "_check_request_limit", counted)
    app = make_app(RATELIMIT_ENABLED=True)
    inspector = make_user(INSPECTOR)
    secret = issue_token(inspector)
    client = app.test_client()
    sign_in(client, inspector)
    assert client.get("/employers/vacancies").status_code == 200
    assert checked == []  # a page read: no limit applies, none is looked up
    client.get("/api/v1/vacancies/", headers={"Authorization": f"Bearer {secret}"})
    client.post("/auth/logout")
    assert checked == ["/api/v1/vacancies/", "/auth/logout"]
