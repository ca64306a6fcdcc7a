"""Language choice: the user's setting, then the cookie, then Accept-Language, default Kazakh."""

import pytest

from portal.extensions import db
from portal.i18n import LANG_COOKIE, format_tenge
from tests.helpers import sign_in


def page_lang(response) -> str:
    html = response.get_data(as_text=True)
    start = html.index('<html lang="') + len('<html lang="')
    return html[start : html.index('"', start)]


def test_default_is_kazakh(client):
    assert page_lang(client.get("/auth/login")) == "kk"


@pytest.mark.parametrize(
    "header, expected",
    [
        ("ru-RU,ru;q=0.9", "ru"),
        ("kk", "kk"),
        ("en-US,en;q=0.8", "kk"),
        ("de, ru;q=0.5", "ru"),
    ],
)
def test_accept_language(client, header, expected):
    assert page_lang(client.get("/auth/login", headers={"Accept-Language": header})) == expected


def test_switch_sets_a_cookie_that_beats_accept_language(client):
    response = client.post("/language", data={"locale": "ru", "next": "/auth/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    assert client.get_cookie(LANG_COOKIE).value == "ru"
    assert page_lang(client.get("/auth/login", headers={"Accept-Language": "kk"})) == "ru"


def test_unknown_language_is_ignored(client):
    client.post("/language", data={"locale": "en", "next": "/"})
    assert client.get_cookie(LANG_COOKIE) is None
    assert page_lang(client.get("/")) == "kk"


def test_switch_never_redirects_off_site(client):
    response = client.post("/language", data={"locale": "ru", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_user_setting_beats_cookie_and_is_saved(client, make_user):
    user = make_user("inspector", locale="kk")
    sign_in(client, user)
    client.set_cookie(LANG_COOKIE, "kk")
    client.post("/language", data={"locale": "ru", "next": "/"})
    db.session.refresh(user)
    assert user.locale == "ru"
    client.set_cookie(LANG_COOKIE, "kk")  # an old cookie on another device
    assert page_lang(client.get("/")) == "ru"


def test_language_follows_the_user_after_login(client, make_user):
    user = make_user("akimat", locale="ru")
    sign_in(client, user)
    assert page_lang(client.get("/")) == "ru"


def test_switch_form_works_without_javascript(client):
    html = client.get("/auth/login").get_data(as_text=True)
    assert 'action="/language"' in html and 'name="locale" value="ru"' in html


def test_tenge_is_formatted_for_each_language(app):
    with app.test_request_context(headers={"Accept-Language": "ru"}):
        assert format_tenge(150000) == "150\xa0000\xa0₸"
    with app.test_request_context(headers={"Accept-Language": "kk"}):
        assert format_tenge(1234567) == "1\xa0234\xa0567\xa0₸"
