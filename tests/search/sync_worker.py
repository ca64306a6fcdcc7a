"""A separate process for the multi-process tests.

    python -m tests.search.sync_worker sync  DATABASE_URL INDEX_DIR
    python -m tests.search.sync_worker churn DATABASE_URL INDEX_DIR SEED STEPS

`sync` applies the outbox (PORTAL_SEARCH_SYNC_DELAY slows it down, so a test can kill it
half-way); `churn` makes random changes, each commit followed by the usual non-blocking sync,
and an explicit sync every few steps.
"""

import sys

from portal import create_app
from portal.extensions import db
from portal.search.index import store
from tests.helpers import BASE_CONFIG


def main(action: str, url: str, folder: str, *rest: str) -> None:
    app = create_app(
        {
            **BASE_CONFIG,
            "SQLALCHEMY_DATABASE_URI": url,
            "SEARCH_INDEX_DIR": folder,
            "SEARCH_SYNC_AFTER_COMMIT": action == "churn",
        }
    )
    with app.app_context():
        try:
            if action == "sync":
                print("started", flush=True)
                store().sync(lock_timeout=30)
                print("finished", flush=True)
            else:
                from tests.search.changes import Changes

                seed, steps = int(rest[0]), int(rest[1])
                changes = Changes(seed, tag=seed % 10)
                for step in range(steps):
                    changes.step()
                    if step % 5 == 4:
                        store().sync(lock_timeout=10)
        finally:
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main(*sys.argv[1:])
