"""Each role's home page as a to-do list: what waits for the user, counted in SQL within their
scope. Every list is one query with a LIMIT and every count one aggregate, so the number of
queries does not grow with the rows (tests/main/test_todo.py counts them)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from portal import clock
from portal.auth.models import User
from portal.candidates.models import ActivityBan, Candidate, Supervision
from portal.candidates.scope import candidate_filter
from portal.employers.models import Employer, Vacancy
from portal.employers.scope import employer_filter, vacancy_filter
from portal.extensions import db
from portal.notifications.models import Notification
from portal.placements.models import Interview, Placement, Quota
from portal.placements.quotas import standings
from portal.placements.retention import due_list
from portal.placements.vocabulary import OPEN, STARTED
from portal.programmes.models import CLOSED, Programme, ProgrammeStep

SHOWN = 10  # rows of each list on the home page; its count says how many in all
CLOSING_DAYS = 14  # a vacancy "closes soon" within this many days
RELEASE_WEEKS = 12  # the UK service's cohort: people released within 12 weeks
ENDING_DAYS = 30  # supervision or a court ban that ends within this many days
OVERDUE_DAYS = 30  # a follow-up check due longer than this is overdue
STEP_DAYS = 30  # a programme step "falls due" within this many days
# Withdrawals the portal made itself, by its rules, that the inspector should look at.
RULE_WITHDRAWALS = ("ineligible", "vacancy_changed", "consent_withdrawn", "no_answer")
ANSWER_KINDS = (
    "proposal_invited",
    "proposal_declined",
    "proposal_hired",
    "placement_ended",
    "interview_booked",
    "interview_moved",
    "interview_cancelled",
)


@dataclass
class Item:
    """One line of the to-do list: how many, and the first rows (each a link on the page)."""

    count: int
    rows: list = field(default_factory=list)


def _count(select: sa.Select) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(select.subquery()))


def _listed(select: sa.Select) -> Item:
    return Item(_count(select), db.session.execute(select.limit(SHOWN)).all())


def _upcoming_interviews(where: sa.ColumnElement[bool]) -> Item:
    return _listed(
        sa.select(
            Interview.starts_at,
            Interview.by_phone,
            Interview.place,
            Placement.id.label("placement_id"),
            Placement.vacancy_id,
            Vacancy.title_kk,
            Vacancy.title_ru,
            Candidate.code,
        )
        .join(Placement, Placement.id == Interview.placement_id)
        .join(Vacancy, Vacancy.id == Placement.vacancy_id)
        .join(Candidate, Candidate.id == Placement.candidate_id)
        .where(
            where,
            Placement.state == "interview",
            Interview.cancelled_at.is_(None),
            Interview.starts_at >= clock.now(),
        )
        .order_by(Interview.starts_at, Interview.id)
    )


def employer_todo(user: User, today: date) -> dict[str, Item]:
    mine = Vacancy.employer_id == user.employer_id
    awaiting = _listed(
        sa.select(
            Placement.id,
            Placement.vacancy_id,
            Placement.proposed_at,
            Vacancy.title_kk,
            Vacancy.title_ru,
            Candidate.code,
        )
        .join(Vacancy, Vacancy.id == Placement.vacancy_id)
        .join(Candidate, Candidate.id == Placement.candidate_id)
        .where(mine, Placement.state == "proposed")
        .order_by(Placement.proposed_at, Placement.id)
    )
    now = clock.now()
    awaiting.rows = [(row, (now - row.proposed_at).days) for row in awaiting.rows]
    outcomes = _count(
        sa.select(Interview.id)
        .join(Placement, Placement.id == Interview.placement_id)
        .join(Vacancy, Vacancy.id == Placement.vacancy_id)
        .where(
            mine,
            Placement.state == "interview",
            Interview.cancelled_at.is_(None),
            Interview.starts_at < now,
        )
    )
    closing = _listed(
        sa.select(Vacancy.id, Vacancy.title_kk, Vacancy.title_ru, Vacancy.closes_on)
        .where(
            mine,
            Vacancy.status == "published",
            Vacancy.closes_on.between(today, today + timedelta(days=CLOSING_DAYS)),
        )
        .order_by(Vacancy.closes_on, Vacancy.id)
    )
    employer = db.session.get(Employer, user.employer_id)
    standing = standings([employer], today.year)[employer.id]
    return {
        "awaiting": awaiting,
        "interviews": _upcoming_interviews(mine),
        "outcomes": Item(outcomes),
        "closing": closing,
        "quota": Item(standing.due, list(standing.fulfilment)),
    }


def _people(where: sa.ColumnElement[bool], order) -> Item:
    return _listed(
        sa.select(Candidate.id, Candidate.full_name, Candidate.code, order.label("on"))
        .where(where)
        .order_by(order, Candidate.id)
    )


def _programme_steps(scope: sa.ColumnElement[bool], due: sa.ColumnElement[bool]) -> Item:
    """Open programme steps of the records in scope, soonest due first."""
    return _listed(
        sa.select(
            ProgrammeStep.id,
            ProgrammeStep.title_kk,
            ProgrammeStep.title_ru,
            ProgrammeStep.due_on,
            Candidate.id.label("candidate_id"),
            Candidate.full_name,
            Candidate.code,
        )
        .join(Programme, Programme.id == ProgrammeStep.programme_id)
        .join(Candidate, Candidate.id == Programme.candidate_id)
        .where(scope, ProgrammeStep.state.not_in(CLOSED), due)
        .order_by(ProgrammeStep.due_on, ProgrammeStep.id)
    )


def inspector_todo(user: User, today: date) -> dict[str, Item]:
    scope = candidate_filter(user)
    in_scope = Placement.candidate_id.in_(sa.select(Candidate.id).where(scope))
    pending = _count(
        sa.select(Employer.id).where(employer_filter(user), Employer.status == "pending")
    )
    answered = _count(
        sa.select(Notification.id).where(
            Notification.user_id == user.id,
            Notification.read_at.is_(None),
            Notification.kind.in_(ANSWER_KINDS),
        )
    )
    due = due_list(user, today)
    overdue = [d for d in due if d.due.due_on < today - timedelta(days=OVERDUE_DAYS)]
    has_open = (
        sa.select(Placement.id)
        .where(Placement.candidate_id == Candidate.id, Placement.state.in_(OPEN + STARTED))
        .exists()
    )
    releasing = _people(
        sa.and_(
            scope,
            Candidate.release_date.between(today, today + timedelta(weeks=RELEASE_WEEKS)),
            ~has_open,
        ),
        Candidate.release_date,
    )
    horizon = (today, today + timedelta(days=ENDING_DAYS))
    ends = sa.union_all(
        sa.select(
            Supervision.candidate_id.label("candidate_id"), Supervision.until.label("on")
        ).where(Supervision.until.between(*horizon)),
        sa.select(ActivityBan.candidate_id, ActivityBan.until).where(
            ActivityBan.until.between(*horizon)
        ),
    ).subquery()
    ending_on = sa.func.min(ends.c.on)
    ending = _listed(
        sa.select(Candidate.id, Candidate.full_name, Candidate.code, ending_on.label("on"))
        .join(ends, ends.c.candidate_id == Candidate.id)
        .where(scope)
        .group_by(Candidate.id, Candidate.full_name, Candidate.code)
        .order_by(ending_on, Candidate.id)
    )
    withdrawn = _listed(
        sa.select(Placement.id, Placement.reason_code, Placement.updated_at, Candidate.code)
        .join(Candidate, Candidate.id == Placement.candidate_id)
        .where(
            in_scope,
            Placement.state == "withdrawn",
            Placement.reason_code.in_(RULE_WITHDRAWALS),
            Placement.updated_at >= clock.now() - timedelta(days=ENDING_DAYS),
        )
        .order_by(Placement.updated_at.desc(), Placement.id.desc())
    )
    return {
        "pending_employers": Item(pending),
        "answered": Item(answered),
        "interviews": _upcoming_interviews(in_scope),
        "follow_ups": Item(len(due)),
        "overdue": Item(len(overdue)),
        "releasing": releasing,
        "ending": ending,
        "withdrawn": withdrawn,
        "steps_overdue": _programme_steps(scope, ProgrammeStep.due_on < today),
        "steps_due": _programme_steps(
            scope, ProgrammeStep.due_on.between(today, today + timedelta(days=STEP_DAYS))
        ),
    }


def _month_placements(user: User, first: date, last: date) -> int:
    return _count(
        sa.select(Placement.id)
        .join(Vacancy, Vacancy.id == Placement.vacancy_id)
        .where(
            vacancy_filter(user),
            Placement.state.in_(STARTED),
            Placement.hired_on.between(first, last),
        )
    )


def akimat_todo(user: User, today: date) -> dict[str, Item]:
    with_quota = db.session.scalars(
        sa.select(Employer)
        .where(
            employer_filter(user),
            Employer.id.in_(sa.select(Quota.employer_id).where(Quota.year == today.year)),
        )
        .order_by(Employer.id)
    ).all()
    standing = standings(list(with_quota), today.year)
    behind = sorted(
        ((employer, standing[employer.id].due) for employer in with_quota),
        key=lambda pair: (-pair[1], pair[0].id),
    )
    behind = [(employer, due) for employer, due in behind if due]
    first = today.replace(day=1)
    last_year = (first.replace(year=first.year - 1), _a_year_before(today))
    return {
        "behind": Item(len(behind), behind[:SHOWN]),
        "month": Item(_month_placements(user, first, today)),
        "month_last_year": Item(_month_placements(user, *last_year)),
    }


def _a_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
