"""The dashboard's figures: one function and one aggregate query for each (or for two that
read the same rows), plain data out.

A person is "in work" on a day D when a placement of theirs was hired on or before D and has
not ended before D (`ended_on` is the last day worked, as in `placements.quotas`).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.sql.util import find_tables

from portal import clock
from portal.auth.models import User
from portal.candidates.models import Candidate, candidate_occupation
from portal.employers.models import Employer, Vacancy
from portal.extensions import db
from portal.placements.models import Placement, Quota
from portal.placements.quotas import CATEGORY_STATUS, fulfilment, in_job_during
from portal.placements.vocabulary import STARTED
from portal.reference.models import District, Occupation, OccupationGroup
from portal.stats.filters import Filters, conditions
from portal.stats.sql import add_months, days_between

RETENTION_MONTHS = (3, 6, 12)


def _placements(filters: Filters, user: User, *columns) -> sa.Select:
    """Placements in scope and filtered; a table is joined only when a condition or a column
    needs it (an akimat's page reads placements and vacancies only: half the work)."""
    where = conditions(filters, user)
    parts = (*where, *sa.select(*columns).selected_columns)
    needed = {table for part in parts for table in find_tables(part, check_columns=True)}
    select = (
        sa.select(*columns).select_from(Placement).join(Vacancy, Vacancy.id == Placement.vacancy_id)
    )
    if Employer.__table__ in needed:
        select = select.join(Employer, Employer.id == Vacancy.employer_id)
    if Candidate.__table__ in needed:
        select = select.join(Candidate, Candidate.id == Placement.candidate_id)
    if Occupation.__table__ in needed:
        select = select.join(Occupation, Occupation.id == Vacancy.occupation_id)
    return select.where(*where)


def _count_if(condition) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def in_work_on(day: date):
    return sa.and_(
        Placement.state.in_(STARTED),
        Placement.hired_on <= day,
        sa.or_(Placement.ended_on.is_(None), Placement.ended_on >= day),
    )


def _proposed_within(filters: Filters):
    """Proposals made in the period (local days, stored as UTC instants)."""
    first = datetime.combine(filters.start, time(), clock.LOCAL_ZONE)
    after = datetime.combine(filters.end + timedelta(days=1), time(), clock.LOCAL_ZONE)
    return sa.and_(Placement.proposed_at >= first, Placement.proposed_at < after)


def _started(filters: Filters):
    return sa.and_(
        Placement.state.in_(STARTED), Placement.hired_on.between(filters.start, filters.end)
    )


def _ended(filters: Filters):
    return sa.and_(
        Placement.state.in_(STARTED), Placement.ended_on.between(filters.start, filters.end)
    )


def _mark_reached(months: int, today: date):
    return add_months(Placement.hired_on, months) <= today


def _kept(months: int, today: date):
    mark = add_months(Placement.hired_on, months)
    return sa.and_(mark <= today, sa.or_(Placement.ended_on.is_(None), Placement.ended_on >= mark))


MEASURES = (
    "started",
    "ended",
    "in_work",
    "proposed",
    *(f"{kind}{m}" for kind in ("hired", "kept") for m in RETENTION_MONTHS),
)


def measure(name: str, filters: Filters, today: date) -> sa.ColumnElement[bool]:
    """The placements behind a figure, for the list each figure links to (the figures below
    count with these same conditions)."""
    if name == "started":
        return _started(filters)
    if name == "ended":
        return _ended(filters)
    if name == "in_work":
        return in_work_on(filters.end)
    if name == "proposed":
        return _proposed_within(filters)
    for months in RETENTION_MONTHS:
        if name == f"hired{months}":
            return sa.and_(_started(filters), _mark_reached(months, today))
        if name == f"kept{months}":
            return sa.and_(_started(filters), _kept(months, today))
    return sa.false()


def _in_period(filters: Filters):
    """Placements that were jobs at some time in the period: the only ones the flow counts
    (a start, an end or a person in work in the period needs one), so the only ones read."""
    return sa.and_(
        Placement.state.in_(STARTED),
        Placement.hired_on <= filters.end,
        sa.or_(Placement.ended_on.is_(None), Placement.ended_on >= filters.start),
    )


def _flow_columns(filters: Filters):
    return (
        _count_if(_started(filters)).label("started"),
        _count_if(_ended(filters)).label("ended"),
        sa.func.count(
            sa.distinct(sa.case((in_work_on(filters.end), Placement.candidate_id)))
        ).label("in_work"),
    )


@dataclass(frozen=True)
class Flow:
    started: int
    ended: int
    in_work: int


def flow_and_retention(filters: Filters, user: User, today: date) -> tuple[Flow, list[dict]]:
    """Placements started and ended in the period; people in work on its last day. Retention:
    of the people hired in the period whose N-month mark has passed by `today`, how many were
    still employed N months after the start, for N = 3, 6, 12. One pass over the placements."""
    columns = []
    for months in RETENTION_MONTHS:
        columns += [
            _count_if(measure(f"hired{months}", filters, today)).label(f"due{months}"),
            _count_if(measure(f"kept{months}", filters, today)).label(f"kept{months}"),
        ]
    row = (
        db.session.execute(
            _placements(filters, user, *_flow_columns(filters), *columns).where(_in_period(filters))
        )
        .one()
        ._mapping
    )
    return (
        Flow(int(row["started"]), int(row["ended"]), int(row["in_work"])),
        [
            dict(months=m, hired=int(row[f"due{m}"]), retained=int(row[f"kept{m}"]))
            for m in RETENTION_MONTHS
        ],
    )


def by_district(filters: Filters, user: User) -> list[dict]:
    """The same three figures for each district of the vacancies, largest first."""
    rows = db.session.execute(
        _placements(
            filters, user, District.id, District.name_kk, District.name_ru, *_flow_columns(filters)
        )
        .join(District, District.id == Vacancy.district_id)
        .where(_in_period(filters))
        .group_by(District.id, District.name_kk, District.name_ru)
        .order_by(sa.desc("in_work"), District.name_ru)
    ).all()
    return [
        dict(
            district_id=r.id,
            name_kk=r.name_kk,
            name_ru=r.name_ru,
            started=int(r.started),
            ended=int(r.ended),
            in_work=int(r.in_work),
        )
        for r in rows
    ]


def trend(filters: Filters, user: User, months: int = 12) -> list[dict]:
    """Placements started in each of the `months` months up to the period's end (zeros kept)."""
    back = filters.end.year * 12 + filters.end.month - 1 - (months - 1)
    first = date(back // 12, back % 12 + 1, 1)
    year, month = sa.extract("year", Placement.hired_on), sa.extract("month", Placement.hired_on)
    counts = {
        (int(y), int(m)): int(n)
        for y, m, n in db.session.execute(
            _placements(filters, user, year, month, sa.func.count())
            .where(Placement.state.in_(STARTED), Placement.hired_on.between(first, filters.end))
            .group_by(year, month)
        ).all()
    }
    series, day = [], first
    while day <= filters.end:
        series.append(dict(month=day, started=counts.get((day.year, day.month), 0)))
        day = (day + timedelta(days=32)).replace(day=1)
    return series


def _able(filters: Filters, user: User) -> list:
    """Candidates able to work: records with consent to be placed, in the user's scope."""
    return [Candidate.consent.is_(True), *conditions(filters, user, subject="candidate")]


def _working(day: date):
    return sa.exists().where(Placement.candidate_id == Candidate.id, in_work_on(day))


def _available(filters: Filters, user: User, today: date) -> list:
    """Candidates available for work today: able to work (whatever the occupation filter: the
    groups are the trades') and not in work."""
    people = Filters(filters.start, filters.end, filters.district_id, None, filters.status, None)
    return [*_able(people, user), ~_working(today)]


def _trade_in(code: str):
    return sa.exists().where(
        candidate_occupation.c.candidate_id == Candidate.id,
        candidate_occupation.c.occupation_id == Occupation.id,
        Occupation.code.startswith(code, autoescape=True),
    )


def people(
    name: str,
    filters: Filters,
    user: User,
    today: date,
    code: str = "",
    employer_id: int | None = None,
    category: str = "",
) -> list:
    """The candidates behind a count of people (for the list it links to), as conditions on
    Candidate: the figures below count with these same conditions."""
    if name == "able":
        return _able(filters, user)
    if name == "in_work":
        return [*_able(filters, user), _working(filters.end)]
    if name == "available" and code:
        return [*_available(filters, user, today), _trade_in(code)]
    if name == "filled" and category in CATEGORY_STATUS:
        employers = sa.select(Employer.id).where(
            Employer.id == employer_id, *conditions(filters, user, subject="employer")
        )
        return [
            Candidate.status == CATEGORY_STATUS[category],
            sa.exists().where(
                Placement.candidate_id == Candidate.id,
                Placement.vacancy_id == Vacancy.id,
                Vacancy.employer_id.in_(employers),
                in_job_during(filters.end.year),
            ),
        ]
    return [sa.false()]


def employment_rate(filters: Filters, user: User) -> list[dict]:
    """By status: candidates able to work and those of them in work on the period's last day."""
    rows = db.session.execute(
        sa.select(
            Candidate.status,
            sa.func.count().label("able"),
            _count_if(_working(filters.end)).label("in_work"),
        )
        .where(*_able(filters, user))
        .group_by(Candidate.status)
        .order_by(Candidate.status)
    ).all()
    return [dict(status=r.status, able=int(r.able), in_work=int(r.in_work)) for r in rows]


def proposals(filters: Filters, user: User) -> tuple[list[dict], list[dict]]:
    """Proposals made in the period: by their state today, and those declined by the
    employer's reason (largest first). One pass over the placements."""
    rows = db.session.execute(
        _placements(filters, user, Placement.state, Placement.reason_code, sa.func.count())
        .where(_proposed_within(filters))
        .group_by(Placement.state, Placement.reason_code)
    ).all()
    states: dict[str, int] = {}
    for state, _reason, count in rows:
        states[state] = states.get(state, 0) + int(count)
    declines = sorted(
        ((reason or "other", int(count)) for state, reason, count in rows if state == "declined"),
        key=lambda pair: (-pair[1], pair[0]),
    )
    return (
        [dict(state=state, count=count) for state, count in states.items()],
        [dict(reason=reason, count=count) for reason, count in declines],
    )


def median_days_to_hire(filters: Filters, user: User) -> float | None:
    """Median days from proposal to start, over the placements started in the period."""
    days = days_between(Placement.proposed_at, Placement.hired_on)
    ranked = (
        _placements(
            filters,
            user,
            days.label("days"),
            sa.func.row_number().over(order_by=days).label("rank"),
            sa.func.count().over().label("total"),
        )
        .where(_started(filters))
        .subquery()
    )
    value = db.session.scalar(
        sa.select(sa.func.avg(ranked.c.days * 1.0)).where(
            ranked.c.rank.in_([(ranked.c.total + 1) // 2, (ranked.c.total + 2) // 2])
        )
    )
    return None if value is None else round(float(value), 1)


def quotas(filters: Filters, user: User) -> dict:
    """Quota fulfilment for the year of the period's end: each employer with a quota in the
    user's territory (below quota first), and the totals. Counted by `placements.quotas`."""
    year = filters.end.year
    with_quota = sa.select(Quota.employer_id).where(Quota.year == year)
    employers = db.session.scalars(
        sa.select(Employer).where(
            Employer.id.in_(with_quota), *conditions(filters, user, subject="employer")
        )
    ).all()
    found = fulfilment(list(employers), year)
    names = {e.id: e for e in employers}
    if filters.status:
        found = [f for f in found if CATEGORY_STATUS[f.category] == filters.status]
    rows = sorted(
        (
            {
                "employer": names[f.employer_id],
                "category": f.category,
                "quota": f.quota,
                "filled": f.filled,
                "due": f.due,
            }
            for f in found
        ),
        key=lambda r: (r["due"] == 0, -r["due"], r["employer"].name_ru or ""),
    )
    return {
        "year": year,
        "rows": rows,
        "quota": sum(r["quota"] for r in rows),
        "filled": sum(r["filled"] for r in rows),
        "due": sum(r["due"] for r in rows),
    }


def open_vacancies(filters: Filters, user: User, *columns) -> sa.Select:
    """Published vacancies in scope and filtered, with their employer and occupation."""
    return (
        sa.select(*columns)
        .select_from(Vacancy)
        .join(Employer, Employer.id == Vacancy.employer_id)
        .join(Occupation, Occupation.id == Vacancy.occupation_id)
        .where(Vacancy.status == "published", *conditions(filters, user, subject="vacancy"))
    )


def vacancies_by_group(filters: Filters, user: User, today: date) -> list[dict]:
    """Open places (published vacancies) by НКЗ group one level below the filter's (major
    groups without one), beside the candidates available for them: with consent, a trade of
    the group, and not in work today."""
    level = min(len(filters.group or "") + 1, 3)
    group = sa.func.substr(Occupation.code, 1, level)
    places = dict(
        db.session.execute(
            open_vacancies(filters, user, group, sa.func.sum(Vacancy.places)).group_by(group)
        ).all()
    )
    people = dict(
        db.session.execute(
            sa.select(group, sa.func.count(sa.distinct(Candidate.id)))
            .select_from(Candidate)
            .join(candidate_occupation, candidate_occupation.c.candidate_id == Candidate.id)
            .join(Occupation, Occupation.id == candidate_occupation.c.occupation_id)
            .where(
                *_available(filters, user, today),
                *([Occupation.code.startswith(filters.group)] if filters.group else []),
            )
            .group_by(group)
        ).all()
    )
    codes = sorted(set(places) | set(people))
    names = {
        g.code: g
        for g in db.session.scalars(
            sa.select(OccupationGroup).where(OccupationGroup.code.in_(codes))
        )
    }
    return [
        dict(
            code=code,
            group=names.get(code),
            places=int(places.get(code) or 0),
            candidates=int(people.get(code) or 0),
        )
        for code in codes
    ]
