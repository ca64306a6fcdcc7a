"""Tried as a new user would: an inspector opens a record and prints the person's copy in
Kazakh (every heading in Russian beside it), which names them among those who viewed it."""

import pytest

from portal.demo_data import USERS
from tests.e2e.test_first_visit import choose_language, english_words, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.real_clock]
INSPECTOR = "inspector.astana@demo.kz"


def test_an_inspector_prints_a_persons_copy_in_kazakh(live_url, page, screenshots):
    sign_in(page, live_url, INSPECTOR)
    choose_language(page, "kk")
    page.goto(f"{live_url}/candidates/")
    page.click("#candidate-rows tbody tr:first-child td:nth-child(2) a")
    record = page.url
    page.click(f"a[href$='{record.split(live_url)[1]}/copy']")
    assert page.get_attribute("html", "lang") == "kk"
    assert page.locator("h1 span[lang=kk]").count() == 1
    assert page.locator("h1 span[lang=ru]").count() == 1
    name = next(user[1] for user in USERS if user[0] == INSPECTOR)
    assert name in page.inner_text("main")  # the audit section: they just viewed the record
    assert english_words(page) <= {"JSON"}, page.url
    assert len(page.pdf()) > 10_000  # Chromium prints it
    if screenshots:
        page.screenshot(path=f"{screenshots}/person-copy-kk.png", full_page=True)
