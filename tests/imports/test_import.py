"""Bulk import: each row's problems on its row, in the user's language; valid rows imported
in one transaction, or nothing; the file not kept; audited."""

import csv
import io
import re
import time

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from portal.auth.models import INSPECTOR, AuditEntry
from portal.candidates.identity import has_iin
from portal.candidates.models import Candidate
from portal.extensions import db
from portal.imports.columns import COLUMNS, headers
from tests.helpers import new_iin, sign_in

# Planted errors: row of the file (the header is row 1) → (column, a word of the message)
PLANTED = {
    12: ("iin", "ИИН"),
    23: ("district", "КАТО"),
    34: ("occupations", "НКЗ"),
    45: ("offences", "таблиц"),
    56: ("iin", "56"),  # the IIN of row 56 again: told on row 57
    68: ("full_name", "ФИО"),
    79: ("iin", "нельзя сохранить здесь"),  # registered: the answer that reveals no record
}


def person(number: int, iin: str) -> dict:
    return {
        "full_name": f"Тестов Тест {number}",
        "iin": iin,
        "birth_date": "02.04.1985",
        "status": "released",
        "district": "711310000",
        "occupations": "7533-0",
        "languages": "kk, ru",
        "offences": "2014 106 ч.1" if number % 3 else "0",
        "consent_date": "",
        "consent_method": "",
    }


def rows_with_errors(count: int, registered_iin: str) -> list[dict]:
    rows = [person(n, new_iin()) for n in range(2, count + 2)]
    at = {number: rows[number - 2] for number in (12, 23, 34, 45, 56, 57, 68, 79)}
    at[12]["iin"] = at[12]["iin"][:-1] + str((int(at[12]["iin"][-1]) + 1) % 10)
    at[23]["district"] = "999999999"
    at[34]["occupations"] = "7533-0; 0000-9"
    at[45]["offences"] = "2014 999"
    at[57]["iin"] = at[56]["iin"]
    at[68]["full_name"] = ""
    at[79]["iin"] = registered_iin
    return rows


def xlsx(rows: list[dict], language="ru") -> bytes:
    book = Workbook()
    book.active.append(headers(language))
    for row in rows:
        book.active.append([row.get(key, "") for key in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, data: bytes, name: str):
    return client.post(
        "/imports/",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def problems_by_row(html: str) -> dict[int, list[str]]:
    found = {}
    for number, column, message in re.findall(
        r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", html
    ):
        found.setdefault(int(number), []).append(f"{column}: {message}")
    return found


def signed_rows(html: str) -> str:
    return re.search(r'name="rows" type="hidden" value="([^"]*)"', html)[1]


@pytest.fixture
def inspector_client(client, make_user):
    sign_in(client, make_user(INSPECTOR, locale="ru"))
    return client


def test_5000_rows_with_planted_errors(app, inspector_client, make_candidate):
    registered = make_candidate().iin
    rows = rows_with_errors(5000, registered)
    started = time.perf_counter()
    preview = upload(inspector_client, xlsx(rows), "list.xlsx")
    checked_in = time.perf_counter() - started
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    found = problems_by_row(html)
    assert sorted(found) == [12, 23, 34, 45, 57, 68, 79], found.get(2)
    for number, (_column, word) in PLANTED.items():
        shown = found[57 if number == 56 else number]
        assert any(word in problem for problem in shown), (number, shown)
    assert "7 строк" in html or "7 строки" in html
    # Everything or nothing: nothing, while a row has a problem.
    refused = inspector_client.post(
        "/imports/confirm", data={"rows": signed_rows(html), "mode": "all"}
    )
    assert refused.status_code == 409
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Candidate)) == 1
    started = time.perf_counter()
    done = inspector_client.post(
        "/imports/confirm", data={"rows": signed_rows(html), "mode": "valid"}
    )
    imported_in = time.perf_counter() - started
    assert done.status_code == 303
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Candidate)) == 1 + 4993
    audit = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "candidates_imported")
    )
    assert audit.details["imported"] == 4993 and audit.details["file_rows"] == 5000
    print(f"5,000 rows: checked in {checked_in:.1f} s, imported in {imported_in:.1f} s")


def test_imported_records_carry_derived_categories_and_trades(app, inspector_client):
    rows = [person(2, new_iin()), person(3, new_iin())]
    html = upload(inspector_client, xlsx(rows), "list.xlsx").get_data(as_text=True)
    inspector_client.post("/imports/confirm", data={"rows": signed_rows(html), "mode": "all"})
    first = db.session.scalar(sa.select(Candidate).where(has_iin(rows[0]["iin"])))
    assert first.offences_recorded and [o.article for o in first.offences] == ["106"]
    assert first.offences[0].category_code != "other"
    assert [o.code for o in first.occupations] == ["7533-0"]
    assert first.birth_date.isoformat() == "1985-04-02"


