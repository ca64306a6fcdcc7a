"""Fixtures: an app on SQLite and on PostgreSQL (migrated once per run), a client, factories,
and the frozen clock.

Tests that use `app` run once per backend. PostgreSQL is found at PORTAL_TEST_POSTGRES_URL
(default: postgres@127.0.0.1:5432/test); each run creates and drops a throw-away database. Where
PostgreSQL is unreachable its tests skip, unless PORTAL_REQUIRE_POSTGRES=1 (CI), where they fail.
Every test runs on the suite's day, TEST_TODAY (tests/helpers.py), but those marked
`real_clock`. Helpers that tests import live in tests/helpers.py.
"""

import os
import uuid
from datetime import date, time, timedelta

import psycopg
import pytest
import sqlalchemy as sa
import time_machine
from huey.storage import MemoryStorage
from sqlalchemy.engine import make_url

from portal import clock, create_app
from portal.auth.models import ADMIN, AKIMAT, EMPLOYER, INSPECTOR, User
from portal.candidates.consent import loaded_grant
from portal.candidates.identity import new_code
from portal.candidates.models import Candidate
from portal.employers.models import Employer, Vacancy
from portal.extensions import db, limiter
from portal.queue import huey
from portal.reference import seed_data
from portal.reference.identifiers import complete
from portal.reference.loader import load_criminal_articles, load_places_and_vocabularies
from portal.reference.models import (
    CriminalArticle,
    District,
    Institution,
    Occupation,
    ReferenceCorrection,
)
from portal.search.index import close_searchers
from tests.helpers import (
    ASTANA,
    BASE_CONFIG,
    PASSWORD_HASH,
    TEST_NOON,
    district,
    migrate_and_load,
    new_iin,
    region,
    serial,
)

