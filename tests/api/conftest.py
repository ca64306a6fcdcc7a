"""API fixtures: a token for a user, and a client that sends it."""

from datetime import timedelta

import pytest

from portal import clock
from portal.api import tokens
from portal.auth.models import ADMIN
from portal.extensions import db


class TokenClient:
    """The app's test client, sending the user's token (and a language) with every call."""

    def __init__(self, client, secret: str, language: str = "ru"):
        self.client, self.secret, self.language = client, secret, language

    def open(self, path: str, method: str = "GET", headers=None, **kwargs):
        sent = {"Authorization": f"Bearer {self.secret}", "Accept-Language": self.language}
        return self.client.open(path, method=method, headers={**sent, **(headers or {})}, **kwargs)

    def get(self, path, **kwargs):
        return self.open(path, **kwargs)

    def post(self, path, **kwargs):
        return self.open(path, "POST", **kwargs)

    def patch(self, path, **kwargs):
        return self.open(path, "PATCH", **kwargs)

    def put(self, path, **kwargs):
        return self.open(path, "PUT", **kwargs)

    def delete(self, path, **kwargs):
        return self.open(path, "DELETE", **kwargs)


@pytest.fixture
def issue_token(app, make_user):
    """issue_token(user) → the token's secret, issued by an administrator for a month."""
    admin = []

    def issue(user, days: int = 30) -> str:
        if not admin:
            admin.append(make_user(ADMIN))
        _token, secret = tokens.issue(user, "test", clock.today() + timedelta(days=days), admin[0])
        db.session.commit()
        return secret

    return issue


@pytest.fixture
def api_as(app, issue_token):
    """api_as(user, language="ru") → a client acting with a token of `user`."""

    def make(user, language: str = "ru") -> TokenClient:
        return TokenClient(app.test_client(), issue_token(user), language)

    return make
