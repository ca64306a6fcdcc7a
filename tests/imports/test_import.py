"""Bulk import: the upload only stores the rows read (encrypted) and enqueues; the background
worker checks them (each row's problems on its row, in the user's language) and imports the
valid ones in one transaction, or nothing; the job's page shows a progress bar with or without
JavaScript; the rows are deleted once imported or cancelled; audited; nobody else sees a job."""

import csv
import io
import re
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from portal import tasks
from portal.auth.models import ADMIN, INSPECTOR, AuditEntry
from portal.candidates.identity import has_iin
from portal.candidates.models import Candidate
from portal.extensions import db
from portal.imports import background, importing
from portal.imports.columns import COLUMNS, headers
from portal.imports.models import ImportJob, ImportRow
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


def checked(client, worker, data: bytes, name: str = "list.xlsx") -> tuple[str, str]:
    """Upload, let the worker check, and read the job's page: (its path, the preview)."""
    response = upload(client, data, name)
    assert response.status_code == 303, response.get_data(as_text=True)
    path = response.headers["Location"]
    worker()
    return path, client.get(path).get_data(as_text=True)


def problems_by_row(html: str) -> dict[int, list[str]]:
    found = {}
    for number, column, message in re.findall(
        r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", html
    ):
        found.setdefault(int(number), []).append(f"{column}: {message}")
    return found


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def the_job() -> ImportJob:
    db.session.expire_all()
    return db.session.scalar(sa.select(ImportJob))


@pytest.fixture
def inspector_client(client, make_user):
    sign_in(client, make_user(INSPECTOR, locale="ru"))
    return client


def test_5000_rows_with_planted_errors(app, inspector_client, make_candidate, worker):
    registered = make_candidate().iin
    rows = rows_with_errors(5000, registered)
    data = xlsx(rows)
    started = time.perf_counter()
    response = upload(inspector_client, data, "list.xlsx")
    upload_seconds = time.perf_counter() - started
    assert response.status_code == 303
    path = response.headers["Location"]
    assert count(ImportRow) == 5000 and count(Candidate) == 1  # stored, not checked yet
    started = time.perf_counter()
    assert worker() == 1
    check_seconds = time.perf_counter() - started
    html = inspector_client.get(path).get_data(as_text=True)
    found = problems_by_row(html)
    assert sorted(found) == [12, 23, 34, 45, 57, 68, 79], found.get(2)
    for number, (_column, word) in PLANTED.items():
        shown = found[57 if number == 56 else number]
        assert any(word in problem for problem in shown), (number, shown)
    assert "Ошибки в 7 строках" in html and "Прочитано 5000 строк" in html
    # Everything or nothing, with one fix typed (so the worker checks again): refused there,
    # nothing written; the other rows' problems still told.
    sent = inspector_client.post(
        f"{path}/confirm", data={"mode": "all", "action": "import", "fix-23-district": "711310000"}
    )
    assert sent.status_code == 303
    worker()
    assert count(Candidate) == 1
    job = the_job()
    assert job.state == "checked" and job.refused and job.rows_bad == 6
    html = inspector_client.get(path).get_data(as_text=True)
    assert sorted(problems_by_row(html)) == [12, 34, 45, 57, 68, 79]
    assert "Ничего не импортировано" in html
    # Without a fix, all or nothing is refused in the request itself.
    refused = inspector_client.post(f"{path}/confirm", data={"mode": "all", "action": "import"})
    assert refused.status_code == 409 and count(Candidate) == 1
    # The valid rows.
    done = inspector_client.post(f"{path}/confirm", data={"mode": "valid", "action": "import"})
    assert done.status_code == 303
    started = time.perf_counter()
    worker()
    import_seconds = time.perf_counter() - started
    assert count(Candidate) == 1 + 4994
    assert count(ImportRow) == 0  # the rows read are gone with the import
    job = the_job()
    assert (job.state, job.imported) == ("imported", 4994)
    audit = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "candidates_imported")
    )
    assert audit.details["imported"] == 4994 and audit.details["file_rows"] == 5000
    assert (audit.object_type, audit.object_id) == ("import_job", job.id)
    result = inspector_client.get(path).get_data(as_text=True)
    assert "4994" in result.replace("\xa0", "") and "<progress" not in result
    print(
        f"5,000 rows: upload request {upload_seconds:.2f} s, check {check_seconds:.1f} s, "
        f"check again and import {import_seconds:.1f} s"
    )


