"""In a browser with htmx: choosing the occupation and the shift refreshes what they imply."""

import pytest

from tests.e2e.test_first_visit import ENGLISH, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.real_clock]

DRIVING = "input[name=activity_codes][value=driving]"
NIGHT = "input[name=condition_codes][value=night]"


def test_the_occupation_and_the_shift_lock_what_they_imply(live_url, page):
    sign_in(page, live_url, "employer@demo.kz")
    page.goto(f"{live_url}/employers/vacancies/new")
    assert not page.is_disabled(DRIVING) and not page.is_disabled("#no_activities")

    truck = page.eval_on_selector(
        "#occupation_id", "s => [...s.options].find(o => o.text.startsWith('8332-0')).value"
    )
    page.select_option("#occupation_id", truck)
    page.wait_for_selector(f"{DRIVING}[disabled]")
    assert page.is_checked(DRIVING)
    assert page.is_disabled("#no_activities")  # "None of these" is not a truck driver's answer

    page.fill("#shift_start", "22:00")
    page.fill("#shift_end", "06:00")
    page.wait_for_selector(f"{NIGHT}[disabled]")
    assert page.is_checked(NIGHT) and page.is_checked(DRIVING)
    assert ENGLISH.findall(page.inner_text("#rule-choices")) == []  # the notes are translated

    sewing = page.eval_on_selector(
        "#occupation_id", "s => [...s.options].find(o => o.text.startsWith('7533-0')).value"
    )
    page.select_option("#occupation_id", sewing)
    page.wait_for_selector(f"{DRIVING}:not([disabled])")
    assert not page.is_checked(DRIVING) and not page.is_disabled("#no_activities")
