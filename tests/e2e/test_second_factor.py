"""A staff member signs in with the password and a code from a phone app (computed here with
pyotp from the demo key), in Kazakh and in Russian; the page asking for it reads in the
browser's language and works without JavaScript."""

import pytest

from portal.demo_data import DEMO_PASSWORD, USERS
from tests.e2e.test_first_visit import english_words, give_code

pytestmark = [pytest.mark.e2e, pytest.mark.real_clock]
ASKED = {"kk": "Кодты енгізіңіз", "ru": "Введите код"}


@pytest.mark.parametrize(
    "lang, email", [("kk", "inspector.ec166@demo.kz"), ("ru", "inspector.karaganda@demo.kz")]
)
def test_staff_sign_in_with_password_and_code(browser, live_url, lang, email, screenshots):
    context = browser.new_context(locale=f"{lang}-KZ", java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_url}/candidates/")
    assert "/auth/login" in page.url
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form[action='/auth/login'] button[type=submit]")
    assert "/auth/second-factor" in page.url
    assert page.get_attribute("html", "lang") == lang
    assert ASKED[lang] in page.inner_text("main") and english_words(page) == set()
    if screenshots:
        page.screenshot(path=f"{screenshots}/second-factor-{lang}.png", full_page=True)
    page.fill("input[name=code]", "000000")
    page.click("form[action='/auth/second-factor'] button[type=submit]")
    assert "/auth/second-factor" in page.url and page.locator("#code-error").count() == 1
    give_code(page)
    assert page.url.endswith("/candidates/")  # where the visitor was going
    name = next(user[1] for user in USERS if user[0] == email)
    assert name in page.inner_text("header")
    context.close()