def test_the_progress_page_without_javascript_and_with_htmx(
    app, inspector_client, worker, frozen_clock
):
    path = upload(inspector_client, xlsx([person(2, new_iin()), person(3, new_iin())]), "a.xlsx")
    path = path.headers["Location"]
    page = inspector_client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert re.search(r'<progress id="import-progress-bar" value="0" max="2"', html)
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in html
    assert f'href="{path}"' in html  # the refresh link
    assert "Ожидание фонового" in html and "может быть не запущен" not in html
    # The worker is not running: after a while the page says so.
    frozen_clock.shift(timedelta(seconds=45))
    fragment = inspector_client.get(path, headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="import-progress"') and "<html" not in html
    assert 'hx-trigger="every 2s"' in html and "может быть не запущен" in html
    worker()
    done = inspector_client.get(path, headers={"HX-Request": "true"})
    assert done.headers["HX-Refresh"] == "true"
    assert "<progress" not in inspector_client.get(path).get_data(as_text=True)


def test_the_progress_bar_counts_the_rows_checked(app, inspector_client, worker, monkeypatch):
    monkeypatch.setattr(background, "CHUNK", 2)
    shown, real = [], background.Checker.check
    path = upload(inspector_client, xlsx([person(n, new_iin()) for n in range(2, 8)]), "a.xlsx")
    path = path.headers["Location"]

    def check(self, number, raw):
        if number == 6:  # two chunks of two committed: the page shows them
            shown.append(inspector_client.get(path).get_data(as_text=True))
        return real(self, number, raw)

    monkeypatch.setattr(background.Checker, "check", check)
    worker()
    assert 'value="4" max="6"' in shown[0] and "Проверка строк" in shown[0]
    assert the_job().rows_done == 6


def test_the_progress_bar_counts_the_records_written(app, inspector_client, worker, monkeypatch):
    rows = [person(n, new_iin()) for n in range(2, 6)]
    rows[0]["district"] = "999999999"
    path, _html = checked(inspector_client, worker, xlsx(rows))
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 1)
    shown, real = [], importing.add_candidate

    def add(*args):
        shown.append(inspector_client.get(path).get_data(as_text=True))
        return real(*args)

    monkeypatch.setattr(importing, "add_candidate", add)
    inspector_client.post(f"{path}/confirm", data={"mode": "valid", "action": "import"})
    worker()
    # Each page read while the transaction was open: the records written so far, of three.
    assert [re.search(r'value="(\d+)" max="(\d+)"', html).groups() for html in shown] == [
        ("0", "3"),
        ("1", "3"),
        ("2", "3"),
    ]
    assert "одной транзакцией" in shown[0] and count(Candidate) == 3


def test_rows_are_encrypted_and_deleted_after_the_import(app, inspector_client, worker):
    iin = new_iin()
    row = {**person(2, iin), "full_name": "Шифрованная Айгерим"}
    path, _html = checked(inspector_client, worker, xlsx([row]))
    raw = db.session.execute(sa.text("SELECT raw, problems FROM import_row")).all()
    assert len(raw) == 1
    assert iin not in str(raw) and "Шифрованная" not in str(raw) and "711310000" not in str(raw)
    inspector_client.post(f"{path}/confirm", data={"mode": "all", "action": "import"})
    worker()
    assert count(ImportRow) == 0 and the_job().state == "imported"
    assert db.session.scalar(sa.select(Candidate.iin)) == iin


def test_a_failure_while_writing_leaves_nothing_half_written(
    app, inspector_client, worker, monkeypatch
):
    path, _html = checked(
        inspector_client, worker, xlsx([person(n, new_iin()) for n in range(2, 7)])
    )
    real, calls = importing.add_candidate, []

    def fail_on_the_fourth(*args):
        calls.append(1)
        if len(calls) == 4:
            raise RuntimeError("the disk is full")
        return real(*args)

    monkeypatch.setattr(importing, "add_candidate", fail_on_the_fourth)
    inspector_client.post(f"{path}/confirm", data={"mode": "valid", "action": "import"})
    worker()
    assert count(Candidate) == 0 and count(ImportRow) == 5
    assert the_job().state == "failed"
    html = inspector_client.get(path).get_data(as_text=True)
    assert "ошибк" in html and 'value="check"' in html
    monkeypatch.setattr(importing, "add_candidate", real)
    inspector_client.post(f"{path}/confirm", data={"mode": "valid", "action": "check"})
    worker()
    assert the_job().state == "checked"


