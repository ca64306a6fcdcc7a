"""In a browser with JavaScript off, as on any page: an inspector uploads a list with a bad
row, corrects it in the preview's form, checks again and imports (the queue runs each task at
once, in immediate mode: the pages after each button are the job's result, not its progress).
With JavaScript, the progress page waits for the worker and shows the preview by itself once
the worker has checked the rows."""

import csv
import io

import pytest
from huey.storage import MemoryStorage

from portal import queue
from portal.imports.columns import COLUMNS
from portal.queue import huey
from tests.e2e.test_first_visit import sign_in
from tests.helpers import new_iin

pytestmark = [pytest.mark.e2e, pytest.mark.real_clock]


def _csv(tmp_path) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(list(COLUMNS))  # the column keys: headers the reader takes too
    for number, district in ((1, "711310000"), (2, "999999999")):
        row = {
            "full_name": f"Браузер Тест {number}",
            "iin": new_iin(),
            "birth_date": "02.04.1985",
            "status": "released",
            "district": district,
        }
        writer.writerow([row.get(key, "") for key in COLUMNS])
    path = tmp_path / "list.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return str(path)


def test_a_bad_row_is_fixed_on_the_preview_without_javascript(
    live_url, browser, tmp_path, monkeypatch
):
    monkeypatch.setattr(huey, "immediate", True)
    context = browser.new_context(locale="kk-KZ", java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_url, "inspector.astana@demo.kz")
        page.goto(f"{live_url}/imports/")
        page.set_input_files("input[name=file]", _csv(tmp_path))
        page.click("form[action='/imports/'] button[type=submit]")
        assert page.locator("fieldset.import-fix").count() == 1, page.inner_text("main")
        page.fill("input[name=fix-3-district]", "711310000")
        page.click("button[value=check]")
        assert page.locator("fieldset.import-fix").count() == 0
        page.check("input[name=mode][value=all]")
        page.click("button[value=import]")
        assert "/imports/" in page.url and page.locator("progress").count() == 0
        page.click("main a[href='/candidates/']")
        page.goto(f"{live_url}/candidates/?q=Браузер")
        assert "Браузер Тест 2" in page.content()
    finally:
        context.close()


def test_the_progress_page_turns_into_the_preview_by_itself(
    live_app, browser, tmp_path, monkeypatch
):
    app, live_url = live_app
    monkeypatch.setattr(huey, "storage", MemoryStorage(huey.name))
    monkeypatch.setattr(queue, "_worker_app", app)  # the worker's app: the live server's
    context = browser.new_context(locale="kk-KZ")
    page = context.new_page()
    try:
        sign_in(page, live_url, "inspector.astana@demo.kz")
        page.goto(f"{live_url}/imports/")
        page.set_input_files("input[name=file]", _csv(tmp_path))
        page.click("form[action='/imports/'] button[type=submit]")
        job_url = page.url
        assert page.locator("progress#import-progress-bar").get_attribute("max") == "2"
        page.wait_for_timeout(2500)  # htmx has polled at least once: the bar is still there
        assert page.locator("progress#import-progress-bar").count() == 1
        huey.execute(huey.dequeue())  # the worker checks the rows
        page.wait_for_selector("fieldset.import-fix", timeout=10_000)
        assert page.url == job_url and page.locator("progress").count() == 0
    finally:
        context.close()
