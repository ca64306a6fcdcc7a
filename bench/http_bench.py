"""The pages people wait for, served by gunicorn and loaded by wrk, beside a bare Flask app.

    python -m bench.http_bench [--backend sqlite|postgresql|both] [--scale 1.0] [--quick]

Serves the portal with gunicorn (gunicorn.conf.py, the production settings) on the demo data
in SQLite, and on PostgreSQL with the demo data plus bench-scale data (bench.data: 100,000
people, 20,000 vacancies, times --scale); signs in as each role through the login form; drives
each page with wrk (8 connections, 20 s; --quick: 5 s and PostgreSQL at scale 0.2); serves
bench/hello_app.py under the same settings in the same run, before the pages and after them.
Prints req/s, p50/p95/p99, errors, the share of the bare app's rate (the mean of its two), and
the workers' RSS before and after. PORTAL_BENCH_PORT
sets the ports (default 5110 for the bare app, the next for the portal).
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pyotp
import sqlalchemy as sa

from bench.data import generate
from bench.db import bench_app
from portal.auth.models import User
from portal.candidates.models import Candidate
from portal.candidates.scope import candidate_filter
from portal.demo import load_demo_data
from portal.demo_data import DEMO_PASSWORD, DEMO_TOTP_SECRET
from portal.employers.models import Vacancy
from portal.employers.scope import vacancy_filter
from portal.extensions import db

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LUA = Path(__file__).with_name("wrk_report.lua")
# This benchmark's ports: the bare app's, and the next one for the portal.
BARE_PORT = int(os.environ.get("PORTAL_BENCH_PORT", "5110"))
PORTAL_PORT = BARE_PORT + 1
AGENT = "portal-http-bench"  # the same on sign-in and under load (sessions are "strong")
LOGINS = {
    "employer": "employer@demo.kz",
    "inspector": "inspector.astana@demo.kz",
    "akimat": "akimat.astana@demo.kz",
}


def _pages(inspector: User) -> list[tuple[str, str | None, str]]:
    """(label, role or None for anonymous, path); ids from the inspector's own scope."""
    vacancy_id = db.session.scalar(
        sa.select(Vacancy.id)
        .where(vacancy_filter(inspector), Vacancy.status == "published")
        .order_by(Vacancy.id)
    )
    candidate_id = db.session.scalar(
        sa.select(Candidate.id).where(candidate_filter(inspector)).order_by(Candidate.id)
    )
    return [
        ("landing", None, "/"),
        ("home", "employer", "/"),
        ("home", "inspector", "/"),
        ("home", "akimat", "/"),
        ("vacancy list", "employer", "/employers/vacancies"),
        ("vacancy list", "inspector", "/employers/vacancies"),
        ("search «швея»", "inspector", "/search/vacancies?q=" + urllib.parse.quote("швея")),
        ("matching page", "inspector", f"/matching/vacancies/{vacancy_id}"),
        ("person's vacancies", "inspector", f"/matching/candidates/{candidate_id}"),
        ("candidate record", "inspector", f"/candidates/{candidate_id}"),
        ("candidate list", "inspector", "/candidates/"),
        (
            "candidate list «Ахметов»",
            "inspector",
            "/candidates/?q=" + urllib.parse.quote("Ахметов"),
        ),
        ("statistics", "akimat", "/stats/"),
    ]


@contextmanager
def gunicorn(app: str, port: int, env: dict):
    """gunicorn with the production config file, on 127.0.0.1:port, until the block ends."""
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "-b", f"127.0.0.1:{port}"]
        + [app],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start: {process.stderr.read()}") from None
                time.sleep(0.3)
        yield process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)


def worker_rss_mb(master: int) -> list[float]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:  # a worker replaced (max_requests) since the list was read
            continue
        found = re.search(r"VmRSS:\s+(\d+)", status)
        if found:  # none while a replaced worker is exiting
            sizes.append(int(found.group(1)) / 1024)
    return sorted(sizes)


