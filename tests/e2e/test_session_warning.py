"""The idle warning: a few minutes before the session would end a banner offers "stay signed
in", whose button asks the server for a sign of life (and restarts the browser's count); past
the end it says the session has ended and that what is typed is kept. The browser's clock is
moved (Playwright's clock); the server's is the real one."""

import pytest

from tests.e2e.test_content_security_policy import refusals
from tests.e2e.test_first_visit import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.real_clock]

IDLE_MINUTES, WARNING_MINUTES = 30, 5  # the defaults (portal/config.py)


def minutes(count: int) -> int:
    return count * 60_000  # the clock's milliseconds


def test_the_banner_warns_before_the_end_and_stay_signed_in_restarts_the_count(live_url, page):
    seen = refusals(page)
    page.clock.install()
    sign_in(page, live_url, "employer@demo.kz")
    page.goto(f"{live_url}/employers/vacancies/new")
    banner = page.locator("#session-warning")
    assert banner.is_hidden()
    page.clock.run_for(minutes(IDLE_MINUTES - WARNING_MINUTES - 1))
    assert banner.is_hidden()
    page.clock.run_for(minutes(2))
    assert banner.is_visible() and banner.locator("[data-session-ending]").is_visible()
    with page.expect_response("**/auth/session/keep-alive") as answer:
        banner.get_by_role("button").click()
    assert answer.value.status == 204
    page.wait_for_function("document.getElementById('session-warning').hidden")
    assert page.url.endswith("/employers/vacancies/new")  # the form stays as it was
    page.clock.run_for(minutes(IDLE_MINUTES - WARNING_MINUTES - 1))
    assert banner.is_hidden()  # counted again from the click
    page.clock.run_for(minutes(WARNING_MINUTES + 2))
    assert banner.locator("[data-session-ended]").is_visible()
    assert banner.get_by_role("button").is_hidden()
    assert seen == []
