"""A newcomer signs in as each demo role, switches languages, and sees no untranslated text."""

import re
import time

import pyotp
import pytest
from babel.messages.pofile import read_po

from portal import clock
from portal.demo_data import DEMO_PASSWORD, DEMO_TOTP_SECRET, USERS
from tests.test_catalogues import CATALOGUES

# A person in a browser on the real day: the live server and its demo data use the real clock.
pytestmark = [pytest.mark.e2e, pytest.mark.real_clock]
# An English word of the interface, e.g. "Sign in", visible on a page: untranslated text.
ENGLISH = re.compile(r"\b[A-Za-z]{4,}\b")
# E-mail addresses are data; the others name programs (Excel, authenticator apps) and formats.
ALLOWED_LATIN = {"demo", "Excel", "XLSX", "JSON"} | {
    "Aegis",
    "FreeOTP",
    "Google",
    "Microsoft",
    "Authenticator",
}


def english_words(page) -> set[str]:
    """Latin words a person reads on the page; <code> holds identifiers (audit actions), and
    translate="no" what people typed (the words of a search, in the audit log)."""
    text = page.evaluate("""() => {
        const body = document.body.cloneNode(true);
        body.querySelectorAll("code, [translate=no]").forEach(element => element.remove());
        return body.innerText;
    }""")
    text = re.sub(r"\S+@\S+", " ", text)  # e-mail addresses
    return {w for w in ENGLISH.findall(text)} - ALLOWED_LATIN


def choose_language(page, lang: str) -> None:
    """Press a language button, a plain form post that redirects back, and wait until the page
    it leads to has loaded in that language (the old document is gone while it loads)."""
    with page.expect_navigation(wait_until="load"):
        page.click(f".lang-switch button[value={lang}]")
    assert page.get_attribute("html", "lang") == lang


def give_code(page) -> None:
    """Type the code a phone app shows for the demo key. A code is accepted once, and the
    portal takes the next step's code too: when this account already used the current one (an
    earlier test), the next step's is typed, and only when that too was used does this wait."""
    totp = pyotp.TOTP(DEMO_TOTP_SECRET)
    for attempt, ahead in enumerate((0, totp.interval, totp.interval)):
        page.fill("input[name=code]", totp.at(clock.timestamp() + ahead))
        page.click("form[action='/auth/second-factor'] button[type=submit]")
        if "/auth/second-factor" not in page.url:
            return
        if attempt == 1:  # the next step's code was used too: the one after is due next step
            time.sleep(totp.interval - clock.timestamp() % totp.interval + 0.5)
    raise AssertionError("the demo code was refused three times")


# A staff account's session cookie (Flask's default name) once it has signed in with its code,
# by (server, e-mail): later tests go on in that session instead of waiting for another code
# (tests of signing in itself go through the form: test_second_factor.py).
_SIGNED_IN: dict[tuple[str, str], list] = {}


def sign_in(page, base: str, email: str) -> None:
    """Signed in as `email`, on the home page."""
    kept = _SIGNED_IN.get((base, email))
    if kept:
        page.context.add_cookies(kept)
        page.goto(f"{base}/")
        if page.locator("form[action='/auth/logout']").count():
            return
        page.context.clear_cookies()  # signed out or ended since: sign in again
    page.goto(f"{base}/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form[action='/auth/login'] button[type=submit]")
    if "/auth/second-factor" in page.url:  # administrators and inspectors
        give_code(page)
        _SIGNED_IN[(base, email)] = [c for c in page.context.cookies() if c["name"] == "session"]


@pytest.mark.parametrize("email", [user[0] for user in USERS])
def test_each_demo_role_signs_in_in_both_languages(live_url, page, email, screenshots):
    sign_in(page, live_url, email)
    name = next(user[1] for user in USERS if user[0] == email)
    assert name in page.inner_text("header")
    for lang in ("kk", "ru"):
        choose_language(page, lang)
        assert english_words(page) == set(), page.url
        if screenshots:
            page.screenshot(path=f"{screenshots}/{email.split('@')[0]}-{lang}.png", full_page=True)
    # Every page the menu leads to, in Russian (the language chosen last), has no English.
    links = page.eval_on_selector_all("header nav a", "links => links.map(a => a.href)")
    for link in links:
        page.goto(link)
        assert english_words(page) == set(), link
    page.click("text=" + ("Выйти"))
    assert "/auth/login" in page.url


def test_language_switch_works_without_javascript(browser, live_url):
    context = browser.new_context(java_script_enabled=False, locale="ru-RU")
    page = context.new_page()
    page.goto(f"{live_url}/auth/login")
    assert page.get_attribute("html", "lang") == "ru"
    choose_language(page, "kk")
    with open(CATALOGUES["kk"], "rb") as handle:
        kk = read_po(handle, locale="kk")
    assert kk["Sign in"].string in page.inner_text("main")
    context.close()
