"""Under the strict Content-Security-Policy the pages still work: nothing is refused, and htmx
requests still carry the CSRF token (the live server checks it)."""

import pytest

from tests.e2e.test_first_visit import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.real_clock]


def refusals(page) -> list[str]:
    """What the browser logs about something the policy refused, and every script error, as it
    happens (a missing favicon is neither)."""
    seen: list[str] = []

    def console(message):
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            seen.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: seen.append(str(error)))
    return seen


@pytest.mark.parametrize(
    "email",
    ["admin@demo.kz", "inspector.astana@demo.kz", "employer@demo.kz", "akimat.astana@demo.kz"],
)
def test_no_page_of_the_menu_logs_a_refusal(live_url, page, email):
    seen = refusals(page)
    sign_in(page, live_url, email)
    links = page.eval_on_selector_all("header nav a", "links => links.map(a => a.href)")
    for link in [*links, f"{live_url}/employers/vacancies/new"] if "employer@" in email else links:
        page.goto(link)
        page.wait_for_load_state("networkidle")
    assert seen == []


def test_an_htmx_post_carries_the_csrf_token_and_is_accepted(live_url, page):
    seen = refusals(page)
    sign_in(page, live_url, "inspector.karaganda@demo.kz")
    page.goto(f"{live_url}/candidates/")
    records = page.eval_on_selector_all(
        "main table a[href^='/candidates/']", "links => links.map(a => a.href)"
    )
    for record in records:
        page.goto(f"{record.rstrip('/')}/bans")
        if page.query_selector("#ban-rows a[hx-post]"):
            break
    else:
        pytest.fail("no demo record of the Karaganda inspector has a court ban")
    before = len(page.query_selector_all("#ban-rows tbody tr"))
    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("#ban-rows a[hx-post]")
    response = answer.value
    assert response.request.headers.get("x-csrftoken")
    assert response.status == 200
    # A function, not an expression: Playwright evaluates an expression by eval at each poll,
    # which the policy refuses once the first check was too early.
    page.wait_for_function(
        "n => document.querySelectorAll('#ban-rows tbody tr').length === n", arg=before - 1
    )
    assert seen == []
