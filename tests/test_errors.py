"""Error pages: in the user's language, with no internals."""

import pytest
from flask_babel import force_locale

from portal.errors import CSRF_MESSAGE, MESSAGES
from tests.helpers import sign_in


def expected(app, lang: str, text) -> str:
    with app.test_request_context(), force_locale(lang):
        return str(text)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_404_in_both_languages(app, client, lang):
    response = client.get("/no/such/page", headers={"Accept-Language": lang})
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert expected(app, lang, MESSAGES[404][0]) in html


def test_403_for_a_role_without_access(app, client, make_user):
    sign_in(client, make_user("employer"))
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert expected(app, "kk", MESSAGES[403][0]) in response.get_data(as_text=True)


def test_405_is_a_page_too(client):
    assert client.get("/auth/logout").status_code == 405


def test_500_shows_no_internals(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    response = app.test_client().get("/boom", headers={"Accept-Language": "ru"})
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internal detail" not in html and "Traceback" not in html
    assert expected(app, "ru", MESSAGES[500][0]) in html


def test_form_without_csrf_token_is_refused(make_app, make_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    user = make_user("admin")
    response = client.post("/auth/login", data={"email": user.email, "password": "x"})
    assert response.status_code == 400
    assert expected(app, "kk", CSRF_MESSAGE) in response.get_data(as_text=True)


def test_htmx_posts_carry_the_csrf_token_from_the_layout(make_app):
    html = make_app(WTF_CSRF_ENABLED=True).test_client().get("/auth/login").get_data(as_text=True)
    assert '<meta name="csrf-token" content="' in html
