"""A session that ends while a form is being typed loses nothing: the form sent afterwards is
kept for its user, who finds it filled in after signing in again (portal/auth/kept_forms.py),
and no one else does. The idle warning and its "stay signed in"."""

import re

import pytest
import sqlalchemy as sa

from portal.auth.models import KeptForm
from portal.auth.sessions import KEPT, SEEN_STEP_SECONDS
from portal.employers.models import Vacancy
from portal.extensions import db
from tests.employers.helpers import vacancy_data
from tests.helpers import PASSWORD, enrolled, login, sign_in, totp_now, translated

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
NEW = "/employers/vacancies/new"
TYPED = "Тігінші, кешкі ауысым"  # the title typed before the session ended
RESTORED = "Your session had ended; here is what you typed. Check it and save."


@pytest.fixture
def csrf_app(make_app):
    return make_app(WTF_CSRF_ENABLED=True)


def token_of(client, path: str) -> str:
    """The page's CSRF token ("" where the app checks none)."""
    found = TOKEN.search(client.get(path).get_data(as_text=True))
    return found.group(1) if found else ""


def sign_in_by_form(client, user, next_page: str | None = None):
    query = f"?next={next_page}" if next_page else ""
    data = {
        "email": user.email,
        "password": PASSWORD,
        "csrf_token": token_of(client, "/auth/login"),
    }
    if next_page:
        data["next"] = next_page
    return client.post(f"/auth/login{query}", data=data)


def idle(app) -> int:
    return app.config["SESSION_IDLE_MINUTES"] * 60 + SEEN_STEP_SECONDS  # the longest idle


def typed_too_late(app, client, frozen_clock, **overrides):
    """Open the new-vacancy form, type, leave it past the idle limit, send it."""
    token = token_of(client, NEW)
    frozen_clock.shift(idle(app) + 5)
    data = vacancy_data(title_kk=TYPED, csrf_token=token, **overrides)
    return client.post(NEW, data=data)


def test_a_form_sent_after_the_session_ended_is_filled_in_again_after_signing_in(
    csrf_app, make_user, frozen_clock
):
    user = make_user("employer")
    client = csrf_app.test_client()
    sign_in_by_form(client, user)
    sent = typed_too_late(csrf_app, client, frozen_clock)
    # Not "the form has expired" (400): to the sign-in page, coming back to the form.
    assert sent.status_code == 302
    assert sent.headers["Location"] == "/auth/login?next=/employers/vacancies/new"
    assert db.session.scalar(sa.select(sa.func.count(Vacancy.id))) == 0  # nothing saved
    login_page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert translated(csrf_app, KEPT) in login_page

    signed_in = sign_in_by_form(client, user, NEW)
    assert signed_in.headers["Location"] == NEW
    page = client.get(NEW).get_data(as_text=True)
    assert TYPED in page and translated(csrf_app, RESTORED) in page
    assert 'value="Өндіріс көшесі, 12"' in page
    assert db.session.scalar(sa.select(sa.func.count(Vacancy.id))) == 0  # still nothing saved
    again = client.get(NEW).get_data(as_text=True)  # shown once
    assert TYPED not in again and translated(csrf_app, RESTORED) not in again
    assert db.session.scalar(sa.select(sa.func.count(KeptForm.user_id))) == 0
    # Sent again, it saves.
    data = vacancy_data(title_kk=TYPED, csrf_token=token_of(client, NEW))
    assert client.post(NEW, data=data).status_code == 302
    assert db.session.scalar(sa.select(Vacancy.title_kk)) == TYPED


def test_another_user_signing_in_on_that_browser_does_not_get_it(
    app, client, make_user, frozen_clock
):
    first, second = make_user("employer"), make_user("employer")
    sign_in(client, first)
    typed_too_late(app, client, frozen_clock)
    assert login(client, second, next=NEW).headers["Location"] == NEW
    page = client.get(NEW).get_data(as_text=True)
    assert TYPED not in page and translated(app, RESTORED) not in page
    # It stays the first user's, for them only.
    elsewhere = app.test_client()
    login(elsewhere, first, next=NEW)
    assert TYPED in elsewhere.get(NEW).get_data(as_text=True)


