"""The programmes' figures for the statistics dashboard, in the scope and filters of every
other figure (portal/stats/filters.py `conditions`, counted on the person's record): people with
a programme, and the steps due in the period by the service responsible — done, done on time
(on or before the due date), not possible, overdue today. Two aggregates, whatever the rows."""

from datetime import date

import sqlalchemy as sa

from portal.auth.models import User
from portal.candidates.models import Candidate
from portal.extensions import db
from portal.programmes.models import (
    DONE,
    NOT_POSSIBLE,
    Programme,
    ProgrammeService,
    ProgrammeStep,
    overdue,
)
from portal.programmes.progress import count_if
from portal.stats.filters import Filters, conditions

MEASURES = ("steps", "done", "on_time", "not_possible", "overdue")


def people_with_programme(filters: Filters, user: User) -> int:
    """People in scope whose programme had started by the period's end."""
    return db.session.scalar(
        sa.select(sa.func.count(Programme.id))
        .join(Candidate, Candidate.id == Programme.candidate_id)
        .where(*conditions(filters, user, subject="candidate"), Programme.started_on <= filters.end)
    )


def steps_by_service(filters: Filters, user: User, today: date) -> list[dict]:
    """Each service with steps due in the period: its counts (MEASURES), by the service's order."""
    rows = db.session.execute(
        sa.select(
            ProgrammeService.code,
            ProgrammeService.name_kk,
            ProgrammeService.name_ru,
            sa.func.count(ProgrammeStep.id),
            count_if(ProgrammeStep.state == DONE),
            count_if(
                sa.and_(ProgrammeStep.state == DONE, ProgrammeStep.done_on <= ProgrammeStep.due_on)
            ),
            count_if(ProgrammeStep.state == NOT_POSSIBLE),
            count_if(overdue(today)),
        )
        .join(ProgrammeStep, ProgrammeStep.service_code == ProgrammeService.code)
        .join(Programme, Programme.id == ProgrammeStep.programme_id)
        .join(Candidate, Candidate.id == Programme.candidate_id)
        .where(
            *conditions(filters, user, subject="candidate"),
            ProgrammeStep.due_on.between(filters.start, filters.end),
        )
        .group_by(
            ProgrammeService.code,
            ProgrammeService.name_kk,
            ProgrammeService.name_ru,
            ProgrammeService.position,
        )
        .order_by(ProgrammeService.position)
    ).all()
    return [
        dict(
            code=code, name_kk=kk, name_ru=ru, **dict(zip(MEASURES, map(int, counts), strict=True))
        )
        for code, kk, ru, *counts in rows
    ]
