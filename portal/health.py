"""What /healthz checks: the database answers, and the search index folder can be written.

Each check says only whether its part works: a load balancer or an operator learns which part
failed, never a message, a path or a driver's error (those go to the log)."""

import os
import tempfile

import sqlalchemy as sa
from flask import current_app

from portal.extensions import db


def database_ok() -> bool:
    try:
        db.session.execute(sa.text("SELECT 1"))
        return True
    except Exception:  # any failure of the database is "down"
        current_app.logger.exception("health check: the database does not answer")
        db.session.rollback()
        return False


def search_index_ok() -> bool:
    """The folder exists (or can be made) and a file can be written there, as a sync must."""
    folder = current_app.config["SEARCH_INDEX_DIR"]
    try:
        os.makedirs(folder, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
        return True
    except OSError:
        current_app.logger.exception("health check: the search index folder is not writable")
        return False


CHECKS = {"database": database_ok, "search_index": search_index_ok}


def report() -> tuple[dict, int]:
    """{"status": "ok"|"failed", "checks": {part: "ok"|"failed"}} and 200 or 503."""
    checks = {name: "ok" if check() else "failed" for name, check in CHECKS.items()}
    healthy = all(value == "ok" for value in checks.values())
    return {"status": "ok" if healthy else "failed", "checks": checks}, 200 if healthy else 503
