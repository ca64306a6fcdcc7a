"""How far a programme has got, counted in SQL: one aggregate, whatever the number of steps."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from portal.extensions import db
from portal.programmes.models import DONE, NOT_POSSIBLE, Programme, ProgrammeStep, overdue


@dataclass(frozen=True)
class Progress:
    steps: int = 0
    done: int = 0
    not_possible: int = 0
    overdue: int = 0


def count_if(condition) -> sa.ColumnElement[int]:
    """How many rows of the group meet `condition` (0 for none)."""
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def progress(candidate_id: int, today: date) -> Progress | None:
    """The record's programme's counts, or None when the person has no programme."""
    row = db.session.execute(
        sa.select(
            Programme.id,
            sa.func.count(ProgrammeStep.id),
            count_if(ProgrammeStep.state == DONE),
            count_if(ProgrammeStep.state == NOT_POSSIBLE),
            count_if(overdue(today)),
        )
        .outerjoin(ProgrammeStep, ProgrammeStep.programme_id == Programme.id)
        .where(Programme.candidate_id == candidate_id)
        .group_by(Programme.id)
    ).first()
    if row is None:
        return None
    return Progress(*map(int, row[1:]))
