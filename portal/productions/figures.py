"""The report's figures: plain data out, one aggregate query each, counted on one day.

"In paid work" is the statistics dashboard's "in work" on that day (`stats.figures.in_work_on`):
a placement hired on or before it and not ended before it. Who is "able to work" is decided in
`able_to_work` (docs/statistics.md, "The productions report").
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from portal.auth.models import ADMIN, INSPECTOR, User
from portal.candidates.models import Candidate
from portal.candidates.scope import candidate_filter
from portal.employers.models import Employer, Vacancy, vacancy_institution
from portal.employers.scope import employer_filter
from portal.extensions import db
from portal.placements.models import Placement
from portal.productions.models import Production
from portal.productions.scope import institution_filter, production_filter
from portal.reference.models import Institution
from portal.stats.figures import in_work_on

CUSTODY = ("min_security", "pre_release")  # serving a sentence in an institution


def able_to_work() -> list:
    """People in custody able to work: everyone in custody. A medical limit on the record (heavy
    work, harmful conditions, heights, night work) rules out a kind of work, not work, and the
    matching already keeps the person from those jobs; the record has no finding of unfitness
    for any work, which is what would take a person out of this count."""
    return [Candidate.status.in_(CUSTODY), Candidate.institution_id.is_not(None)]


def _people_in_scope(user: User) -> list:
    """The people the user's figures count: of the institutions in scope, and for staff only
    the records they keep (inspectors see counts of their own records, as on the dashboard)."""
    institutions = sa.select(Institution.id).where(institution_filter(user))
    where = [Candidate.institution_id.in_(institutions)]
    if user.role in (ADMIN, INSPECTOR):
        where.append(candidate_filter(user))
    return where


def _working(day: date):
    return sa.exists().where(Placement.candidate_id == Candidate.id, in_work_on(day))


def paid_work(user: User, day: date) -> list[dict]:
    """By institution (those with someone in custody): people able to work and those of them in
    paid work on `day`, the institution's region named."""
    rows = db.session.execute(
        sa.select(
            Candidate.institution_id,
            sa.func.count().label("able"),
            sa.func.coalesce(sa.func.sum(sa.case((_working(day), 1), else_=0)), 0).label("in_work"),
        )
        .where(*able_to_work(), *_people_in_scope(user))
        .group_by(Candidate.institution_id)
    ).all()
    institutions = {
        i.id: i
        for i in db.session.scalars(
            sa.select(Institution).where(Institution.id.in_([r.institution_id for r in rows]))
        )
    }
    found = [
        dict(institution=institutions[r.institution_id], able=int(r.able), in_work=int(r.in_work))
        for r in rows
    ]
    return sorted(found, key=lambda r: (r["institution"].region.kato, r["institution"].code))


def by_region(institutions: list[dict]) -> list[dict]:
    """The institutions' counts added up by the institution's region (a person is in custody in
    one institution, so the sums count nobody twice)."""
    regions: dict[int, dict] = {}
    for row in institutions:
        region = row["institution"].region
        entry = regions.setdefault(region.id, dict(region=region, able=0, in_work=0))
        entry["able"] += row["able"]
        entry["in_work"] += row["in_work"]
    return sorted(regions.values(), key=lambda r: r["region"].kato)


def _production_workers(day: date) -> sa.Select:
    """(production, person) for everyone in work on `day` at a production: in a vacancy of the
    production's employer open to the production's institution."""
    return (
        sa.select(Production.id.label("production_id"), Placement.candidate_id)
        .join(Vacancy, Vacancy.employer_id == Production.employer_id)
        .join(
            vacancy_institution,
            sa.and_(
                vacancy_institution.c.vacancy_id == Vacancy.id,
                vacancy_institution.c.institution_id == Production.institution_id,
            ),
        )
        .join(Placement, Placement.vacancy_id == Vacancy.id)
        .where(in_work_on(day))
    )


def workers_by_production(production_ids, day: date) -> dict[int, int]:
    """People in work at each production on `day`: one aggregate query."""
    pairs = _production_workers(day).where(Production.id.in_(production_ids)).subquery()
    return dict(
        db.session.execute(
            sa.select(
                pairs.c.production_id, sa.func.count(sa.distinct(pairs.c.candidate_id))
            ).group_by(pairs.c.production_id)
        ).all()
    )


def _distinct_workers(pairs: sa.Select) -> int:
    sub = pairs.subquery()
    return db.session.scalar(sa.select(sa.func.count(sa.distinct(sub.c.candidate_id))))


def productions(user: User) -> list[Production]:
    return list(
        db.session.scalars(
            sa.select(Production)
            .join(Employer, Employer.id == Production.employer_id)
            .join(Institution, Institution.id == Production.institution_id)
            .where(production_filter(user))
            .order_by(Institution.code, Employer.name_ru, Production.id)
        )
    )


def branches(user: User, day: date) -> list[dict]:
    """The RSE branches in the user's territory, with their workshop's places and the people in
    work in any of their vacancies on `day`."""
    employers = db.session.scalars(
        sa.select(Employer)
        .where(Employer.kind == "rse_branch", Employer.status == "approved", employer_filter(user))
        .order_by(Employer.name_ru, Employer.id)
    ).all()
    workers = dict(
        db.session.execute(
            sa.select(Vacancy.employer_id, sa.func.count(sa.distinct(Placement.candidate_id)))
            .join(Placement, Placement.vacancy_id == Vacancy.id)
            .where(Vacancy.employer_id.in_([e.id for e in employers]), in_work_on(day))
            .group_by(Vacancy.employer_id)
        ).all()
    )
    return [dict(employer=e, workers=int(workers.get(e.id, 0))) for e in employers]


def branch_workers(branch_ids: list[int], day: date) -> int:
    """People in work at any of the branches on `day`, each once."""
    return _distinct_workers(
        sa.select(Placement.candidate_id)
        .join(Vacancy, Vacancy.id == Placement.vacancy_id)
        .where(Vacancy.employer_id.in_(branch_ids), in_work_on(day))
    )


@dataclass(frozen=True)
class Sites:
    """Productions of one kind (SMEs on institution land, or opened in a year): how many, by
    how many employers, on how much land, and the people in work there, each once."""

    productions: int
    employers: int
    area_m2: int
    workers: int


def sites(chosen: list[Production], day: date) -> Sites:
    ids = [p.id for p in chosen]
    return Sites(
        len(chosen),
        len({p.employer_id for p in chosen}),
        sum(p.area_m2 for p in chosen),
        _distinct_workers(_production_workers(day).where(Production.id.in_(ids))) if ids else 0,
    )
