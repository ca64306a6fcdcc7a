"""The daily retention run (the worker's task and `flask candidates retention`): tell the
record's inspectors of each record coming due within the notice period, once per due day, then
anonymise the records whose day has come. Safe to run again: told once, anonymised once."""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from portal import clock
from portal.candidates.anonymise import RETENTION, AnonymiseRefused, anonymise_locked
from portal.candidates.models import Candidate
from portal.candidates.schedule import coming_due, due_by, with_dates
from portal.database import lock, write_transaction
from portal.extensions import db
from portal.notifications.notify import notify, record_inspectors

BATCH = 100


@dataclass
class Report:
    told: int = 0
    anonymised: list[int] = field(default_factory=list)


def _tell(today: date) -> int:
    told = 0
    last = 0
    while True:
        batch = db.session.scalars(
            coming_due(sa.true(), today)
            .where(Candidate.id > last)
            .order_by(None)
            .order_by(Candidate.id)
            .limit(BATCH)
        ).all()
        if not batch:
            return told
        last = batch[-1].id
        with write_transaction():
            for due in with_dates(batch):
                if due.on <= today:
                    continue  # anonymised below, today
                notify(
                    record_inspectors(due.candidate),
                    "retention_due",
                    "candidate",
                    due.candidate.id,
                    {"candidate": due.candidate.code, "on": due.on.isoformat()},
                    f"retention:{due.candidate.id}:{due.on.isoformat()}",
                )
                told += 1


def _anonymise_due(today: date) -> list[int]:
    """BATCH records a transaction: one commit (and one rewrite of the search index) each."""
    done = []
    ids = list(
        db.session.scalars(sa.select(Candidate.id).where(due_by(today)).order_by(Candidate.id))
    )
    for start in range(0, len(ids), BATCH):
        with write_transaction():
            for candidate in db.session.scalars(
                lock(
                    Candidate, Candidate.id.in_(ids[start : start + BATCH]), due_by(today)
                ).order_by(Candidate.id)
            ).all():  # due_by again under the lock: a proposal or a change since the list
                try:
                    anonymise_locked(candidate, RETENTION, None)
                except AnonymiseRefused:
                    continue
                done.append(candidate.id)
    return done


def run(today: date | None = None) -> Report:
    today = today or clock.today()
    return Report(told=_tell(today), anonymised=_anonymise_due(today))
