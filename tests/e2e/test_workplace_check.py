"""An inspector records a workplace check in a browser without JavaScript: a day in the future
is refused on the form, then the check is listed on the placement page."""

from datetime import timedelta

import pytest

from portal import clock
from tests.e2e.test_first_visit import choose_language, english_words, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.real_clock]


@pytest.fixture
def plain_page(browser):
    context = browser.new_context(
        locale="ru-RU", java_script_enabled=False, viewport={"width": 768, "height": 1024}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_an_inspector_records_a_workplace_check_without_javascript(live_url, plain_page):
    page = plain_page
    sign_in(page, live_url, "inspector.astana@demo.kz")
    choose_language(page, "ru")
    page.goto(f"{live_url}/placements/?state=hired")
    page.locator("table a[href^='/placements/']").first.click()
    assert page.locator("#workplace-checks").count() == 1, page.url
    form = page.locator("#workplace-checks form")
    today = clock.today()

    form.locator("input[name=checked_on]").fill((today + timedelta(days=1)).isoformat())
    form.get_by_label("Не находился на работе").check()
    form.locator("button[type=submit]").click()
    assert "День проверки не может быть в будущем." in page.inner_text("#workplace-checks")
    assert "Проверок по месту работы пока не записано." in page.inner_text("#workplace-checks")

    form = page.locator("#workplace-checks form")
    form.locator("input[name=checked_on]").fill(today.isoformat())
    form.get_by_label("Не находился на работе").check()
    form.locator("textarea[name=note]").fill("Мастер сказал: на больничном")
    form.locator("button[type=submit]").click()
    assert "Проверка по месту работы записана." in page.inner_text("body")
    listed = page.inner_text("#workplace-checks table")
    assert "не находился на работе" in listed and "Мастер сказал: на больничном" in listed
    assert english_words(page) == set()
    assert page.evaluate("() => document.scrollingElement.scrollWidth - innerWidth") <= 0
