"""The import of a spreadsheet through the background worker: how long the requests take, and
how long the worker takes to check and to import.

    python -m bench.import_bench [--backend sqlite|postgresql] [--rows 5000]

Builds an XLSX of --rows people (7 of them with a problem), signs an inspector in, and times:
the upload request (read the file, store its rows encrypted, enqueue), the worker's check,
the import request, and the worker's import (every row checked again, then the valid ones
written in one transaction). For comparison, `Checker` alone over the same rows: the check the
upload request itself ran before the job existed.
"""

import argparse
import io
import time

import sqlalchemy as sa
from flask import session
from flask_babel import force_locale
from huey.storage import MemoryStorage
from openpyxl import Workbook

from bench.db import bench_app
from portal.auth.models import User
from portal.auth.sessions import start_session
from portal.extensions import db
from portal.imports.checking import Checker
from portal.imports.columns import COLUMNS, headers
from portal.imports.models import ImportJob
from portal.imports.reading import read_rows
from portal.queue import huey
from portal.reference.identifiers import complete
from portal.reference.models import Region

ASTANA = "710000000"


def people(count: int) -> list[dict]:
    rows, serial = [], 0
    while len(rows) < count:
        serial += 1
        iin = complete(f"9001013{serial:04d}")
        if iin is None:
            continue
        number = len(rows) + 2
        rows.append(
            {
                "full_name": f"Тестов Тест {number}",
                "iin": iin,
                "birth_date": "02.04.1985",
                "status": "released",
                "district": "999999999" if number % (count // 7) == 0 else "711310000",
                "occupations": "7533-0",
                "languages": "kk, ru",
                "offences": "2014 106 ч.1" if number % 3 else "0",
            }
        )
    return rows


def workbook(rows: list[dict]) -> bytes:
    book = Workbook()
    book.active.append(headers("ru"))
    for row in rows:
        book.active.append([row.get(key, "") for key in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run_worker() -> float:
    started = time.perf_counter()
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
    return time.perf_counter() - started


def timed_request(send) -> tuple[float, object]:
    started = time.perf_counter()
    response = send()
    return time.perf_counter() - started, response


def bench(backend: str, count: int) -> None:
    huey.storage = MemoryStorage("bench")
    with bench_app(backend) as app:
        data = workbook(people(count))
        app.config["WTF_CSRF_ENABLED"] = False
        region_id = db.session.scalar(sa.select(Region.id).where(Region.kato == ASTANA))
        user = User(
            email="inspector@bench",
            full_name="I",
            role="inspector",
            region_id=region_id,
            locale="ru",
            password_hash="-",
        )
        db.session.add(user)
        db.session.commit()
        client = app.test_client()
        with app.test_request_context():
            start_session(user)
            signed_in = dict(session)
        with client.session_transaction() as saved:
            saved.update(signed_in)

        started = time.perf_counter()
        raw_rows = read_rows("list.xlsx", data)
        reading = time.perf_counter() - started
        with force_locale("ru"):
            checker = Checker(user)
            for number, raw in enumerate(raw_rows, start=2):
                checker.check(number, raw)
        alone = time.perf_counter() - started
        db.session.rollback()

        upload_s, response = timed_request(
            lambda: client.post(
                "/imports/",
                data={"file": (io.BytesIO(data), "list.xlsx")},
                content_type="multipart/form-data",
            )
        )
        assert response.status_code == 303, response.status_code
        path = response.headers["Location"]
        check_s = run_worker()
        page_s, page = timed_request(lambda: client.get(path))
        confirm_s, response = timed_request(
            lambda: client.post(f"{path}/confirm", data={"mode": "valid", "action": "import"})
        )
        assert response.status_code == 303, response.status_code
        import_s = run_worker()
        db.session.expire_all()
        job = db.session.scalar(sa.select(ImportJob))
        print(
            f"{backend}, {count} rows ({job.rows_bad} with a problem, {job.imported} imported):\n"
            f"  upload request {upload_s:.2f} s (reading the XLSX alone: {reading:.2f} s);"
            f" preview page {page_s:.2f} s;"
            f" import request {confirm_s:.2f} s\n"
            f"  worker: check {check_s:.1f} s, check again and import {import_s:.1f} s\n"
            f"  the file read and checked alone, in one go (the old upload request): {alone:.1f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        bench(backend, args.rows)


if __name__ == "__main__":
    main()
