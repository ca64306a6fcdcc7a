"""Nothing waits for ever: the worker's rounds over proposals left unanswered and follow-up
checks fallen due. Each round tells each thing once (the notifications' dedupe keys), so it
may run as often as the worker likes.

A proposal still "proposed" PROPOSAL_REMIND_DAYS after it was made reminds the employer;
twice as long, the inspector too; after PROPOSAL_EXPIRE_DAYS the portal closes it as "no
answer" through the life cycle, which tells the inspector.
"""

from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from portal import clock
from portal.auth.models import EMPLOYER, User
from portal.database import write_transaction
from portal.employers.models import Employer
from portal.extensions import db
from portal.notifications.notify import inspectors_of, notify, placement_params
from portal.placements import lifecycle, notices
from portal.placements.models import Interview, Placement, Quota
from portal.placements.quotas import standings
from portal.placements.retention import due_among


def unanswered_proposals() -> dict[str, int]:
    remind = current_app.config["PROPOSAL_REMIND_DAYS"]
    expire = current_app.config["PROPOSAL_EXPIRE_DAYS"]
    now = clock.now()
    waiting = db.session.execute(
        sa.select(Placement.id, Placement.version, Placement.proposed_at)
        .where(Placement.state == "proposed", Placement.proposed_at <= now - timedelta(remind))
        .order_by(Placement.id)
    ).all()
    done = {"closed": 0, "reminded": 0}
    for placement_id, version, proposed_at in waiting:
        days = (now - proposed_at).days
        if days >= expire:
            try:
                lifecycle.close_unanswered(placement_id, version, expire)
            except lifecycle.StepRefused:
                continue  # answered or changed meanwhile: nothing to close
            done["closed"] += 1
            continue
        with write_transaction():
            placement = db.session.get(Placement, placement_id)
            notices.to_employer(placement, "proposal_reminder", f"remind:{placement_id}", days=days)
            if days >= 2 * remind:
                notices.to_inspectors(
                    placement, "proposal_unanswered", f"unanswered:{placement_id}", days=days
                )
        done["reminded"] += 1
    return done


def follow_ups_due(today: date | None = None) -> int:
    """Tell the inspectors of each follow-up check that has fallen due (once per check)."""
    due = due_among(sa.true(), today or clock.today())
    if not due:
        return 0
    with write_transaction():
        placements = {
            p.id: p
            for p in db.session.scalars(
                sa.select(Placement).where(Placement.id.in_({d.placement_id for d in due}))
            )
        }
        for check in due:
            placement = placements[check.placement_id]
            notify(
                inspectors_of(placement),
                "follow_up_due",
                "placement",
                placement.id,
                placement_params(placement, months=check.due.milestone),
                f"followup:{placement.id}:{check.due.milestone}",
            )
    return len(due)


def interviews_past() -> int:
    """Ask the employer for the outcome of each interview whose time has passed while the
    candidate is still only invited (once per booking: a moved interview asks again)."""
    rows = db.session.scalars(
        sa.select(Interview)
        .join(Placement, Placement.id == Interview.placement_id)
        .where(
            Interview.starts_at < clock.now(),
            Interview.cancelled_at.is_(None),
            Placement.state == "interview",
        )
    ).all()
    if not rows:
        return 0
    with write_transaction():
        for interview in rows:
            placement = db.session.get(Placement, interview.placement_id)
            stamp = interview.starts_at.isoformat()
            notices.to_employer(
                placement, "interview_outcome", f"outcome:{interview.id}:{stamp}", at=stamp
            )
    return len(rows)


LAST_QUARTER = 10  # from October on, an employer behind on its quota is told (once a year)


def quota_shortfalls(today: date | None = None) -> int:
    """In the year's last quarter, tell each employer still short of its quota."""
    today = today or clock.today()
    if today.month < LAST_QUARTER:
        return 0
    employers = db.session.scalars(
        sa.select(Employer).where(
            Employer.id.in_(sa.select(Quota.employer_id).where(Quota.year == today.year))
        )
    ).all()
    short = {
        employer_id: standing.due
        for employer_id, standing in standings(list(employers), today.year).items()
        if standing.due
    }
    if not short:
        return 0
    users: dict[int, list[User]] = {}
    for user in db.session.scalars(
        sa.select(User).where(
            User.employer_id.in_(short), User.role == EMPLOYER, User.active.is_(True)
        )
    ):
        users.setdefault(user.employer_id, []).append(user)
    with write_transaction():
        for employer_id, due in short.items():
            notify(
                users.get(employer_id, []),
                "quota_shortfall",
                "employer",
                employer_id,
                {"due": due},
                f"quota:{today.year}",
            )
    return len(short)
