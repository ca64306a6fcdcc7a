"""The dashboard as a Kazakh or Russian reader meets it: date messages in their language, a
backwards period refused, hidden counts never drawn as zero, districts that narrow the page,
a CSV that Excel in their locale opens one value a cell, and whole words in sheet names."""

import csv
import io
import re

import pytest

from portal.auth.models import AKIMAT, INSPECTOR
from portal.stats.export import _sheet_name
from portal.stats.suppression import FEWER_THAN
from tests.helpers import sign_in, translated
from tests.stats import dataset
from tests.stats.dataset import YEAR

Q1_ARGS = f"period=quarter&on={YEAR}-02-15"


@pytest.fixture
def data(make_employer, make_vacancy, make_candidate):
    return dataset.build(make_employer, make_vacancy, make_candidate)


def client_for(app, user):
    client = app.test_client()
    sign_in(client, user)
    return client


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_mistyped_date_is_named_in_the_users_language(app, make_user, lang):
    client = client_for(app, make_user(INSPECTOR, locale=lang))
    response = client.get("/stats/?period=month&on=31.02.2026")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert translated(app, "Enter a valid date.", lang) in page
    assert "Not a valid date value" not in page


def test_a_period_that_starts_after_it_ends_is_refused(app, data, make_user):
    client = client_for(app, make_user(INSPECTOR, locale="ru"))
    args = f"period=custom&start={YEAR}-05-01&end={YEAR}-02-01"
    response = client.get(f"/stats/?{args}")
    assert response.status_code == 400
    assert translated(app, "The period starts after it ends.", "ru") in response.get_data(
        as_text=True
    )
    # The fragment htmx swaps in says the same; an export is refused rather than another period.
    fragment = client.get(f"/stats/?{args}", headers={"HX-Request": "true"})
    assert translated(app, "The period starts after it ends.", "ru") in fragment.get_data(
        as_text=True
    )
    assert client.get(f"/stats/export.csv?{args}").status_code == 400
    assert (
        client.get(f"/stats/?period=custom&start={YEAR}-02-01&end={YEAR}-05-01").status_code == 200
    )


def test_the_form_marks_which_dates_each_period_reads(app, make_user):
    page = client_for(app, make_user(INSPECTOR)).get("/stats/").get_data(as_text=True)
    assert re.search(r'class="period-within">\s*<label for="on"', page)
    assert len(re.findall(r'class="period-span">\s*<label for="(?:start|end)"', page)) == 2


def test_hidden_counts_are_drawn_as_hidden_not_as_zero(app, data, make_user):
    client = client_for(app, make_user(AKIMAT, locale="ru"))
    page = client.get(f"/stats/?period=year&on={YEAR}-02-15").get_data(as_text=True)
    trend = page[page.index('id="trend"') : page.index('id="employment"')]
    # Each hidden month is a shaded band explained by the legend; no dot sits on the zero line.
    assert trend.count('class="chart-hidden-band"') >= 2
    assert translated(app, "shaded: a month whose number is hidden", "ru") in trend
    fewer = translated(app, FEWER_THAN, "ru")
    assert not re.search(rf"<circle [^>]*><title>[^<]*: {fewer}", trend)
    # The proposals chart draws its "fewer than 5" states as dashed bars, not labels alone.
    pipeline = page[page.index('id="pipeline"') : page.index('id="declines"')]
    assert pipeline.count('class="chart-bar-below"') >= 2
    assert re.search(r'<rect x="230" [^>]*width="[1-9]', pipeline)


def test_district_rows_narrow_the_dashboard_to_the_district(app, data, make_user):
    client = client_for(app, make_user(AKIMAT, locale="ru"))
    page = client.get(f"/stats/?{Q1_ARGS}").get_data(as_text=True)
    districts = page[page.index('id="districts"') : page.index('id="trend"')]
    links = re.findall(r'<th scope="row"><a href="/stats/\?([^"]+)">', districts)
    assert links and all("district=" in link and "period=quarter" in link for link in links)


def test_the_excel_csv_opens_one_value_a_cell(app, data, make_user):
    client = client_for(app, make_user(INSPECTOR, locale="ru"))
    page = client.get(f"/stats/?{Q1_ARGS}").get_data(as_text=True)
    assert "excel=1" in page
    response = client.get(f"/stats/export.csv?{Q1_ARGS}&excel=1")
    assert response.data.startswith("\ufeff".encode())
    assert "-excel.csv" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    shares = [row for row in rows if any(re.fullmatch(r"\d+,\d+", cell) for cell in row)]
    assert shares, "a share is written with a decimal comma"
    assert not any(re.fullmatch(r"\d+\.\d+", cell) for row in rows for cell in row)
    # The plain CSV keeps commas and decimal points.
    plain = client.get(f"/stats/export.csv?{Q1_ARGS}").data.decode("utf-8-sig")
    plain_rows = list(csv.reader(io.StringIO(plain)))
    assert any(re.fullmatch(r"\d+\.\d+", cell) for row in plain_rows for cell in row)
    assert len(plain_rows) == len(rows)


def test_sheet_names_are_cut_at_a_word_end():
    assert _sheet_name(2, "By district") == "2 By district"
    name = _sheet_name(6, "Предложения за период по состоянию")
    assert len(name) <= 31 and name == "6 Предложения за период по…"
    assert _sheet_name(1, "Ж" * 40) == "1 " + "Ж" * 28 + "…"
