"""Rendered pages kept for their own session while nothing they could show has changed.

The pages people reload most (home, the lists, search, matching, statistics) cost tens
of milliseconds to build and are, for one session, the same until something is written. A
signed-in page is kept in the worker's memory under everything it depends on: the generation
of the data (portal/generation.py), the session
(user, session version, CSRF secret: the page's forms carry its token), language, full path,
htmx headers, today's date and the minute the session's end is shown for. A cached view still
runs every check before it (sign-in, timeouts, role); only the building of the page is skipped,
and the audit rows of the people it shows (audit.read) are written again at each showing.

Never kept: a page with a flashed message or a kept form to show (both belong to one showing),
anything but a 200 HTML answer, and anything older than PAGE_CACHE_SECONDS (a bound on what a
write made outside a session, which does not count, could leave stale).
"""

import functools
import hashlib
import threading
import time
from collections import OrderedDict

from flask import Response, current_app, g, make_response, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from portal import clock
from portal.auth import audit
from portal.auth.sessions import ends_at
from portal.generation import for_request
from portal.i18n import select_locale


class _Store:
    """A bounded, least-recently-used map of key → (expiry, body, headers, reads), one per
    worker."""

    def __init__(self) -> None:
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            if item[0] < time.monotonic():
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return item

    def put(self, key, page: tuple, entries: int, seconds: int) -> None:
        """`page`: (body, headers, the audit reads its building recorded)."""
        with self._lock:
            self._items[key] = (time.monotonic() + seconds, *page)
            self._items.move_to_end(key)
            while len(self._items) > entries:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


store = _Store()
_KEPT_HEADERS = ("Content-Type", "Vary", "HX-Push-Url", "HX-Replace-Url", "HX-Trigger")


def _key() -> tuple | None:
    # Signed-in pages only: a visitor without a session would fill the store with pages no one
    # asks for again.
    if (
        request.method != "GET"
        or not current_user.is_authenticated
        or "_flashes" in session
        or g.get("kept_formdata") is not None
    ):
        return None
    counter = for_request()  # read before the page's data: that data is at least as new
    if counter is None:
        return None
    if "csrf_token" not in session:  # the secret exists before it names the page (signing
        generate_csrf()  # a token for every request would cost a kept page 5 % of its time)
    ends = ends_at()
    return (
        counter,
        current_user.id,
        current_user.session_version,
        hashlib.sha256(session["csrf_token"].encode()).digest(),
        select_locale(),  # what get_locale() parses, without parsing it
        request.full_path,
        tuple(sorted((k, v) for k, v in request.headers.items() if k.lower().startswith("hx-"))),
        clock.today(),
        ends.replace(second=0, microsecond=0) if ends else None,
    )


def cached_page(view):
    """Serve the view's page from memory while its key holds (the module's docstring)."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        entries = current_app.config["PAGE_CACHE_ENTRIES"]
        key = _key() if entries else None
        if key is None:
            return view(*args, **kwargs)
        kept = store.get(key)
        if kept is not None:
            _expiry, body, headers, reads = kept
            audit.read_again(reads)  # every showing of a page that reads people is on record
            return Response(body, status=200, headers=headers)
        request.environ[audit.READS_KEY] = reads = []
        response = make_response(view(*args, **kwargs))
        if (
            response.status_code == 200
            and response.mimetype == "text/html"
            and not response.direct_passthrough
            and "_flashes" not in session
        ):
            headers = [(n, v) for n, v in response.headers.items() if n in _KEPT_HEADERS]
            seconds = current_app.config["PAGE_CACHE_SECONDS"]
            store.put(key, (response.get_data(), headers, tuple(reads)), entries, seconds)
        return response

    return wrapped