def test_nobody_else_sees_the_job(app, client, make_user, worker):
    owner = make_user(INSPECTOR)
    sign_in(client, owner)
    path, _html = checked(client, worker, xlsx([person(2, new_iin())]))
    for other in (make_user(INSPECTOR), make_user(ADMIN)):
        sign_in(client, other)
        assert client.get(path).status_code == 404
        assert client.post(f"{path}/confirm", data={"mode": "valid"}).status_code == 404
        assert client.post(f"{path}/cancel").status_code == 404
    assert count(ImportRow) == 1 and count(Candidate) == 0


def test_cancelling_deletes_the_rows_and_the_queued_check_does_nothing(
    app, inspector_client, worker
):
    path = upload(inspector_client, xlsx([person(2, new_iin())]), "a.xlsx").headers["Location"]
    cancelled = inspector_client.post(f"{path}/cancel")
    assert cancelled.status_code == 303 and cancelled.headers["Location"] == "/imports/"
    assert count(ImportRow) == 0
    worker()
    assert the_job().state == "cancelled" and count(ImportRow) == 0
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert "candidates_import_started" in actions and "candidates_import_cancelled" in actions
    assert "отменён" in inspector_client.get(path).get_data(as_text=True)


def test_rows_left_unfinished_are_deleted_by_the_daily_task(
    app, inspector_client, worker, frozen_clock
):
    checked(inspector_client, worker, xlsx([person(2, new_iin())]))
    job = the_job()
    assert background.expire_left(job.updated_at + timedelta(hours=23)) == 0
    frozen_clock.shift(timedelta(hours=25))
    tasks.retention_run()
    worker()
    assert count(ImportRow) == 0 and the_job().state == "expired"
    assert db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "candidates_import_expired")
    )


def test_bad_rows_are_paginated_and_each_page_fixable(app, inspector_client, worker):
    rows = [person(n, new_iin()) for n in range(2, 52)]
    for row in rows[:45]:
        row["district"] = "999999999"
    path, html = checked(inspector_client, worker, xlsx(rows))
    assert sorted(problems_by_row(html)) == list(range(2, 22))  # 20 a page
    assert 'name="fix-21-district"' in html and 'name="fix-22-district"' not in html
    last = inspector_client.get(f"{path}?page=3").get_data(as_text=True)
    assert sorted(problems_by_row(last)) == [42, 43, 44, 45, 46]
    fixed = {f"fix-{n}-district": "711310000" for n in (44, 45, 46)}
    inspector_client.post(f"{path}/confirm", data={"mode": "valid", "action": "check", **fixed})
    worker()
    assert the_job().rows_bad == 42
    assert "Здесь изменены 3 строки." in inspector_client.get(path).get_data(as_text=True)
    last = inspector_client.get(f"{path}?page=3").get_data(as_text=True)
    assert sorted(problems_by_row(last)) == [42, 43]
    inspector_client.post(f"{path}/confirm", data={"mode": "valid", "action": "import"})
    worker()
    assert count(Candidate) == 8


def test_imported_records_carry_derived_categories_and_trades(app, inspector_client, worker):
    rows = [person(2, new_iin()), person(3, new_iin())]
    path, _html = checked(inspector_client, worker, xlsx(rows))
    inspector_client.post(f"{path}/confirm", data={"mode": "all", "action": "import"})
    worker()
    first = db.session.scalar(sa.select(Candidate).where(has_iin(rows[0]["iin"])))
    assert first.offences_recorded and [o.article for o in first.offences] == ["106"]
    assert first.offences[0].category_code != "other"
    assert [o.code for o in first.occupations] == ["7533-0"]
    assert first.birth_date.isoformat() == "1985-04-02"


