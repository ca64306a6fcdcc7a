"""CPU per request and SQL statements per request of the pages in bench.http_bench, in process.

    python -m bench.page_cpu [-n 200] [--profile LABEL/ROLE] [--sql LABEL/ROLE]

Builds a throw-away SQLite database with the demo data (as bench.http_bench does), signs each
role in on a test client (the session a sign-in leaves, as tests/helpers.sign_in), and requests
each page n times: prints the process CPU time per request (median of 5 rounds) and the number
of SQL statements one request runs. --profile prints a pyinstrument profile of one page,
--sql the statements it runs.
"""

import argparse
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import sqlalchemy as sa
from flask import session

from bench.http_bench import LOGINS, ROOT, _inspector_pages, _serve_env
from portal import create_app
from portal.auth.models import User
from portal.auth.sessions import start_session
from portal.extensions import db


def _client(app, role: str | None):
    client = app.test_client()
    if role is None:
        return client
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == LOGINS[role]))
        with app.test_request_context():
            start_session(user)
            signed_in = dict(session)
    with client.session_transaction() as saved:
        saved.update(signed_in)
    return client


def _statements(app, client, path: str, show: bool = False) -> int:
    count = 0

    def counted(_conn, _cursor, statement, *_args):
        nonlocal count
        count += 1
        if show:
            print(" ".join(statement.split())[:300])

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", counted)
    try:
        client.get(path)
    finally:
        sa.event.remove(engine, "before_cursor_execute", counted)
    return count


def _cpu_ms(client, path: str, n: int) -> float:
    rounds = []
    for _ in range(5):
        start = time.process_time()
        for _ in range(n):
            client.get(path)
        rounds.append((time.process_time() - start) * 1000 / n)
    return statistics.median(rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50, help="requests a round (5 rounds)")
    parser.add_argument("--profile", help="a page's label and role, e.g. 'vacancy list/employer'")
    parser.add_argument("--sql", help="print the statements of this page (label/role)")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="portal-page-cpu-")
    try:
        env = _serve_env(f"sqlite:///{folder}/portal.db", f"{folder}/search")
        os.environ.update(env)
        for command in (
            ("db", "upgrade"),
            ("reference", "load"),
            ("demo", "load"),
            ("search", "sync"),
        ):
            subprocess.run(
                [sys.executable, "-m", "flask", *command], cwd=ROOT, check=True, capture_output=True
            )
        app = create_app({"SECRET_KEY": secrets.token_hex(16), "SESSION_COOKIE_SECURE": False})
        pages = _inspector_pages(app)
        clients = {role: _client(app, role) for role in {role for _l, role, _p in pages}}
        for label, role, path in pages:
            client = clients[role]
            status = client.get(path).status_code
            if args.profile:
                if args.profile != f"{label}/{role}":
                    continue
                from pyinstrument import Profiler

                with Profiler(interval=0.0002) as profiler:
                    for _ in range(args.n):
                        client.get(path)
                print(profiler.output_text(unicode=True, color=False, show_all=False))
                continue
            if args.sql:
                if args.sql == f"{label}/{role}":
                    _statements(app, client, path, show=True)
                continue
            statements = _statements(app, client, path)
            ms = _cpu_ms(client, path, args.n)
            print(f"{label:<20} {role or 'anonymous':<10} {status} {ms:7.2f} ms {statements:3} SQL")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
