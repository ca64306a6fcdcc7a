"""A form sent from a tab left open while the session moved on (it ended, and the user signed
in again in another tab) carries a CSRF token of the older session: refused, never taken. For
the signed-in user of a valid session it is kept (portal/auth/kept_forms.py, keep_stale) and its
page shown again, filled in, with a word in the user's language; anyone else gets the 400 page
as before. Never a password, nor a form of another site or with a token the portal never issued."""

import pytest
import sqlalchemy as sa

from portal.auth.kept_forms import MAX_KEPT_CHARS, RESTORED, STALE
from portal.auth.models import KeptForm
from portal.employers.models import Vacancy
from portal.errors import CSRF_MESSAGE
from portal.extensions import db
from tests.auth.test_kept_forms import NEW, TYPED, idle, sign_in_by_form, token_of
from tests.employers.helpers import vacancy_data
from tests.helpers import PASSWORD, translated


@pytest.fixture
def csrf_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True)


def vacancies() -> int:
    return db.session.scalar(sa.select(sa.func.count(Vacancy.id)))


def old_tab(app, client, user, frozen_clock, page: str = NEW) -> str:
    """A token of `page` opened before the session ended and the user signed in again."""
    sign_in_by_form(client, user)
    token = token_of(client, page)
    assert token
    frozen_clock.shift(idle(app) + 5)
    client.get("/")  # the session has ended
    sign_in_by_form(client, user)
    return token


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_form_from_an_old_tab_comes_back_filled_in_and_is_not_saved(
    csrf_app, make_user, frozen_clock, lang
):
    user = make_user("employer", locale=lang)
    client = csrf_app.test_client()
    token = old_tab(csrf_app, client, user, frozen_clock)
    sent = client.post(NEW, data=vacancy_data(title_kk=TYPED, csrf_token=token))
    assert sent.status_code == 302 and sent.headers["Location"] == NEW
    assert vacancies() == 0  # not without a valid token
    page = client.get(NEW).get_data(as_text=True)
    message = translated(csrf_app, STALE, lang)
    assert not message.startswith("This page") and message in page
    assert translated(csrf_app, RESTORED, lang) not in page  # one message, the right one
    assert TYPED in page and 'value="Өндіріс көшесі, 12"' in page
    assert vacancies() == 0
    assert TYPED not in client.get(NEW).get_data(as_text=True)  # shown once
    # Sent again with the page's token, it saves.
    data = vacancy_data(title_kk=TYPED, csrf_token=token_of(client, NEW))
    assert client.post(NEW, data=data).status_code == 302
    assert db.session.scalar(sa.select(Vacancy.title_kk)) == TYPED


def test_without_a_signed_in_session_the_form_expired_page_stays(csrf_app, make_user, frozen_clock):
    """Signed out since (in another tab): the old tab's form is refused as before."""
    client = csrf_app.test_client()
    sign_in_by_form(client, make_user("employer"))
    token = token_of(client, NEW)
    client.post("/auth/logout", data={"csrf_token": token})
    sent = client.post(NEW, data=vacancy_data(csrf_token=token))
    assert sent.status_code == 400
    assert translated(csrf_app, CSRF_MESSAGE) in sent.get_data(as_text=True)
    assert db.session.scalar(sa.select(KeptForm)) is None


@pytest.mark.parametrize(
    "how",
    [
        {"data": {"csrf_token": "forged"}},  # a token the portal never issued
        {"headers": {"Origin": "https://elsewhere.example"}},  # sent from another site
    ],
)
def test_a_forged_token_or_another_sites_form_is_refused_and_not_kept(
    csrf_app, make_user, frozen_clock, how
):
    user = make_user("employer")
    client = csrf_app.test_client()
    token = old_tab(csrf_app, client, user, frozen_clock)
    data = vacancy_data(title_kk=TYPED, csrf_token=token) | how.get("data", {})
    sent = client.post(NEW, data=data, headers=how.get("headers", {}))
    assert sent.status_code == 400
    assert translated(csrf_app, CSRF_MESSAGE) in sent.get_data(as_text=True)
    assert db.session.scalar(sa.select(KeptForm)) is None and vacancies() == 0


def test_passwords_are_never_kept_from_an_old_tab(csrf_app, make_user, frozen_clock):
    user = make_user("employer")
    client = csrf_app.test_client()
    token = old_tab(csrf_app, client, user, frozen_clock, "/auth/account")
    data = {"current_password": PASSWORD, "new_password": "n", "confirm": "n", "csrf_token": token}
    assert client.post("/auth/account/password", data=data).status_code == 400
    assert db.session.scalar(sa.select(KeptForm)) is None
    # A password-named field of any other form is left out of what is kept.
    token = token_of(client, NEW)
    frozen_clock.shift(idle(csrf_app) + 5)
    client.get("/")
    sign_in_by_form(client, user)
    data = vacancy_data(title_kk=TYPED, csrf_token=token, password="Secret-pass-1")
    client.post(NEW, data=data)
    names = {name for name, _value in db.session.scalar(sa.select(KeptForm)).fields}
    assert "title_kk" in names and not names & {"password", "csrf_token"}


def test_a_form_too_long_to_keep_gets_the_form_expired_page(csrf_app, make_user, frozen_clock):
    user = make_user("employer")
    client = csrf_app.test_client()
    token = old_tab(csrf_app, client, user, frozen_clock)
    data = vacancy_data(csrf_token=token, description_kk="ж" * MAX_KEPT_CHARS)
    assert client.post(NEW, data=data).status_code == 400
    assert db.session.scalar(sa.select(KeptForm)) is None