def test_a_csv_in_kazakh_headers_is_read(app, inspector_client, worker):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(headers("kk"))
    writer.writerow([person(2, new_iin()).get(key, "") for key in COLUMNS])
    _path, html = checked(inspector_client, worker, ("\ufeff" + out.getvalue()).encode(), "l.csv")
    assert problems_by_row(html) == {} and "Прочитана 1 строка" in html


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"PK\x03\x04 broken", "list.xlsx", "XLSX"),
        (b"a,b\n1,2\n", "list.csv", "full_name"),
        (b"hello", "list.txt", "XLSX, CSV"),
        ("\ufefffull_name,iin,birth_date,status\n".encode(), "list.csv", "нет строк"),
        (b"\xff\xfe\x00bad", "list.csv", "UTF-8"),
    ],
)
def test_bad_upload_input_is_a_400_with_a_message(app, inspector_client, data, name, message):
    response = upload(inspector_client, data, name)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(ImportJob) == 0


def test_a_bad_mode_is_a_400_and_a_moved_on_job_a_409(app, inspector_client, worker):
    path, _html = checked(inspector_client, worker, xlsx([person(2, new_iin())]))
    bad = inspector_client.post(f"{path}/confirm", data={"mode": "everything"})
    assert bad.status_code == 400 and "field-error" in bad.get_data(as_text=True)
    inspector_client.post(f"{path}/confirm", data={"mode": "valid", "action": "import"})
    worker()
    again = inspector_client.post(f"{path}/confirm", data={"mode": "valid", "action": "import"})
    assert again.status_code == 409 and count(Candidate) == 1


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
    app, inspector_client, make_candidate, worker
):
    registered = make_candidate().iin
    path, html = checked(inspector_client, worker, xlsx(rows_with_errors(200, registered)))
    assert sorted(problems_by_row(html)) == [12, 23, 34, 45, 57, 68, 79]
    for row, (column, _value) in FIXES.items():  # each bad row's cells, as a form
        assert f'name="fix-{row}-{column}"' in html
    assert 'name="fix-13-iin"' not in html  # a good row is not offered
    assert "200" in html and "Проверено за" in html
    # Check again with the fixes: every row now passes, nothing written yet.
    again = inspector_client.post(
        f"{path}/confirm", data={"mode": "valid", "action": "check", **fixes()}
    )
    assert again.status_code == 303
    worker()
    html = inspector_client.get(path).get_data(as_text=True)
    assert problems_by_row(html) == {} and "0 строк" in html
    assert count(Candidate) == 1
    inspector_client.post(f"{path}/confirm", data={"mode": "all", "action": "import"})
    worker()
    assert count(Candidate) == 201
    # names are encrypted: compared once read, not in SQL
    (fixed,) = [
        c for c in db.session.scalars(sa.select(Candidate)) if c.full_name == "Исправлен Тест"
    ]
    assert fixed.district.kato == "711310000"


def test_a_fix_that_is_still_wrong_is_told_and_imports_nothing(app, inspector_client, worker):
    rows = [person(2, new_iin()), person(3, new_iin())]
    rows[1]["district"] = "999999999"
    path, _html = checked(inspector_client, worker, xlsx(rows))
    inspector_client.post(
        f"{path}/confirm",
        data={
            "mode": "all",
            "action": "import",
            "fix-3-district": "888888888",  # still no such district
            "fix-3-no_such_column": "x",  # ignored
            "fix-999-iin": "x",  # no such row: ignored
        },
    )
    worker()
    html = inspector_client.get(path).get_data(as_text=True)
    assert list(problems_by_row(html)) == [3]
    assert 'value="888888888"' in html  # the fix is kept
    assert count(Candidate) == 0 and the_job().refused


def test_a_fix_with_the_import_button_imports_the_fixed_row(app, inspector_client, worker):
    rows = [person(2, new_iin())]
    rows[0]["district"] = "999999999"
    path, _html = checked(inspector_client, worker, xlsx(rows))
    done = inspector_client.post(
        f"{path}/confirm", data={"mode": "all", "action": "import", "fix-2-district": "711310000"}
    )
    assert done.status_code == 303
    worker()
    assert db.session.scalar(sa.select(Candidate.iin)) == rows[0]["iin"]
