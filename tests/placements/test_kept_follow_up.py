"""The inspector's follow-up page loses nothing typed into a check's form: sent after the session
ended, or from a page left open while the session moved on, the check is not recorded; the page
comes back with that check's form filled in and open (portal/placements/kept_steps.py). A check
that moved on meanwhile gets nothing put back: the page says so and shows what was typed."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal import clock
from portal.auth.kept_forms import RESTORED, STALE
from portal.auth.models import KeptForm
from portal.extensions import db
from portal.placements import lifecycle, retention
from portal.placements.followup import add_months
from portal.placements.models import Placement
from tests.auth.test_kept_forms import sign_in_by_form, token_of
from tests.helpers import enrolled, noon, sign_in, totp_now, translated
from tests.placements.helpers import HX, fresh
from tests.placements.test_followup_pages import checks
from tests.placements.test_kept_proposals import TOKEN, idle, signed_in_again, token_on

PAGE = "/placements/follow-up"
NOTE = "Басқа қалаға көшіп кетті, телефоны өшірулі"
NAME = "Жұмыста Жүр"


@pytest.fixture
def due(shop, make_candidate, frozen_clock) -> Placement:
    """A person hired today; the clock moves to the day their 3-month check is due."""
    placement = shop.hire(make_candidate(full_name=NAME))
    frozen_clock.move_to(noon(add_months(placement.hired_on, 3)))
    return placement


def ended_data(placement: Placement) -> dict:
    return {
        "version": placement.version,
        "next": PAGE,
        "milestone": 3,
        "outcome": "ended",
        "end_date": (placement.hired_on + timedelta(days=40)).isoformat(),
        "reason": "quit",
        "note": NOTE,
    }


def ended_form(html: str, placement: Placement) -> str:
    """The <details> of the row's "No longer employed" form."""
    start = html.index(f'id="follow-up-{placement.id}-3"')
    start = html.index("<details", start)
    return html[start : html.index("</details>", start)]


def signs_in(client, user) -> None:
    """Through the sign-in form and the second factor's, with their tokens (an inspector)."""
    sign_in_by_form(client, user)
    code = {"code": totp_now(), "csrf_token": token_of(client, "/auth/second-factor")}
    assert client.post("/auth/second-factor", data=code).status_code == 302


def timed_out_send(app, client, user, frozen_clock, placement, data) -> None:
    sign_in(client, user)
    frozen_clock.shift(idle(app) + 5)
    sent = client.post(f"/placements/{placement.id}/follow-up", data=data)
    assert sent.headers["Location"] == f"/auth/login?next={PAGE}"
    sign_in(client, user)
    with client.session_transaction() as session:
        session["kept_form_page"] = PAGE  # what signing in leaves (sign_in skips the form)


def test_an_end_sent_after_the_session_ended_comes_back_into_its_form(
    app, client, shop, make_candidate, make_vacancy, due, frozen_clock
):
    frozen_clock.move_to(noon(due.hired_on))
    other = shop.hire(make_candidate(full_name="Басқа Адам"), vacancy=make_vacancy(shop.employer))
    frozen_clock.move_to(noon(add_months(due.hired_on, 3)))
    data = ended_data(due)
    timed_out_send(app, client, shop.inspector, frozen_clock, due, data)
    html = client.get(PAGE).get_data(as_text=True)
    form = ended_form(html, due)
    assert form.startswith("<details open>")
    assert f'value="{data["end_date"]}"' in form
    assert '<option value="quit" selected>' in form and NOTE in form
    assert translated(app, RESTORED) in html
    assert html.count("<details open>") == 1  # the other rows stay folded
    assert checks() == [] and fresh(due.id).state == "hired"  # nothing recorded
    assert fresh(other.id).version == other.version
    again = client.get(PAGE).get_data(as_text=True)  # once
    assert "<details open>" not in again and translated(app, RESTORED) not in again
    # Sent again, it is recorded.
    assert client.post(f"/placements/{due.id}/follow-up", data=data).status_code == 303
    assert checks() == [(due.id, 3, False)] and fresh(due.id).state == "ended"