POSTGRES_URL = os.environ.get(
    "PORTAL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("PORTAL_REQUIRE_POSTGRES") == "1"
# Tables the migrations and the reference loader fill; tests leave them as they are.
REFERENCE_TABLES = {
    "alembic_version",
    "region",
    "district",
    "occupation_group",
    "occupation",
    "offence_category",
    "sphere",
    "activity",
    "working_condition",
    "place_type",
    "institution",
    "criminal_article",
    "programme_service",
    "page_generation",  # its one row counts writes (portal/page_cache.py)
}


@pytest.fixture(autouse=True)
def frozen_clock(request):
    """The portal's clock at noon of the suite's day, ticking from there (so that timeouts and
    lock waits still pass); tests marked `real_clock` keep the real one."""
    if request.node.get_closest_marker("real_clock"):
        yield None
        return
    with time_machine.travel(TEST_NOON, tick=True) as traveller:
        yield traveller


@pytest.fixture
def today(frozen_clock) -> date:
    """Today as the portal sees it: the suite's day, or the real one in a `real_clock` test."""
    return clock.today()


def _postgres_admin_url() -> str:
    return make_url(POSTGRES_URL).set(drivername="postgresql").render_as_string(hide_password=False)


def _create_postgres_database() -> str:
    name = f"portal_test_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(_postgres_admin_url(), autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        if REQUIRE_POSTGRES:
            pytest.fail(
                f"PostgreSQL is required (PORTAL_REQUIRE_POSTGRES=1) but unreachable: {error}"
            )
        pytest.skip(f"PostgreSQL unreachable: {error}")
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(url: str) -> None:
    name = make_url(url).database
    with psycopg.connect(_postgres_admin_url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pytest_collection_modifyitems(config, items):
    """A test marked sqlite_only is not run on PostgreSQL at all (deselected, not skipped: in
    CI a skipped PostgreSQL test is a failure to find)."""
    keep, drop = [], []
    for item in items:
        on_postgres = getattr(item, "callspec", None) and (
            item.callspec.params.get("database_url") == "postgresql"
        )
        (drop if on_postgres and item.get_closest_marker("sqlite_only") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'portal.db'}"
        migrate_and_load(url)
        yield url
    else:
        url = _create_postgres_database()
        try:
            migrate_and_load(url)
            yield url
        finally:
            _drop_postgres_database(url)


@pytest.fixture
def fresh_database_url(database_url, tmp_path):
    """A new, empty database on the same backend as `database_url` (no migrations applied)."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    url = _create_postgres_database()
    try:
        yield url
    finally:
        _drop_postgres_database(url)


def _empty_mutable_tables() -> None:
    # Reference rows an administrator corrected in a test: back to the seed's names.
    if db.session.execute(sa.delete(ReferenceCorrection)).rowcount:
        load_places_and_vocabularies()
    edited = CriminalArticle.edited_by_id.is_not(None)
    # employer.decided_by_id and user_account.employer_id refer to each other: break the cycle.
    db.session.execute(sa.update(Employer).values(decided_by_id=None))
    # The one reference table a test may change (an administrator's correction): reload it.
    if db.session.execute(sa.delete(CriminalArticle).where(edited)).rowcount:
        load_criminal_articles()
    for table in reversed(db.metadata.sorted_tables):
        if table.name not in REFERENCE_TABLES:
            db.session.execute(table.delete())
    _undo_reference_admin()
    db.session.commit()


def _undo_reference_admin() -> None:
    """Rows an administrator added or retired in a test: gone, and back in use."""
    seeded = (
        (Institution, Institution.code, {row[0] for row in seed_data.INSTITUTIONS}),
        (Occupation, Occupation.code, {row[0] for row in seed_data.OCCUPATIONS}),
        (District, District.kato, {row[0] for row in seed_data.DISTRICTS}),
    )
    for model, key, codes in seeded:
        db.session.execute(sa.delete(model).where(key.not_in(codes)))
    for model in (District, Occupation, Institution, CriminalArticle):
        retired = model.retired_at.is_not(None)
        db.session.execute(sa.update(model).where(retired).values(retired_at=None))


@pytest.fixture
def search_dir(tmp_path) -> str:
    """This test's search index folder (the index follows this test's rows only)."""
    return str(tmp_path / "search")


@pytest.fixture(scope="session")
def app_pair(database_url):
    """Two apps on the test database, built once per backend (building one costs ~30 ms):
    one serves the test client's requests, the test body runs in the other's app context.

    Two, because Flask reuses an already pushed context of the *same* app for requests, which
    would share `g` and the database session between the test and every request, unlike
    production.
    """
    config = {**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url}
    apps = (create_app(config), create_app(config))
    yield apps
    for each in apps:
        with each.app_context():
            db.engine.dispose()


@pytest.fixture
def app(app_pair, search_dir):
    """The app that serves the test client's requests; the test body runs in its twin's
    context. Both write this test's search index; tables are emptied after the test."""
    web, data = app_pair
    for each in app_pair:
        each.config["SEARCH_INDEX_DIR"] = search_dir
        each.extensions.pop("search_store", None)  # the store of the previous test's folder
    with data.app_context():
        yield web
        close_searchers()  # this thread's cached index searchers (the folder goes with tmp_path)
        db.session.rollback()
        _empty_mutable_tables()
        db.session.remove()


@pytest.fixture
def make_app(app_pair, database_url, search_dir):
    """make_app(**config): another app on the test database, with its engine disposed after."""
    apps = []

    def make(**config):
        apps.append(
            create_app(
                {
                    **BASE_CONFIG,
                    "SQLALCHEMY_DATABASE_URI": database_url,
                    "SEARCH_INDEX_DIR": search_dir,
                    **config,
                }
            )
        )
        return apps[-1]

    yield make
    for made in apps:
        with made.app_context():
            db.engine.dispose()
    # Flask-Limiter keeps "enabled" on its one object, set by the app initialised last: give
    # the shared apps theirs back (init_app of a disabled app only sets the flag).
    limiter.init_app(app_pair[0])


@pytest.fixture
def backend(app) -> str:
    return db.engine.dialect.name


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _saved(row, fields: dict):
    """A factory's row with the test's own fields set, committed."""
    for key, value in fields.items():
        setattr(row, key, value)
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def make_employer(app):
    def make(**fields) -> Employer:
        bin_ = None
        while bin_ is None:
            bin_ = complete(f"2101400{next(serial):04d}"[-11:])
        place = district(fields.pop("district_kato", "711310000"))
        employer = Employer(
            bin=bin_,
            name_ru=fields.pop("name_ru", "ТОО «Тест»"),
            kind="sme",
            region_id=place.region_id,
            district_id=place.id,
            status="approved",
        )
        return _saved(employer, fields)

    return make


@pytest.fixture
def make_user(app, make_employer):
    """make_user(role, **fields): an active user with a valid scope for the role."""

    def make(role: str = ADMIN, **fields) -> User:
        number = next(serial)
        user = User(
            email=fields.pop("email", f"{role}{number}@example.kz"),
            full_name=fields.pop("full_name", f"Test {role} {number}"),
            role=role,
            locale=fields.pop("locale", None),
        )
        if role in (INSPECTOR, AKIMAT) and "region_id" not in fields:
            user.region_id = region(ASTANA).id
        if role == EMPLOYER and "employer_id" not in fields:
            user.employer_id = make_employer().id
        for key, value in fields.items():
            setattr(user, key, value)
        user.password_hash = PASSWORD_HASH
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_vacancy(app, make_employer):
    """make_vacancy(employer=None, **fields): a published day-shift sewing vacancy, 2 places,
    in the employer's district (or `district_kato`), its questions answered (no activities)."""

    def make(employer=None, **fields):
        employer = employer or make_employer()
        vacancy = Vacancy(
            employer_id=employer.id,
            title_ru=fields.pop("title_ru", "Швея"),
            occupation_id=db.session.scalar(
                sa.select(Occupation.id).where(
                    Occupation.code == fields.pop("occupation_code", "7533-0")
                )
            ),
            district_id=district(fields.pop("district_kato")).id
            if "district_kato" in fields
            else employer.district_id,
            places=2,
            wage=150_000,
            shift_start=time(9),
            shift_end=time(18),
            sphere_code="manufacturing",
            with_minors=False,
            near_minors=False,
            activities_answered=True,
            status="published",
            starts_on=clock.today() - timedelta(days=300),
            closes_on=clock.today() + timedelta(days=3 * 365),
        )
        for key, value in fields.items():
            setattr(vacancy, key, value)
        db.session.add(vacancy)
        db.session.commit()
        return vacancy

    return make


@pytest.fixture
def make_candidate(app):
    """make_candidate(region_kato=ASTANA, **fields): a consenting released adult living in the
    region's first demo district, with the offence section filled in (no offences) — the person
    every rule lets through, so a test adds only the facts it is about. A consenting person's
    history holds their grant (signed today), as the consent operations would leave it."""

    def make(region_kato: str = ASTANA, **fields) -> Candidate:
        place = district("711310000") if region_kato == ASTANA else None
        candidate = Candidate(
            code=new_code(),
            full_name=fields.pop("full_name", "Тест Тестов"),
            iin=fields.pop("iin", None) or new_iin(),
            birth_date=date(1980, 1, 1),
            status="released",
            region_id=region(region_kato).id,
            district_id=place.id if place else None,
            offences_recorded=True,
        )
        consents = fields.pop("consent", True)
        candidate = _saved(candidate, fields)
        if consents:
            loaded_grant(candidate, clock.today())
            db.session.commit()
        return candidate

    return make


@pytest.fixture
def worker(monkeypatch):
    """The task queue in memory for this test; `worker()` runs every task waiting in it, as
    the background worker does (in the test's app context, outside any request), and returns
    how many ran."""
    monkeypatch.setattr(huey, "storage", MemoryStorage(huey.name))

    def run() -> int:
        ran = 0
        while (task := huey.dequeue()) is not None:
            huey.execute(task)
            ran += 1
        return ran

    return run
