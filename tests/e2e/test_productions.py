"""Without JavaScript, in both languages: an institution's inspector adds a production on its
land, sees it with its workers, reads the report, and removes the production again."""

import pytest

from tests.e2e.test_first_visit import ALLOWED_LATIN, ENGLISH, choose_language, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.real_clock]


def latin(page) -> set[str]:
    return set(ENGLISH.findall(page.inner_text("main"))) - ALLOWED_LATIN - {"XLSX"}


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_an_inspector_keeps_a_production_and_reads_the_report(browser, live_url, lang):
    context = browser.new_context(java_script_enabled=False, locale=f"{lang}-KZ")
    page = context.new_page()
    sign_in(page, live_url, "inspector.ec166@demo.kz")
    choose_language(page, lang)
    page.goto(f"{live_url}/productions/new")
    assert latin(page) == set()
    page.select_option("#employer_id", label="«Дала Ет» ЖШС" if lang == "kk" else "ТОО «Дала Ет»")
    page.select_option("#institution_id", index=1)
    page.fill("#area_m2", "0")
    page.fill("#transferred_on", "2024-03-01")
    page.fill("#places", "6")
    page.click("main form button[type=submit]")
    assert page.locator(".field-error").count() == 1  # the area must be more than zero
    assert latin(page) == set()
    page.fill("#area_m2", "640")
    page.fill("#products", "Ет өнімдері")
    page.click("main form button[type=submit]")
    assert page.url.endswith("/productions/")
    row = page.locator("tr", has_text="Ет өнімдері")
    assert "640" in row.inner_text()
    assert latin(page) == set()

    page.goto(f"{live_url}/productions/report")
    assert "ЕЦ-166/11" in page.inner_text("#institutions")
    assert "Ет өнімдері" in page.inner_text("#productions")
    assert latin(page) == set()
    download = page.locator("a[href$='/productions/report.xlsx']")
    assert download.count() == 1

    page.goto(f"{live_url}/productions/")
    page.locator("tr", has_text="Ет өнімдері").locator("a[href$='/delete']").click()
    page.click("main form button[type=submit]")
    assert page.locator("tr", has_text="Ет өнімдері").count() == 0
    context.close()
