"""The employer's proposals page loses nothing typed into a step's form: sent after the session
ended, or from a page left open while the session moved on (its CSRF token an older one), the
step is not taken; its page comes back with the step's form of that proposal filled in and open
(portal/placements/kept_steps.py). A proposal that moved on meanwhile gets nothing put back:
the page says so and shows what was typed."""

import re
from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa

from portal import clock
from portal.auth.kept_forms import RESTORED, STALE
from portal.auth.models import KeptForm
from portal.auth.sessions import SEEN_STEP_SECONDS
from portal.extensions import db
from portal.placements import lifecycle
from portal.placements.models import Placement
from tests.auth.test_kept_forms import sign_in_by_form
from tests.helpers import TEST_TODAY, sign_in, translated
from tests.placements.helpers import BOOKING, HX, fresh

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
NOTE = "Тәжірибесі аз, кейін хабарласамыз"
INTERVIEW = {**BOOKING, "place": "Цех №3", "note": "Паспортты алып келіңіз"}


def idle(app) -> int:
    return app.config["SESSION_IDLE_MINUTES"] * 60 + SEEN_STEP_SECONDS  # the longest idle


def page_of(placement: Placement) -> str:
    return f"/placements/vacancies/{placement.vacancy_id}"


def step_form(html: str, placement: Placement, step_path: str) -> str:
    """The <details> of the row's step form posting to `step_path`."""
    start = html.index(f'action="/placements/{placement.id}/{step_path}"')
    start = html.rindex("<details", 0, start)
    return html[start : html.index("</details>", start)]


def staged(shop, make_candidate, state: str) -> Placement:
    candidate = make_candidate()
    if state == "proposed":
        return shop.propose(candidate)
    if state == "booked":
        p = shop.propose(candidate)
        booking = lifecycle.Booking(
            starts_at=datetime.combine(TEST_TODAY + timedelta(days=1), time(9), clock.LOCAL_ZONE),
            place="Кеңсе",
        )
        return lifecycle.accept_for_interview(
            p.id, p.version, shop.employer_user, TEST_TODAY, booking
        )
    if state == "interview":
        return shop.interview(candidate)
    return shop.hire(candidate)


# Each step form of the page: the proposal's state, the step's address, what is typed, and
# what the refilled form must show.
STEPS = {
    "interview": (
        "proposed",
        "interview",
        {**INTERVIEW, "by_phone": "y"},
        [
            f'value="{BOOKING["day"]}"',
            'value="10:00"',
            'value="Цех №3"',
            "checked",
            INTERVIEW["note"],
        ],
    ),
    "move_interview": (
        "booked",
        "interview/move",
        {**INTERVIEW, "at": "15:30"},
        [f'value="{BOOKING["day"]}"', 'value="15:30"', 'value="Цех №3"', INTERVIEW["note"]],
    ),
    "hire": (
        "interview",
        "hire",
        {"start_date": (TEST_TODAY + timedelta(days=9)).isoformat()},
        [f'value="{(TEST_TODAY + timedelta(days=9)).isoformat()}"'],
    ),
    "decline": (
        "proposed",
        "decline",
        {"reason": "no_experience", "note": NOTE},
        ['<option value="no_experience" selected>', NOTE],
    ),
    "end": (
        "hired",
        "end",
        {"end_date": (TEST_TODAY + timedelta(days=3)).isoformat(), "reason": "quit", "note": NOTE},
        [
            f'value="{(TEST_TODAY + timedelta(days=3)).isoformat()}"',
            '<option value="quit" selected>',
            NOTE,
        ],
    ),
}


@pytest.mark.parametrize("step", STEPS)
def test_a_step_sent_after_the_session_ended_comes_back_into_its_form(
    app, client, shop, make_candidate, frozen_clock, step
):
    state, path, typed, shown = STEPS[step]
    placement = staged(shop, make_candidate, state)
    other = shop.propose(make_candidate())  # another row, whose forms stay empty
    page = page_of(placement)
    sign_in(client, shop.employer_user)
    frozen_clock.shift(idle(app) + 5)
    data = {"version": placement.version, "next": page, **typed}
    sent = client.post(f"/placements/{placement.id}/{path}", data=data)
    assert sent.headers["Location"] == f"/auth/login?next={page}"
    sign_in(client, shop.employer_user)
    with client.session_transaction() as session:
        session["kept_form_page"] = page  # what signing in leaves (sign_in skips the form)
    html = client.get(page).get_data(as_text=True)
    form = step_form(html, placement, path)
    assert form.startswith("<details open>")
    for text in shown:
        assert text in form
    assert translated(app, RESTORED) in html
    assert html.count("<details open>") == 1  # the other steps and rows stay folded
    assert fresh(placement.id).version == placement.version  # nothing taken
    assert fresh(other.id).version == other.version
    again = client.get(page).get_data(as_text=True)  # once
    assert "<details open>" not in again and translated(app, RESTORED) not in again


