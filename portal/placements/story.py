"""A person's story for their record: proposals, interviews, jobs, follow-up and workplace
checks, newest first, each a link to its placement. Four queries whatever the length of the
story."""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from portal import clock
from portal.employers.models import Vacancy
from portal.extensions import db
from portal.placements.models import Interview, Placement, RetentionCheck, WorkplaceCheck


@dataclass(frozen=True)
class Chapter:
    on: date  # the local day it happened (what the story is ordered by)
    at: datetime | None  # the moment, where there is one
    kind: str  # "proposed", "interview", "hired", "ended", "check", "workplace_check"
    placement: Placement
    interview: Interview | None = None
    check: RetentionCheck | None = None
    workplace_check: WorkplaceCheck | None = None


def story(candidate_id: int) -> list[Chapter]:
    placements = db.session.scalars(
        sa.select(Placement)
        .where(Placement.candidate_id == candidate_id)
        .options(
            # The person is the record's own, loaded already: joined again, their row would be
            # decrypted and their lists selected again.
            so.lazyload(Placement.candidate),
            # Of a vacancy, its title and employer's name only: not the lists matching reads.
            so.joinedload(Placement.vacancy).options(
                so.joinedload(Vacancy.employer).lazyload("*"), so.lazyload("*")
            ),
        )
    ).all()
    by_id = {p.id: p for p in placements}
    chapters = []
    for p in placements:
        chapters.append(Chapter(clock.local_date(p.proposed_at), p.proposed_at, "proposed", p))
        if p.hired_on:
            chapters.append(Chapter(p.hired_on, None, "hired", p))
        if p.ended_on:
            chapters.append(Chapter(p.ended_on, None, "ended", p))
    if by_id:
        for interview in db.session.scalars(
            sa.select(Interview).where(Interview.placement_id.in_(by_id))
        ):
            chapters.append(
                Chapter(
                    clock.local_date(interview.starts_at),
                    interview.starts_at,
                    "interview",
                    by_id[interview.placement_id],
                    interview=interview,
                )
            )
        for check in db.session.scalars(
            sa.select(RetentionCheck).where(RetentionCheck.placement_id.in_(by_id))
        ):
            chapters.append(
                Chapter(
                    check.checked_on,
                    check.created_at,
                    "check",
                    by_id[check.placement_id],
                    check=check,
                )
            )
        for visit in db.session.scalars(
            sa.select(WorkplaceCheck).where(WorkplaceCheck.placement_id.in_(by_id))
        ):
            chapters.append(
                Chapter(
                    visit.checked_on,
                    None,  # the day it was made, not when it was written down
                    "workplace_check",
                    by_id[visit.placement_id],
                    workplace_check=visit,
                )
            )
    return sorted(
        chapters,
        key=lambda c: (c.on, c.at or datetime.combine(c.on, datetime.max.time(), clock.LOCAL_ZONE)),
        reverse=True,
    )
