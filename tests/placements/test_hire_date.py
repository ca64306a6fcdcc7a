"""The hire date: filled in with the earliest day the person can start (today, the vacancy's
start, the person's availability); an earlier one is not refused but asks to confirm first,
in the row with htmx and on a page of its own without JavaScript, in both languages."""

import re
from datetime import timedelta

import pytest

from portal import clock
from portal.extensions import db
from tests.helpers import translated
from tests.placements.helpers import HX, client_for, fresh

BEFORE_START = "The start date is before the vacancy starts (%(date)s)."
BEFORE_AVAILABLE = "The start date is before the day the person is available (%(date)s)."


@pytest.fixture
def late_start(shop, make_candidate):
    """An interviewed person available in 20 days, for a vacancy that starts in 10."""
    today = clock.today()
    shop.vacancy.starts_on = today + timedelta(days=10)
    candidate = make_candidate(available_from=today + timedelta(days=20))
    db.session.commit()
    return shop.interview(candidate)


def long_date(app, day, lang):
    from flask_babel import force_locale, format_date

    with app.test_request_context(), force_locale(lang):
        return format_date(day, "long")


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_an_early_start_asks_first_then_goes_through_as_typed(app, shop, late_start, lang):
    p, today = late_start, clock.today()
    client = client_for(app, shop.employer_user)
    client.post("/language", data={"locale": lang})
    data = {"version": p.version, "start_date": today.isoformat()}
    asked = client.post(f"/placements/{p.id}/hire", data=data)
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and fresh(p.id).state == "interview"  # nothing yet
    starts, available = shop.vacancy.starts_on, p.candidate.available_from
    assert translated(app, BEFORE_START, lang, date=long_date(app, starts, lang)) in page
    assert translated(app, BEFORE_AVAILABLE, lang, date=long_date(app, available, lang)) in page
    assert 'name="confirm" value="yes"' in page
    assert f'name="start_date" value="{today.isoformat()}"' in page
    done = client.post(f"/placements/{p.id}/hire", data={**data, "confirm": "yes"})
    assert done.status_code == 303
    assert (fresh(p.id).state, fresh(p.id).hired_on) == ("hired", today)


def test_with_htmx_the_question_is_in_the_row(app, shop, late_start):
    p = late_start
    client = client_for(app, shop.employer_user)
    start = clock.today() + timedelta(days=15)  # after the vacancy's start, before availability
    row = client.post(
        f"/placements/{p.id}/hire",
        data={"version": p.version, "start_date": start.isoformat(), "part_time": "y"},
        headers=HX,
    ).get_data(as_text=True)
    assert row.strip().startswith(f'<tr id="placement-{p.id}"')
    available = long_date(app, p.candidate.available_from, "kk")
    starts = long_date(app, shop.vacancy.starts_on, "kk")
    assert translated(app, BEFORE_AVAILABLE, "kk", date=available) in row
    assert translated(app, BEFORE_START, "kk", date=starts) not in row  # it starts before
    assert 'name="part_time" value="y"' in row and 'name="confirm" value="yes"' in row
    assert fresh(p.id).state == "interview"


def test_a_start_on_or_after_the_earliest_day_needs_no_confirmation(app, shop, late_start):
    p = late_start
    client = client_for(app, shop.employer_user)
    start = p.candidate.available_from
    done = client.post(
        f"/placements/{p.id}/hire", data={"version": p.version, "start_date": start.isoformat()}
    )
    assert done.status_code == 303 and fresh(p.id).hired_on == start


def test_both_hire_forms_start_at_the_earliest_day(app, shop, late_start):
    p, available = late_start, late_start.candidate.available_from.isoformat()
    employer_page = client_for(app, shop.employer_user).get(
        f"/placements/vacancies/{shop.vacancy.id}"
    )
    assert f'name="start_date" value="{available}"' in employer_page.get_data(as_text=True)
    inspector_page = client_for(app, shop.inspector).get(f"/placements/{p.id}")
    field = re.search(r'<input[^>]*name="start_date"[^>]*>', inspector_page.get_data(as_text=True))
    assert f'value="{available}"' in field.group(0), field.group(0)