def test_a_proposal_that_moved_on_meanwhile_shows_what_was_typed_to_copy(
    app, client, shop, make_candidate, frozen_clock
):
    placement = shop.propose(make_candidate())
    page = page_of(placement)
    sign_in(client, shop.employer_user)
    frozen_clock.shift(idle(app) + 5)
    data = {"version": placement.version, "next": page, "reason": "no_experience", "note": NOTE}
    client.post(f"/placements/{placement.id}/decline", data=data)
    # Meanwhile the inspector withdraws the proposal: there is no decline to fill in.
    lifecycle.withdraw(placement.id, placement.version, shop.inspector, "other", "")
    sign_in(client, shop.employer_user)
    with client.session_transaction() as session:
        session["kept_form_page"] = page
    html = client.get(page).get_data(as_text=True)
    said = translated(
        app,
        "The proposal of candidate %(code)s has changed since: what you typed for “%(step)s” "
        "could not be put back into its form. Here it is, to copy:",
        code=placement.candidate.code,
        step=translated(app, "Decline"),
    )
    assert said in html
    copy = html[html.index(said) : html.index("</dl>", html.index(said))]
    assert NOTE in copy and translated(app, "Reason") in copy
    assert "<details open>" not in html
    assert fresh(placement.id).state == "withdrawn"


def signed_in_again(app, client, user, frozen_clock, signs_in=sign_in_by_form) -> None:
    """The page stays open in one tab; the session ends, and the user signs in again in
    another tab (a new session: new tokens)."""
    frozen_clock.shift(idle(app) + 5)
    client.get("/")
    signs_in(client, user)


def token_on(client, page: str) -> str:
    return TOKEN.search(client.get(page).get_data(as_text=True)).group(1)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_step_from_a_page_open_since_an_earlier_sign_in_comes_back_not_taken(
    csrf_app, shop, make_candidate, frozen_clock, lang
):
    shop.employer_user.locale = lang
    db.session.commit()
    placement = shop.propose(make_candidate())
    page = page_of(placement)
    client = csrf_app.test_client()
    sign_in_by_form(client, shop.employer_user)
    old_token = token_on(client, page)
    signed_in_again(csrf_app, client, shop.employer_user, frozen_clock)
    data = {"csrf_token": old_token, "version": placement.version, "next": page}
    data |= {"reason": "no_experience", "note": NOTE}
    sent = client.post(f"/placements/{placement.id}/decline", data=data, headers=HX)
    assert sent.status_code == 204 and sent.headers["HX-Redirect"] == page  # the whole page
    assert fresh(placement.id).state == "proposed"  # not taken without a valid token
    html = client.get(page).get_data(as_text=True)
    message = translated(csrf_app, STALE, lang)
    assert not message.startswith("This page") and message in html  # translated
    assert translated(csrf_app, RESTORED, lang) not in html
    form = step_form(html, placement, "decline")
    assert '<option value="no_experience" selected>' in form and NOTE in form
    assert fresh(placement.id).state == "proposed"
    # Sent again, with the page's fresh token, it is taken.
    data["csrf_token"] = TOKEN.search(form).group(1)
    assert client.post(f"/placements/{placement.id}/decline", data=data).status_code == 303
    assert fresh(placement.id).state == "declined"


def test_a_cancel_from_an_old_page_says_to_send_it_again(
    csrf_app, shop, make_candidate, frozen_clock
):
    """Nothing typed (a button): the page still says what happened."""
    placement = staged(shop, make_candidate, "booked")
    page = page_of(placement)
    client = csrf_app.test_client()
    sign_in_by_form(client, shop.employer_user)
    old_token = token_on(client, page)
    signed_in_again(csrf_app, client, shop.employer_user, frozen_clock)
    data = {"csrf_token": old_token, "version": placement.version, "next": page}
    sent = client.post(f"/placements/{placement.id}/interview/cancel", data=data)
    assert sent.status_code == 302 and sent.headers["Location"] == page
    html = client.get(page).get_data(as_text=True)
    assert translated(csrf_app, STALE) in html
    assert fresh(placement.id).interview.cancelled_at is None
    assert db.session.scalar(sa.select(KeptForm)) is None  # taken by the page
