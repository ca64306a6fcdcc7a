"""The background worker's task queue (Huey): where tasks wait, and how they reach the app.

Storage: Redis when `HUEY_REDIS_URL` (or `REDIS_URL`) is set (production, several nodes);
otherwise SQLite in instance/huey.db (one machine, nothing else to run). `HUEY_IMMEDIATE=1`
runs each task at once in the caller (tests). The queue is built when this module is imported,
before any app, because tasks are declared on it with decorators; the worker process
(`huey_consumer portal.tasks.huey`) builds its one app on the first task.
"""

import functools
import os

from flask import Flask, has_app_context
from huey import Huey, RedisHuey, SqliteHuey

INSTANCE_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "instance")


def make_huey() -> Huey:
    immediate = os.environ.get("HUEY_IMMEDIATE", "").lower() in {"1", "true", "yes", "on"}
    redis_url = os.environ.get("HUEY_REDIS_URL") or os.environ.get("REDIS_URL")
    if redis_url:
        return RedisHuey("portal", url=redis_url, immediate=immediate)
    path = os.environ.get("HUEY_SQLITE_PATH") or os.path.join(INSTANCE_DIR, "huey.db")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return SqliteHuey("portal", filename=path, immediate=immediate)


huey = make_huey()
_worker_app: Flask | None = None


def _app() -> Flask:
    global _worker_app
    if _worker_app is None:
        from portal import create_app

        _worker_app = create_app()
    return _worker_app


def in_app(function):
    """Run a task inside an app context: the caller's (immediate mode, a test), or the
    worker's own app, with the database session removed after each task."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        if has_app_context():
            return function(*args, **kwargs)
        with _app().app_context():
            from portal.extensions import db

            try:
                return function(*args, **kwargs)
            finally:
                db.session.remove()

    return run