def test_still_employed_sent_after_the_session_ended_is_not_recorded(
    app, client, shop, due, frozen_clock
):
    """A button: nothing typed to put back; the row offers it still."""
    data = {"version": due.version, "next": PAGE, "milestone": 3, "outcome": "employed"}
    timed_out_send(app, client, shop.inspector, frozen_clock, due, data)
    html = client.get(PAGE).get_data(as_text=True)
    assert f'id="follow-up-{due.id}-3"' in html and "<details open>" not in html
    assert translated(app, RESTORED) not in html
    assert checks() == []
    assert db.session.scalar(sa.select(KeptForm)) is None  # taken by the page
    assert client.post(f"/placements/{due.id}/follow-up", data=data).status_code == 303
    assert checks() == [(due.id, 3, True)]


def test_a_check_whose_person_left_meanwhile_shows_what_was_typed_to_copy(
    app, client, shop, due, frozen_clock
):
    timed_out_send(app, client, shop.inspector, frozen_clock, due, ended_data(due))
    # Meanwhile the employer records the end: the check is still due, its end is not.
    lifecycle.end(due.id, due.version, shop.employer_user, clock.today(), "quit")
    html = client.get(PAGE).get_data(as_text=True)
    said = translated(
        app,
        "The check of %(name)s has changed since: what you typed for “%(step)s” could not be "
        "put back into its form. Here it is, to copy:",
        name=NAME,
        step=translated(app, "No longer employed"),
    )
    assert said in html
    copy = html[html.index(said) : html.index("</dl>", html.index(said))]
    assert NOTE in copy and translated(app, "Reason") in copy
    assert "<details" not in html[html.index(f'id="follow-up-{due.id}-3"') :].split("</tr>")[0]
    assert checks() == []


def test_a_check_recorded_meanwhile_shows_what_was_typed_to_copy(
    app, client, shop, due, frozen_clock
):
    timed_out_send(app, client, shop.inspector, frozen_clock, due, ended_data(due))
    retention.record_check(due.id, due.version, 3, shop.inspector, clock.today(), True)
    html = client.get(PAGE).get_data(as_text=True)
    said = translated(
        app,
        "The check is no longer on this page: what you typed for “%(step)s” could not be put "
        "back into its form. Here it is, to copy:",
        step=translated(app, "No longer employed"),
    )
    assert said in html and NOTE in html
    assert f'id="follow-up-{due.id}-3"' not in html
    assert checks() == [(due.id, 3, True)]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_an_end_from_a_page_open_since_an_earlier_sign_in_comes_back_not_recorded(
    csrf_app, shop, due, frozen_clock, lang
):
    shop.inspector.locale = lang
    db.session.commit()
    client = csrf_app.test_client()
    enrolled(shop.inspector)
    signs_in(client, shop.inspector)
    old_token = token_on(client, PAGE)
    signed_in_again(csrf_app, client, shop.inspector, frozen_clock, signs_in)
    data = {"csrf_token": old_token, **ended_data(due)}
    sent = client.post(f"/placements/{due.id}/follow-up", data=data, headers=HX)
    assert sent.status_code == 204 and sent.headers["HX-Redirect"] == PAGE  # the whole page
    assert checks() == []  # not recorded without a valid token
    html = client.get(PAGE).get_data(as_text=True)
    message = translated(csrf_app, STALE, lang)
    assert not message.startswith("This page") and message in html  # translated
    assert translated(csrf_app, RESTORED, lang) not in html
    form = ended_form(html, due)
    assert form.startswith("<details open>")
    assert '<option value="quit" selected>' in form and NOTE in form
    assert checks() == [] and fresh(due.id).state == "hired"
    # Sent again, with the page's fresh token, it is recorded.
    data["csrf_token"] = TOKEN.search(form).group(1)
    assert client.post(f"/placements/{due.id}/follow-up", data=data).status_code == 303
    assert checks() == [(due.id, 3, False)]
