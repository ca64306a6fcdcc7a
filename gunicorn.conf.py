"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app`.

Chosen from bench.http_bench on 2 cores (README, "Running in production"). The environment
variables override the defaults for a larger machine.
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers, one per core: a request is CPU-bound Python (templates, ORM), so more workers
# or threads than cores add no throughput, only latency and memory.
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = 30  # above the 15 s a SQLite writer waits for its turn (portal/database.py)
graceful_timeout = 30
keepalive = 5
# The app (catalogues, templates, reference modules) is built once in the master; the workers
# share its memory pages, and a restarted worker starts at once.
preload_app = True
# A worker is replaced after about this many requests, staggered, so slow growth (caches,
# fragmentation) never accumulates and the workers never restart together. Not sooner: a new
# worker builds its first pages again (bench.http_bench: 5000 cost 6 % of the rate on 2 cores,
# and a p99 four times as long), and without any replacing the workers held 134–137 MB after
# 160,000 requests each.
max_requests = 20_000
max_requests_jitter = 2_000


def when_ready(server):
    # The app the workers are forked from (preload_app): its templates and catalogues are
    # built here once, not again by each new worker at its first requests (portal/warm_up.py).
    app = server.app.wsgi()
    if getattr(app, "import_name", None) == "portal":  # not another app (bench's bare Flask)
        from portal.warm_up import warm_up

        warm_up(app)


def pre_fork(server, worker):
    # The preloaded objects move to a generation the collector never scans: the workers' full
    # collections stay short, and do not write to (and so copy) the pages they share.
    gc.freeze()
