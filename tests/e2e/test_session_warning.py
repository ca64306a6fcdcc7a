"""The idle warning: a few minutes before the session would end a banner offers "stay signed
in", whose button asks the server for a sign of life (and restarts the browser's count); past
the end it says the session has ended and that what is typed is kept. The browser's clock is
moved (Playwright's clock); the server's is the real one."""

import pytest

from tests.e2e.test_content_security_policy import refusals
from tests.e2e.test_first_visit import choose_language, sign_in

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
    page.wait_for_function("() => document.getElementById('session-warning').hidden")
    assert page.url.endswith("/employers/vacancies/new")  # the form stays as it was
    page.clock.run_for(minutes(IDLE_MINUTES - WARNING_MINUTES - 1))
    assert banner.is_hidden()  # counted again from the click
    page.clock.run_for(minutes(WARNING_MINUTES + 2))
    assert banner.locator("[data-session-ended]").is_visible()
    assert banner.get_by_role("button").is_hidden()
    assert seen == []


def test_a_decision_typed_in_a_tab_left_open_comes_back_after_signing_in_again(live_url, page):
    """The proposals page stays open in one tab while the user signs out and in again in
    another: the decline typed in the first is not taken, and comes back into its form."""
    seen = refusals(page)
    sign_in(page, live_url, "employer@demo.kz")
    choose_language(page, "kk")  # the account keeps an earlier test's language
    page.goto(f"{live_url}/employers/vacancies")
    links = page.locator("a[href^='/placements/vacancies/']")
    for path in [link.get_attribute("href") for link in links.all()]:
        page.goto(live_url + path)  # the first page with a proposal to decline
        decline = page.locator("details:has(form[action$='/decline'])").first
        if decline.count():
            break
    action = decline.locator("form").get_attribute("action")
    # The other tab, as a context given the same cookies and handing its new ones back (the
    # browser's one jar): closing a second tab of a context has hung Chromium (Page.close never
    # answered, seen in CI and here), closing a context never has.
    other = page.context.browser.new_context(locale="kk-KZ")
    other.set_default_timeout(10_000)
    other.add_cookies(page.context.cookies())
    tab = other.new_page()
    tab.goto(f"{live_url}/")
    tab.click("form[action='/auth/logout'] button")
    sign_in(tab, live_url, "employer@demo.kz")  # a new session
    page.context.add_cookies(other.cookies())
    other.close()
    decline.locator("summary").click()
    decline.locator("select[name=reason]").select_option(index=1)
    decline.locator("textarea[name=note]").fill("Кейінірек хабарласамыз")
    with page.expect_navigation():
        decline.locator("button[type=submit]").click()  # htmx: the whole page comes back
    refilled = page.locator(f"details[open]:has(form[action='{action}'])")
    assert refilled.locator("textarea[name=note]").input_value() == "Кейінірек хабарласамыз"
    assert refilled.locator("select[name=reason]").evaluate("s => s.selectedIndex") == 1
    assert "қайта жіберіңіз" in page.locator(".flash").first.inner_text()  # in Kazakh
    assert seen == []
