"""The pages inspectors, employers and akimats use most, on the tablets they carry: nothing
scrolls sideways at 768 px (portrait) or 1366 px (landscape), in either language, and an
inspector's header takes no more than two rows at 1366 px."""

import pytest

from portal.demo_data import USERS
from tests.e2e.test_first_visit import choose_language, english_words, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.real_clock]

TABLETS = {"portrait": (768, 1024), "landscape": (1366, 768)}
OVERFLOW = "() => document.scrollingElement.scrollWidth - innerWidth"
# The header's rows: its items' tops, those within 20 px of a row's first item in that row.
HEADER_ROWS = """() => [...document.querySelectorAll('.site-header nav li')]
    .map(item => item.getBoundingClientRect().top).sort((a, b) => a - b)
    .reduce((rows, top) => rows.length && top - rows.at(-1) < 20 ? rows : [...rows, top], [])
    .length"""


@pytest.fixture(params=list(TABLETS))
def tablet(browser, request):
    width, height = TABLETS[request.param]
    context = browser.new_context(locale="ru-RU", viewport={"width": width, "height": height})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def assert_fits(page, base: str, paths: list[str]) -> None:
    for lang in ("kk", "ru"):
        choose_language(page, lang)
        for path in paths:
            page.goto(base + path)
            overflow = page.evaluate(OVERFLOW)
            assert overflow <= 0, f"{path} ({lang}) scrolls {overflow} px sideways"


def test_employer_decides_on_a_tablet(live_url, tablet):
    sign_in(tablet, live_url, "employer.enbek@demo.kz")
    tablet.goto(f"{live_url}/employers/vacancies")
    decisions = tablet.locator("a", has_text="Кандидаты и решения").first
    path = decisions.get_attribute("href")
    assert_fits(tablet, live_url, [path])
    # Every decision button of the first proposal is on screen without scrolling sideways.
    for button in tablet.locator("td.row-actions :is(button, summary)").all()[:3]:
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= tablet.viewport_size["width"]


@pytest.mark.parametrize("email", ["akimat.karaganda@demo.kz", "inspector.karaganda@demo.kz"])
def test_statistics_fit_a_tablet(live_url, tablet, email):
    sign_in(tablet, live_url, email)
    assert_fits(tablet, live_url, ["/stats/", "/stats/?period=custom"])
    # Chart labels are drawn at a readable size (the SVG is scaled to its box).
    sizes = tablet.evaluate("""() => [...document.querySelectorAll('svg.chart text')]
        .map(text => text.getBoundingClientRect().height)""")
    assert sizes and min(sizes) >= 11


def test_inspector_header_takes_two_rows_at_1366(live_url, browser):
    context = browser.new_context(locale="ru-RU", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    sign_in(page, live_url, "inspector.karaganda@demo.kz")
    for lang in ("kk", "ru"):
        choose_language(page, lang)
        assert page.evaluate(HEADER_ROWS) <= 2, lang
    context.close()


# Text cut by its box: an element that clips (overflow other than visible) and whose content
# is wider or taller than it, among those that hold text a person reads.
CUT_TEXT = """() => [...document.querySelectorAll(
        'main :is(td, th, a, button, label, p, li, h1, h2, h3, span, summary)')]
    .filter(e => e.offsetParent !== null && e.textContent.trim()
        && getComputedStyle(e).overflowX !== 'visible' && !e.closest('.table-wrap, pre')
        && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1))
    .map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 40))"""
# The pages one click from a menu page, as far as reading goes: no downloads, no sign-out.
DEEPER = """() => [...document.querySelectorAll('main a[href^="/"]')]
    .map(a => a.getAttribute('href'))
    .filter(h => !/(export|download|\\.csv|\\.xlsx|\\.json|logout|openapi|\\/docs)/.test(h))"""
DEEPER_PER_MENU_PAGE = 2


def pages_of(page, base: str) -> list[str]:
    """Every page the menu leads to, and the first pages each of them links to."""
    links = page.eval_on_selector_all(".site-header nav a", "links => links.map(a => a.href)")
    menu = sorted({link.removeprefix(base) for link in links if link.startswith(base)})
    found = list(menu)
    for path in menu:
        page.goto(base + path)
        deeper = [h for h in page.evaluate(DEEPER) if h.split("?")[0] not in found]
        found += list(dict.fromkeys(deeper))[:DEEPER_PER_MENU_PAGE]
    return list(dict.fromkeys(found))


@pytest.mark.parametrize("email", [user[0] for user in USERS])
def test_every_page_of_every_role_fits_both_tablets_in_both_languages(live_url, browser, email):
    """Nothing scrolls sideways, no text is cut by its box, and no English is left, on every
    page the menu leads to and the pages one click further, at 768 and 1366 px, kk and ru."""
    failures = []
    for size, (width, height) in TABLETS.items():
        context = browser.new_context(locale="ru-RU", viewport={"width": width, "height": height})
        context.set_default_timeout(10_000)
        page = context.new_page()
        sign_in(page, live_url, email)
        paths = pages_of(page, live_url)
        for lang in ("kk", "ru"):
            choose_language(page, lang)
            for path in paths:
                page.goto(live_url + path)
                where = f"{path} ({lang}, {size})"
                if (overflow := page.evaluate(OVERFLOW)) > 0:
                    failures.append(f"{where} scrolls {overflow} px sideways")
                if cut := page.evaluate(CUT_TEXT):
                    failures.append(f"{where} cuts {cut[:3]}")
                if words := english_words(page):
                    failures.append(f"{where} shows {sorted(words)[:5]}")
        context.close()
    assert failures == [], "\n".join(failures)


# The first demo person, Серік Ахметов of Astana: code, IIN (portal/demo.py), Latin and Cyrillic
# prefixes of the surname.
@pytest.mark.parametrize("typed", ["K-00001", "880314312012", "Akhmet", "ахмет"])
def test_an_inspector_finds_a_person_from_the_header_search_box(live_url, tablet, typed):
    sign_in(tablet, live_url, "inspector.astana@demo.kz")
    box = tablet.locator(".header-search input[name=q]")
    box.fill(typed)
    box.press("Enter")
    tablet.wait_for_url("**/search/candidates?**")
    assert tablet.locator(".search-hit", has_text="K-00001").count() == 1, typed