def test_passwords_and_the_csrf_token_are_never_kept(csrf_app, make_user, frozen_clock):
    user = make_user("employer")
    client = csrf_app.test_client()
    sign_in_by_form(client, user)
    typed_too_late(csrf_app, client, frozen_clock, password="Secret-pass-1", new_password="x")
    kept = db.session.scalar(sa.select(KeptForm))
    names = {name for name, _value in kept.fields}
    assert kept.path == NEW and "title_kk" in names
    assert not names & {"password", "new_password", "csrf_token"}
    # The password form itself (the sign-in pages' forms) is never kept.
    db.session.execute(sa.delete(KeptForm))
    db.session.commit()
    sign_in_by_form(client, user)
    token = token_of(client, "/auth/account")
    frozen_clock.shift(idle(csrf_app) + 5)
    data = {"current_password": PASSWORD, "new_password": "n", "confirm": "n", "csrf_token": token}
    client.post("/auth/account/password", data=data)
    assert db.session.scalar(sa.select(KeptForm)) is None


def test_a_form_of_another_session_is_not_kept(csrf_app, make_user, frozen_clock):
    """A token that is not the session's (a forged or stale form): nothing is kept."""
    user = make_user("employer")
    client = csrf_app.test_client()
    sign_in_by_form(client, user)
    client.get(NEW)
    frozen_clock.shift(idle(csrf_app) + 5)
    sent = client.post(NEW, data=vacancy_data(csrf_token="forged"))
    assert sent.status_code == 302 and "next=" not in sent.headers["Location"]
    assert db.session.scalar(sa.select(KeptForm)) is None


def test_with_the_second_factor_the_code_leads_back_to_the_form(
    app, client, make_user, frozen_clock
):
    user = enrolled(make_user("employer"))
    sign_in(client, user)
    sent = typed_too_late(app, client, frozen_clock)
    assert sent.headers["Location"] == "/auth/login?next=/employers/vacancies/new"
    assert login(client, user, next=NEW).headers["Location"] == "/auth/second-factor"
    done = client.post("/auth/second-factor", data={"code": totp_now()})
    assert done.headers["Location"] == NEW
    assert TYPED in client.get(NEW).get_data(as_text=True)


def test_kept_forms_expire(app, client, make_user, frozen_clock):
    user = make_user("employer")
    sign_in(client, user)
    typed_too_late(app, client, frozen_clock)
    frozen_clock.shift(app.config["KEPT_FORM_MINUTES"] * 60 + 5)
    login(client, user, next=NEW)
    assert TYPED not in client.get(NEW).get_data(as_text=True)


def test_an_htmx_post_after_the_end_loads_the_sign_in_page_whole(
    app, client, make_user, frozen_clock
):
    sign_in(client, make_user("employer"))
    frozen_clock.shift(idle(app) + 5)
    sent = client.post(NEW, data=vacancy_data(), headers={"HX-Request": "true"})
    assert sent.status_code == 204
    assert sent.headers["HX-Redirect"] == "/auth/login?next=/employers/vacancies/new"


def test_pages_say_when_the_session_ends_and_stay_signed_in_restarts_it(
    app, client, make_user, frozen_clock
):
    sign_in(client, make_user("akimat"))
    page = client.get("/").get_data(as_text=True)
    # The browser counts the limit itself: the server's end is never sooner (auth/sessions.py).
    configured = app.config["SESSION_IDLE_MINUTES"] * 60
    assert f'data-idle-seconds="{configured}"' in page and 'id="session-warning"' in page
    assert 'class="session-note"' in page  # the time it ends, said without a script
    frozen_clock.shift(idle(app) - 60)
    fetched = client.post("/auth/session/keep-alive", headers={"X-Requested-With": "fetch"})
    assert fetched.status_code == 204
    frozen_clock.shift(idle(app) - 60)
    plain = client.post("/auth/session/keep-alive", data={"next": "/stats/"})
    assert plain.status_code == 303 and plain.headers["Location"] == "/stats/"
    assert client.get("/").status_code == 200  # still signed in
    assert 'id="session-warning"' not in app.test_client().get("/auth/login").text