def test_a_csv_in_kazakh_headers_is_read(app, inspector_client):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(headers("kk"))
    writer.writerow([person(2, new_iin()).get(key, "") for key in COLUMNS])
    preview = upload(inspector_client, ("\ufeff" + out.getvalue()).encode(), "list.csv")
    assert preview.status_code == 200 and problems_by_row(preview.get_data(as_text=True)) == {}


def test_a_tampered_preview_imports_nothing(app, inspector_client):
    html = upload(inspector_client, xlsx([person(2, new_iin())]), "list.xlsx").get_data(
        as_text=True
    )
    forged = inspector_client.post(
        "/imports/confirm", data={"rows": signed_rows(html) + "x", "mode": "valid"}
    )
    assert forged.status_code == 303
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Candidate)) == 0


def test_a_file_that_is_not_a_spreadsheet_is_a_400(app, inspector_client):
    assert upload(inspector_client, b"PK\x03\x04 broken", "list.xlsx").status_code == 400
    assert upload(inspector_client, b"a,b\n1,2\n", "list.csv").status_code == 400
    assert upload(inspector_client, b"hello", "list.txt").status_code == 400


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_template_has_the_headers_in_the_language(app, inspector_client, language):
    response = inspector_client.get(f"/imports/template.xlsx?lang={language}")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in sheet[1]] == headers(language)
    response.close()


FIXES = {  # a planted error's row → the cell that puts it right
    12: ("iin", None),
    23: ("district", "711310000"),
    34: ("occupations", "7533-0"),
    45: ("offences", "2014 106 ч.1"),
    57: ("iin", None),
    68: ("full_name", "Исправлен Тест"),
    79: ("iin", None),
}


def fixes() -> dict[str, str]:
    return {f"fix-{row}-{column}": value or new_iin() for row, (column, value) in FIXES.items()}


def test_200_people_with_7_bad_rows_fixed_on_the_preview_then_imported(
    app, inspector_client, make_candidate
):
    registered = make_candidate().iin
    html = upload(inspector_client, xlsx(rows_with_errors(200, registered)), "list.xlsx").get_data(
        as_text=True
    )
    assert sorted(problems_by_row(html)) == [12, 23, 34, 45, 57, 68, 79]
    for row, (column, _value) in FIXES.items():  # each bad row's cells, as a form
        assert f'name="fix-{row}-{column}"' in html
    assert 'name="fix-13-iin"' not in html  # a good row is not offered
    assert "200" in html and "Проверено за" in html
    # Check again with the fixes: every row now passes, nothing written yet.
    checked = inspector_client.post(
        "/imports/confirm", data={"rows": signed_rows(html), "action": "check", **fixes()}
    )
    assert checked.status_code == 200
    again = checked.get_data(as_text=True)
    assert problems_by_row(again) == {} and "7 строк" in again
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Candidate)) == 1
    done = inspector_client.post(
        "/imports/confirm", data={"rows": signed_rows(again), "mode": "all", "action": "import"}
    )
    assert done.status_code == 303
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Candidate)) == 201
    # names are encrypted: compared once read, not in SQL
    (fixed,) = [
        c for c in db.session.scalars(sa.select(Candidate)) if c.full_name == "Исправлен Тест"
    ]
    assert fixed.district.kato == "711310000"


def test_a_fix_that_is_still_wrong_is_told_and_imports_nothing(app, inspector_client):
    rows = [person(2, new_iin()), person(3, new_iin())]
    rows[1]["district"] = "999999999"
    html = upload(inspector_client, xlsx(rows), "list.xlsx").get_data(as_text=True)
    refused = inspector_client.post(
        "/imports/confirm",
        data={
            "rows": signed_rows(html),
            "mode": "all",
            "action": "import",
            "fix-3-district": "888888888",  # still no such district
            "fix-3-no_such_column": "x",  # ignored
            "fix-999-iin": "x",  # no such row: ignored
        },
    )
    assert refused.status_code == 409
    assert list(problems_by_row(refused.get_data(as_text=True))) == [3]
    assert 'value="888888888"' in refused.get_data(as_text=True)  # the fix is kept
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Candidate)) == 0


def test_a_fix_with_the_import_button_imports_the_fixed_row(app, inspector_client):
    rows = [person(2, new_iin())]
    rows[0]["district"] = "999999999"
    html = upload(inspector_client, xlsx(rows), "list.xlsx").get_data(as_text=True)
    done = inspector_client.post(
        "/imports/confirm",
        data={"rows": signed_rows(html), "mode": "all", "fix-2-district": "711310000"},
    )
    assert done.status_code == 303
    assert db.session.scalar(sa.select(Candidate.iin)) == rows[0]["iin"]
