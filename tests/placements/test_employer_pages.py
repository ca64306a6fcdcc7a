"""The employer's proposals page: grouped by state, steps that swap their row with htmx and work
without JavaScript, stale pages and forged ids refused, refusals shown with nothing changed."""

import re
from datetime import timedelta

import pytest
from flask_babel import gettext

from portal import clock
from portal.candidates.models import Offence
from portal.extensions import db
from portal.placements.display import MSG_ASK_INSPECTOR
from portal.placements.lifecycle import MSG_STALE
from tests.placements.helpers import BOOKING, HX, client_for, fresh, history, in_language, snapshot


def proposals_page(client, vacancy) -> str:
    response = client.get(f"/placements/vacancies/{vacancy.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_proposals_are_grouped_by_state_decisions_first(app, shop, make_candidate):
    waiting, invited, turned_down = make_candidate(), make_candidate(), make_candidate()
    shop.propose(waiting)
    shop.interview(invited)
    p = shop.propose(turned_down)
    client = client_for(app, shop.employer_user)
    client.post(f"/placements/{p.id}/decline", data={"version": p.version, "reason": "no_show"})
    page = proposals_page(client, shop.vacancy)
    positions = [page.index(c.code) for c in (waiting, invited, turned_down)]
    assert positions == sorted(positions)  # proposed, then interview, then declined
    assert page.count("<section>") >= 3


def test_a_step_with_htmx_answers_with_the_row_alone(app, shop, make_candidate):
    p = shop.propose(make_candidate())
    client = client_for(app, shop.employer_user)
    page = proposals_page(client, shop.vacancy)
    assert f'hx-post="/placements/{p.id}/interview"' in page and 'hx-target="closest tr"' in page
    response = client.post(
        f"/placements/{p.id}/interview", data={"version": p.version, **BOOKING}, headers=HX
    )
    row = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in row
    assert row.strip().startswith(f'<tr id="placement-{p.id}"')
    assert fresh(p.id).state == "interview"
    # The new row offers the next steps, with the new version.
    assert f'action="/placements/{p.id}/hire"' in row
    assert f'name="version" value="{fresh(p.id).version}"' in row
    # The full page renders the very same row.
    assert re.sub(r"\s+", " ", row.split("</tr>")[0].split("</td>", 6)[5]) in re.sub(
        r"\s+", " ", proposals_page(client, shop.vacancy)
    )


def test_without_javascript_the_step_redirects_back_with_a_message(app, shop, make_candidate):
    p = shop.interview(make_candidate())
    client = client_for(app, shop.employer_user)
    start = clock.today() + timedelta(days=3)
    response = client.post(
        f"/placements/{p.id}/hire",
        data={
            "version": p.version,
            "start_date": start.isoformat(),
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/placements/vacancies/{shop.vacancy.id}"
    assert (fresh(p.id).state, fresh(p.id).hired_on) == ("hired", start)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert in_language(app, "kk", lambda: gettext("The hire has been recorded.")) in page


def test_a_stale_page_is_refused_and_nothing_changes(app, shop, make_candidate):
    p = shop.propose(make_candidate())
    opened = p.version  # the page was opened at this version
    client = client_for(app, shop.employer_user)
    client.post(f"/placements/{p.id}/interview", data={"version": opened, **BOOKING})  # another tab
    before = snapshot()
    row = client.post(
        f"/placements/{p.id}/decline", data={"version": opened, "reason": "no_show"}, headers=HX
    )
    text = row.get_data(as_text=True)
    assert in_language(app, "kk", lambda: MSG_STALE) in text
    assert snapshot() == before and fresh(p.id).state == "interview"
    # The row now carries the current version, so the user can go on from it.
    assert f'name="version" value="{fresh(p.id).version}"' in text


def test_a_forged_placement_id_is_not_found_and_changes_nothing(
    app, shop, make_candidate, make_vacancy
):
    other_vacancy = make_vacancy(title_ru="Чужая")  # another organisation's
    theirs = shop.propose(make_candidate(), vacancy=other_vacancy)
    client = client_for(app, shop.employer_user)
    before = snapshot()
    for step in ("interview", "decline", "hire", "end"):
        response = client.post(
            f"/placements/{theirs.id}/{step}",
            data={"version": theirs.version, "reason": "no_show"},
            headers=HX,
        )
        assert response.status_code == 404
    assert client.get(f"/placements/vacancies/{other_vacancy.id}").status_code == 404
    assert client.post(f"/placements/{theirs.id}/withdraw", data={}).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize(
    "case", ["no_reason", "places_taken", "start_before_proposal", "vacancy_closed", "no_version"]
)
def test_each_refusal_is_shown_in_the_row_and_nothing_changes(app, shop, make_candidate, case):
    p = shop.interview(make_candidate())
    step, data = "hire", {"version": p.version, "start_date": clock.today().isoformat()}
    expected = None
    if case == "no_reason":
        step, data = "decline", {"version": p.version}
        expected = lambda: gettext("Choose a reason.")  # noqa: E731
    elif case == "places_taken":
        shop.hire(make_candidate())  # the only place
        expected = lambda: gettext("All places of this vacancy are taken.")  # noqa: E731
    elif case == "start_before_proposal":
        data["start_date"] = (clock.today() - timedelta(days=10)).isoformat()
        expected = lambda: gettext("The start date cannot be before the proposal.")  # noqa: E731
    elif case == "vacancy_closed":
        shop.vacancy.status = "closed"
        db.session.commit()
        expected = lambda: gettext(  # noqa: E731
            "The vacancy is closed: no decisions can be taken on it."
        )
    else:
        del data["version"]
        expected = lambda: gettext(  # noqa: E731
            "The form is incomplete. Reload the page and try again."
        )
    client = client_for(app, shop.employer_user)
    before = snapshot()
    row = client.post(f"/placements/{p.id}/{step}", data=data, headers=HX).get_data(as_text=True)
    assert 'role="alert"' in row and in_language(app, "kk", expected) in row
    assert snapshot() == before
    # Without JavaScript: the same message as a flash on the page it came from.
    response = client.post(f"/placements/{p.id}/{step}", data=data, follow_redirects=True)
    assert in_language(app, "kk", expected) in response.get_data(as_text=True)
    assert snapshot() == before


def test_an_employer_is_not_told_why_a_candidate_is_no_longer_eligible(app, shop, make_candidate):
    candidate = make_candidate(offences=[Offence(category_code="sexual_minors", article="122")])
    p = shop.interview(candidate)
    shop.vacancy.near_minors = True  # the workplace turned out to be next to a school
    db.session.commit()
    client = client_for(app, shop.employer_user)
    before = snapshot()
    row = client.post(
        f"/placements/{p.id}/hire",
        data={"version": p.version, "start_date": clock.today().isoformat()},
        headers=HX,
    ).get_data(as_text=True)
    assert in_language(app, "kk", lambda: MSG_ASK_INSPECTOR) in row
    assert "Criminal Code" not in row and "120–124" not in row and "eligible" not in row
    assert snapshot() == before
    # The inspector trying the same step reads the rules and their legal basis.
    inspector = client_for(app, shop.inspector)
    page = inspector.post(
        f"/placements/{p.id}/hire",
        data={"version": p.version, "start_date": clock.today().isoformat()},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "120–124" in page
    assert snapshot() == before


def test_end_of_employment_from_the_employer_row(app, shop, make_candidate):
    p = shop.hire(make_candidate())
    client = client_for(app, shop.employer_user)
    row = client.post(
        f"/placements/{p.id}/end",
        data={
            "version": p.version,
            "end_date": clock.today().isoformat(),
            "reason": "quit",
            "note": "Ауысты",
        },
        headers=HX,
    ).get_data(as_text=True)
    assert fresh(p.id).state == "ended" and history(p.id)[-1] == ("hired", "ended")
    assert f'action="/placements/{p.id}/' not in row  # an ended placement offers no step
