"""The background worker's tasks: `huey_consumer portal.tasks.huey` runs them (make run
starts it beside the web server). Periodic ones replace the cron lines the portal needed;
each is safe to run again (they tell each thing once, close each thing once). Huey's clock
is UTC: 03:00 UTC is 08:00 in Kazakhstan.
"""

from huey import crontab

from portal.candidates import retention
from portal.employers.expiry import close_expired
from portal.imports import background as imports
from portal.notifications.digest import send_digests
from portal.notifications.mail import deliver_due
from portal.placements import deadlines
from portal.queue import huey, in_app
from portal.search.index import store


@huey.periodic_task(crontab(minute="*"))
@huey.lock_task("send-mail")
@in_app
def send_mail() -> dict[str, int]:
    return deliver_due()


@huey.periodic_task(crontab(minute="*"))
@huey.lock_task("search-sync")
@in_app
def search_sync() -> None:
    """What `flask search sync` applies: the outbox rows requests left to the index."""
    search_store = store()
    while True:
        report = search_store.sync(lock_timeout=30, budget=5000, purge=True)
        if report.skipped or not report.more:
            return


@huey.periodic_task(crontab(minute="5"))
@in_app
def close_expired_vacancies() -> list[int]:
    return close_expired()


@huey.periodic_task(crontab(minute="15"))
@huey.lock_task("proposals")
@in_app
def proposals_waiting() -> dict[str, int]:
    return deadlines.unanswered_proposals()


@huey.periodic_task(crontab(minute="20"))
@in_app
def interviews_past() -> int:
    return deadlines.interviews_past()


@huey.periodic_task(crontab(hour="2", minute="30"))
@in_app
def follow_ups() -> int:
    return deadlines.follow_ups_due()


@huey.periodic_task(crontab(hour="2", minute="40"))
@in_app
def quota_shortfalls() -> int:
    return deadlines.quota_shortfalls()


@huey.periodic_task(crontab(hour="3", minute="0"))
@in_app
def daily_digest() -> int:
    return send_digests()


@huey.task()
@in_app
def check_import(job_id: int) -> None:
    imports.check(job_id)


@huey.task()
@in_app
def run_import(job_id: int) -> None:
    imports.import_(job_id)


@huey.periodic_task(crontab(hour="2", minute="50"))
@huey.lock_task("retention")
@in_app
def retention_run() -> dict[str, int]:
    """Records coming to the end of their retention period: told 30 days ahead, then
    anonymised (before the digest, so the day's notices are in it); and the rows of imports
    left unfinished, deleted."""
    report = retention.run()
    return {
        "told": report.told,
        "anonymised": len(report.anonymised),
        "imports_expired": imports.expire_left(),
    }