def sign_in(port: int, email: str) -> str:
    """A real sign-in through the login form; returns the Cookie header it leaves."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", AGENT)]
    base = f"http://127.0.0.1:{port}"
    form = opener.open(f"{base}/auth/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": DEMO_PASSWORD})
    landed = opener.open(f"{base}/auth/login", data=data.encode())
    if landed.url.endswith("/auth/second-factor/enrol"):
        _enrol(opener, landed)  # answers with the recovery codes, signed in
        return _cookies(jar)
    if landed.url.endswith("/auth/second-factor"):  # the demo's staff have the demo key
        landed = _code(opener, landed.url, landed.read().decode(), DEMO_TOTP_SECRET)
    if "/auth/" in landed.url:
        raise RuntimeError(f"sign-in as {email} failed at {landed.url}")
    return _cookies(jar)


def _cookies(jar) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def _enrol(opener, page) -> None:
    """A role that must have a second factor and has none sets it up at sign-in: the key from
    the page, a code from it, as the person's phone would."""
    html = page.read().decode()
    secret = re.search(r'class="totp-secret">([^<]+)<', html).group(1).replace(" ", "")
    _code(opener, page.url, html, secret)


def _code(opener, url: str, form: str, secret: str):
    """Post the code an authenticator app with `secret` shows now."""
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "code": pyotp.TOTP(secret).now()})
    return opener.open(url, data=data.encode())


def check_page(port: int, path: str, cookie: str | None) -> None:
    """The page answers 200 itself (not a redirect to the login page) before it is timed."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    request.add_header("User-Agent", AGENT)
    if cookie:
        request.add_header("Cookie", cookie)
    response = urllib.request.urlopen(request)
    if response.status != 200 or response.url != request.full_url:
        raise RuntimeError(f"{path} answered {response.status} at {response.url}")


def wrk(port: int, path: str, cookie: str | None, seconds: int, connections: int) -> dict:
    # A slow page is measured, not dropped: wrk's default timeout (2 s) would count it an error.
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["-s", str(LUA)]
    command += ["-H", f"User-Agent: {AGENT}"] + (["-H", f"Cookie: {cookie}"] if cookie else [])
    output = subprocess.run(
        command + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    figures["rate"] = figures["requests"] / figures["seconds"]
    return figures


def line(label: str, f: dict, bare: float) -> str:
    return (
        f"  {label:<34} {f['rate']:7.0f} req/s  p50 {f['p50'] / 1000:6.1f}"
        f"  p95 {f['p95'] / 1000:6.1f}  p99 {f['p99'] / 1000:6.1f} ms"
        f"  errors {f['errors']:3d}  {f['rate'] / bare:6.1%} of bare"
    )


def bare_flask(seconds: int, connections: int) -> tuple[dict, list[float]]:
    with gunicorn("bench.hello_app:app", BARE_PORT, {}) as master:
        return wrk(BARE_PORT, "/", None, seconds, connections), worker_rss_mb(master)


def measure(name: str, env: dict, pages: list, seconds: int, connections: int) -> None:
    """The bare app is timed before the portal's pages and again after them: these machines'
    speed drifts (one run's bare rate was a third above the last's), and the ratios are taken
    to the mean of the two."""
    bare, bare_rss = bare_flask(seconds, connections)
    print(f"[{name}] {connections} connections, {seconds} s a page", flush=True)
    print(line("bare Flask «hello», before", bare, bare["rate"]))
    print(f"  bare workers' RSS {', '.join(f'{mb:.0f}' for mb in bare_rss)} MB")
    rows = []
    with gunicorn("wsgi:app", PORTAL_PORT, env) as master:
        cookies = {role: sign_in(PORTAL_PORT, email) for role, email in LOGINS.items()}
        for _label, role, path in pages:
            check_page(PORTAL_PORT, path, cookies.get(role))
        before, served = worker_rss_mb(master), 0
        for label, role, path in pages:
            figures = wrk(PORTAL_PORT, path, cookies.get(role), seconds, connections)
            served += figures["requests"]
            rows.append((f"{label}, {role}" if role else f"{label}, anonymous", figures))
        after = worker_rss_mb(master)
    again, _rss = bare_flask(seconds, connections)
    rate = (bare["rate"] + again["rate"]) / 2
    print(line("bare Flask «hello», after", again, again["rate"]))
    print(f"  ratios to the mean of the two, {rate:.0f} req/s:")
    for title, figures in rows:
        print(line(title, figures, rate), flush=True)
    print(
        f"  portal workers' RSS {', '.join(f'{mb:.0f}' for mb in before)} MB after sign-in,"
        f" {', '.join(f'{mb:.0f}' for mb in after)} MB after {served:,} requests"
    )


def _serve_env(url: str, search_dir: str) -> dict:
    return {
        "DATABASE_URL": url,
        "SEARCH_INDEX_DIR": search_dir,
        "SECRET_KEY": "http-bench",
        "LOGIN_RATE_LIMIT": "100 per minute",
        "FLASK_APP": "wsgi:app",
    }


def _flask(env: dict, *args: str) -> None:
    subprocess.run(
        [str(BIN / "flask"), *args],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )


def _inspector_pages(app) -> list:
    with app.app_context():
        inspector = db.session.scalar(sa.select(User).where(User.email == LOGINS["inspector"]))
        return _pages(inspector)


def run_sqlite(seconds: int, connections: int) -> None:
    from portal import create_app

    folder = tempfile.mkdtemp(prefix="portal-http-bench-")
    try:
        env = _serve_env(f"sqlite:///{folder}/portal.db", f"{folder}/search")
        for command in (("db", "upgrade"), ("reference", "load"), ("demo", "load")):
            _flask(env, *command)
        _flask(env, "search", "sync")
        app = create_app({"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "SECRET_KEY": "x"})
        measure("sqlite, demo data", env, _inspector_pages(app), seconds, connections)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _vacuum(engine) -> None:
    """The state autovacuum leaves a table in minutes after a bulk load (statistics, the
    visibility map for index-only scans), reached before the pages are timed."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")


