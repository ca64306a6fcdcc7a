"""The issue's walk-through, as a person would: an inspector of ЕЦ-166/11 starts a programme
from the penitentiary-probation template for a person in custody (demo data: released on
1 September 2027), marks the identity card done and housing "not possible" with a reason, and
sees the overdue steps on the home page; in both languages, no untranslated text, no
JavaScript needed (plain links and form posts)."""

import pytest

from tests.e2e.test_first_visit import choose_language, english_words, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.real_clock]


def test_an_inspector_keeps_a_programme(live_url, page, screenshots):
    sign_in(page, live_url, "inspector.ec166@demo.kz")
    # in Kazakh, whatever an earlier test left as this account's language
    choose_language(page, "kk")
    page.goto(f"{live_url}/candidates/")
    page.click("a:has-text('Серік Ахметов')")
    record = page.url
    page.click(f"a[href$='{record.removeprefix(live_url)}/programme']")
    page.click("a[href*='template=penitentiary_probation']")
    assert page.locator("table tbody tr").count() == 11  # the preview of the steps
    page.click("main form[method=post] button[type=submit]")
    assert page.url.endswith("/programme")
    for title, fill in (
        ("Жеке куәлікті ресімдеу", {"state": "done"}),
        ("Босатылғаннан кейінгі тұрғын үйді анықтау", {"state": "not_possible"}),
    ):
        page.click(f"tr:has-text('{title}') a:has-text('Өзгерту')")
        page.select_option("select[name=state]", fill["state"])
        page.click("main form[method=post] button[type=submit]")
        if fill["state"] == "not_possible":  # refused without a reason, then given one
            assert page.locator("#reason-error").is_visible()
            page.fill("textarea[name=reason]", "Туыстарында орын жоқ")
            page.click("main form[method=post] button[type=submit]")
        assert page.url.endswith("/programme")
    text = page.inner_text("main")
    assert "11 қадамның 1 орындалды" in text and "1 мүмкін емес" in text
    assert english_words(page) == set()
    if screenshots:
        page.screenshot(path=f"{screenshots}/programme-kk.png", full_page=True)
    page.goto(f"{live_url}/")
    overdue = page.locator("article:has-text('Мерзімі өткен бағдарлама қадамдары')")
    assert "Серік Ахметов" in overdue.inner_text()
    choose_language(page, "ru")
    assert "Просроченные шаги программ" in page.inner_text("main")
    assert english_words(page) == set()
    page.goto(record)
    assert "выполнено 1 из 11 шагов" in page.inner_text("main")
    if screenshots:
        page.goto(f"{record}/programme")
        page.screenshot(path=f"{screenshots}/programme-ru.png", full_page=True)
