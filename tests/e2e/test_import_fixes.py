"""In a browser with JavaScript off, as on any page: an inspector uploads a list with a bad
row, corrects it in the preview's form, checks again and imports. The queue runs each task at
once (immediate mode, as without a worker in tests): the pages after each button are the job's
result, not its progress."""

import csv
import io

import pytest

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