def run_postgresql(seconds: int, connections: int, scale: float) -> None:
    folder = tempfile.mkdtemp(prefix="portal-http-bench-")
    try:
        with bench_app("postgresql") as app:
            load_demo_data()
            generate(
                db.session.connection(),
                candidates=int(100_000 * scale),
                vacancies=int(20_000 * scale),
                employers=int(5_000 * scale),
            )
            db.session.commit()
            _vacuum(db.engine)
            url = app.config["SQLALCHEMY_DATABASE_URI"]
            env = _serve_env(url, f"{folder}/search")
            _flask(env, "search", "rebuild")
            db.session.remove()
            pages = _inspector_pages(app)
            people = db.session.scalar(sa.select(sa.func.count()).select_from(Candidate))
            vacancies = db.session.scalar(sa.select(sa.func.count()).select_from(Vacancy))
            db.session.remove()
            name = f"postgresql, demo + {people:,} people, {vacancies:,} vacancies"
            measure(name, env, pages, seconds, connections)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--scale", type=float, default=None, help="PostgreSQL data (default 1)")
    parser.add_argument("--quick", action="store_true", help="5 s a page, PostgreSQL at 0.2")
    parser.add_argument("--seconds", type=int, default=None)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    seconds = args.seconds or (5 if args.quick else 20)
    scale = args.scale if args.scale is not None else (0.2 if args.quick else 1.0)
    if args.backend in ("sqlite", "both"):
        run_sqlite(seconds, args.connections)
    if args.backend in ("postgresql", "both"):
        run_postgresql(seconds, args.connections, scale)


if __name__ == "__main__":
    main()
