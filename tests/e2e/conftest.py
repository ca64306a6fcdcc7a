"""A live portal (SQLite, demo data) served in a thread, and headless Chromium via Playwright.

Debian's Chromium is used (never a downloaded browser); without it these tests skip.
"""

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from portal import create_app
from portal.demo import load_demo_data
from portal.extensions import db
from tests.helpers import BASE_CONFIG, migrate_and_load

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _files_read_whole(wsgi_app):
    """Static files answered from memory, their handle closed at once. Werkzeug's development
    server closes a response's file only after draining the socket, which raises when the
    browser has already gone: the file is then left to the garbage collector, whose
    ResourceWarning fails whichever test is running (filterwarnings = error)."""

    def read_whole(file, buffer_size=8192):
        try:
            return [file.read()]
        finally:
            file.close()

    def app(environ, start_response):
        environ["wsgi.file_wrapper"] = read_whole
        return wsgi_app(environ, start_response)

    return app


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app the live server runs: (the app, its URL)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'portal.db'}"
    migrate_and_load(url)
    app = create_app(
        {
            **BASE_CONFIG,
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": True,
            "SEARCH_INDEX_DIR": str(tmp_path_factory.mktemp("e2e-search")),
        }
    )
    with app.app_context():
        load_demo_data()
        db.session.commit()
    app.wsgi_app = _files_read_whole(app.wsgi_app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def live_url(live_app):
    return live_app[1]


def _then_wait_for_load(action):
    """`action` (a click, a key press), then wait until the page it may have opened has loaded.
    Playwright returns from an action that follows a link or posts a form once the next page is
    committed, not parsed: a read right after it raced the parser (a table counted with no rows
    yet, in CI). When nothing navigated, the page is already loaded and this returns at once."""

    def act(self, *args, **kwargs):
        result = action(self, *args, **kwargs)
        page = getattr(self, "page", self)  # a Locator's page, or the Page itself
        page.wait_for_load_state("load")
        return result

    return act


@pytest.fixture(scope="session", autouse=True)
def _actions_wait_for_the_page_they_open():
    from playwright.sync_api import Locator, Page

    with pytest.MonkeyPatch.context() as patch:
        for cls in (Page, Locator):
            for name in ("click", "press"):
                patch.setattr(cls, name, _then_wait_for_load(getattr(cls, name)))
        yield


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="kk-KZ", viewport={"width": 820, "height": 1180})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshots():
    folder = os.environ.get("PORTAL_SCREENSHOTS")
    return folder


def pytest_collection_modifyitems(items):
    """Under pytest-xdist (`--dist loadgroup`) the browser tests run in one worker, in their
    order, against one live portal: some go on from what an earlier one left."""
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.xdist_group("browser"))
