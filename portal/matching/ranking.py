"""Ranking eligible candidates for a vacancy, in SQL, with every term of the score named.

Terms (DESIGN.md "Ranking"): occupation (same НКЗ code 30 > same unit group 20 > same minor
group 10), skills (5 when the candidate's skills mention a word of the vacancy's occupation),
place (same district 10 > same region 5), availability (5 when available by the start date);
ties go to the person waiting longest without work, then to the older record.
"""
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from portal.auth.models import User
from portal.candidates.models import Candidate, candidate_occupation
from portal.candidates.scope import candidate_filter
from portal.employers.models import Vacancy
from portal.matching.facts import facts_from_vacancy
from portal.matching.sql_filters import eligible_for
from portal.placements.models import Placement
from portal.reference.models import Occupation

POINTS = {"occupation_code": 30, "occupation_unit": 20, "occupation_minor": 10, "skills": 5,
          "district": 10, "region": 5, "available": 5}
TERM_LABELS = {
    "occupation_code": _l("the same occupation"),
    "occupation_unit": _l("an occupation of the same unit group"),
    "occupation_minor": _l("an occupation of the same minor group"),
    "skills": _l("skills that mention the occupation"),
    "district": _l("lives in the same district"),
    "region": _l("lives in the same region"),
    "available": _l("available by the start date"),
}
# Only the first letters of a word are compared, so "швея" also matches "швейное дело".
STEM_LENGTH = 3


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    score: int
    terms: tuple[tuple[str, int], ...]  # (term code, points), for the explanation
    waiting_since: date | None  # end of the last job, or None if never placed


def _occupation_points(vacancy: Vacancy) -> sa.Subquery:
    """(candidate_id, points) for candidates with a trade in the vacancy's minor group: one
    grouped scan, joined to the candidates (a correlated subquery would run per candidate)."""
    code = vacancy.occupation.code
    points = sa.case(
        (Occupation.code == code, POINTS["occupation_code"]),
        (sa.func.substr(Occupation.code, 1, 4) == code[:4], POINTS["occupation_unit"]),
        else_=POINTS["occupation_minor"])
    return (sa.select(candidate_occupation.c.candidate_id, sa.func.max(points).label("points"))
            .join(Occupation, Occupation.id == candidate_occupation.c.occupation_id)
            .where(Occupation.code.startswith(code[:3]))
            .group_by(candidate_occupation.c.candidate_id)
            .subquery("occupation_points"))


def _skill_words(vacancy: Vacancy) -> list[str]:
    names = f"{vacancy.occupation.name_kk} {vacancy.occupation.name_ru}".lower()
    words = {w.strip("().,«»-")[:STEM_LENGTH] for w in names.split()}
    return sorted(w for w in words if len(w) == STEM_LENGTH)


def ranking_columns(vacancy: Vacancy, occupation_points: sa.Subquery):
    """Each term as an SQL expression over Candidate (and the occupation points joined in)."""
    skills = sa.func.lower(Candidate.skills)
    mentions = sa.or_(*(skills.contains(w, autoescape=True) for w in _skill_words(vacancy)))
    region_id = vacancy.district.region_id
    return {
        "occupation": sa.func.coalesce(occupation_points.c.points, 0),
        "skills": sa.case((mentions, POINTS["skills"]), else_=0),
        "place": sa.case((Candidate.district_id == vacancy.district_id, POINTS["district"]),
                         (Candidate.region_id == region_id, POINTS["region"]), else_=0),
        "available": sa.literal(POINTS["available"]) if vacancy.starts_on is None else sa.case(
            (sa.or_(Candidate.available_from.is_(None),
                    Candidate.available_from <= vacancy.starts_on), POINTS["available"]),
            else_=0),
    }


def ranked_candidates(vacancy: Vacancy, user: User, on: date,
                      filters: tuple[sa.ColumnElement[bool], ...] = ()) -> sa.Select:
    """Eligible, consenting candidates in the user's scope who are not in full-time work and
    not already put to this vacancy, best first (paginate the result). `filters` narrow the
    list further (status, district…)."""
    occupation_points = _occupation_points(vacancy)
    terms = ranking_columns(vacancy, occupation_points)
    last_end = (sa.select(sa.func.max(Placement.ended_on))
                .where(Placement.candidate_id == Candidate.id).scalar_subquery())
    # Each term is computed once per candidate in the inner query, then summed and ordered.
    inner = (
        sa.select(Candidate.id, *(expr.label(name) for name, expr in terms.items()),
                  last_end.label("waiting_since"))
        .outerjoin(occupation_points, occupation_points.c.candidate_id == Candidate.id)
        .where(candidate_filter(user), eligible_for(facts_from_vacancy(vacancy), on),
               Candidate.consent.is_(True),
               ~sa.exists().where(Placement.candidate_id == Candidate.id,
                                  Placement.state == "hired", Placement.part_time.is_(False)),
               ~sa.exists().where(Placement.candidate_id == Candidate.id,
                                  Placement.vacancy_id == vacancy.id,
                                  Placement.state.in_(("proposed", "interview"))),
               *filters)
        .subquery()
    )
    score = sum(inner.c[name] for name in terms).label("score")
    return (
        sa.select(Candidate, score, *(inner.c[name] for name in terms), inner.c.waiting_since)
        .join(inner, inner.c.id == Candidate.id)
        .order_by(score.desc(), inner.c.waiting_since.asc().nulls_first(), Candidate.id)
    )


def explain(row) -> Ranked:
    """A result row of ranked_candidates as a score with its terms named."""
    occupation_term = {POINTS["occupation_code"]: "occupation_code",
                       POINTS["occupation_unit"]: "occupation_unit",
                       POINTS["occupation_minor"]: "occupation_minor"}.get(row.occupation)
    place_term = {POINTS["district"]: "district", POINTS["region"]: "region"}.get(row.place)
    terms = [(occupation_term, row.occupation), ("skills", row.skills), (place_term, row.place),
             ("available", row.available)]
    return Ranked(row.Candidate, row.score, tuple((t, p) for t, p in terms if t and p),
                  row.waiting_since)


def terms_for(candidate: Candidate, vacancy: Vacancy) -> tuple[tuple[str, int], ...]:
    """The same terms for one pair, in Python: ranks the vacancies on a candidate's page.
    tests/matching/test_ranking.py checks it gives what the SQL gives."""
    code, codes = vacancy.occupation.code, {o.code for o in candidate.occupations}
    occupation = next((term for term, same in (
        ("occupation_code", code in codes),
        ("occupation_unit", any(c[:4] == code[:4] for c in codes)),
        ("occupation_minor", any(c[:3] == code[:3] for c in codes))) if same), None)
    skills = (candidate.skills or "").lower()
    place = ("district" if candidate.district_id == vacancy.district_id else
             "region" if candidate.region_id == vacancy.district.region_id else None)
    available = (vacancy.starts_on is None or candidate.available_from is None
                 or candidate.available_from <= vacancy.starts_on)
    found = (occupation, "skills" if any(w in skills for w in _skill_words(vacancy)) else None,
             place, "available" if available else None)
    return tuple((term, POINTS[term]) for term in found if term)
