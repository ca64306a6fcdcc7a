"""Ranking eligible candidates for a vacancy, in SQL, with every term of the score named.

Terms (docs/design.md "Ranking"): occupation (same НКЗ code 30 > same unit group 20 > same minor
group 10), skills (5 when the candidate's skills mention a word of the vacancy's occupation),
place (same district 10 > same region 5), availability (5 when available by the start date);
ties go to the person waiting longest without work, then to the older record.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from portal.auth.models import User
from portal.candidates.models import Candidate, candidate_occupation
from portal.candidates.scope import candidate_filter
from portal.employers.models import Vacancy
from portal.employers.scope import vacancy_filter
from portal.extensions import db
from portal.matching.eligibility import evaluate
from portal.matching.facts import facts_from_candidate, facts_from_vacancy
from portal.matching.sql_filters import eligible_for
from portal.matching.vacancy_filters import open_to
from portal.placements.models import Placement
from portal.reference.models import District, Occupation

POINTS = {
    "occupation_code": 30,
    "occupation_unit": 20,
    "occupation_minor": 10,
    "skills": 5,
    "district": 10,
    "region": 5,
    "available": 5,
}
TERM_LABELS = {
    "occupation_code": _l("the same occupation"),
    "occupation_unit": _l("an occupation of the same unit group"),
    "occupation_minor": _l("an occupation of the same minor group"),
    "skills": _l("skills that mention the occupation"),
    "district": _l("lives in the same district"),
    "region": _l("lives in the same region"),
    "available": _l("available by the start date"),
}
# The most a person without a trade of the vacancy's minor group can score.
MAX_WITHOUT_TRADE = (
    POINTS["skills"] + max(POINTS["district"], POINTS["region"]) + POINTS["available"]
)
# Only the first letters of a word are compared, so "швея" also matches "швейное дело".
STEM_LENGTH = 3


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    score: int
    terms: tuple[tuple[str, int], ...]  # (term code, points), for the explanation
    waiting_since: date | None  # end of the last job, or None if never placed


def _trades(vacancy: Vacancy) -> dict[int, list[int]]:
    """{points: ids of the occupations worth them}, for the vacancy's minor group: read first,
    so that finding the people with such a trade is one range of the occupation index."""
    code = vacancy.occupation.code
    group = db.session.execute(
        sa.select(Occupation.id, Occupation.code).where(Occupation.code.startswith(code[:3]))
    ).all()
    by_points: dict[int, list[int]] = {}
    for occupation_id, other in group:
        by_points.setdefault(POINTS[occupation_term(code, other)], []).append(occupation_id)
    return by_points


def occupation_term(code: str, other: str) -> str | None:
    """How near a trade (НКЗ code `other`) is to the vacancy's occupation (`code`)."""
    return (
        "occupation_code"
        if other == code
        else "occupation_unit"
        if other[:4] == code[:4]
        else "occupation_minor"
        if other[:3] == code[:3]
        else None
    )


def _with_trade(occupation_ids: list[int]) -> sa.ColumnElement[bool]:
    return Candidate.id.in_(
        sa.select(candidate_occupation.c.candidate_id).where(
            candidate_occupation.c.occupation_id.in_(occupation_ids)
        )
    )


def _occupation_points(trades: dict[int, list[int]]) -> sa.ColumnElement[int]:
    # Each set of people is read once and looked up per candidate: a grouped join of
    # everyone's trades, or a subquery per candidate, costs far more on both databases.
    return sa.case(
        *((_with_trade(ids), points) for points, ids in sorted(trades.items(), reverse=True)),
        else_=0,
    )


def _stems(*names: str | None) -> list[str]:
    text = " ".join(name for name in names if name).lower()
    words = {w.strip("().,«»-")[:STEM_LENGTH] for w in text.split()}
    return sorted(w for w in words if len(w) == STEM_LENGTH)


def _skill_words(vacancy: Vacancy) -> list[str]:
    return _stems(vacancy.occupation.name_kk, vacancy.occupation.name_ru)


def _score(vacancy: Vacancy, trades: dict[int, list[int]]) -> sa.ColumnElement[int]:
    """The sum of the terms as one SQL expression over Candidate (terms_for names them)."""
    skills = sa.func.lower(Candidate.skills)
    mentions = sa.or_(*(skills.contains(w, autoescape=True) for w in _skill_words(vacancy)))
    available = (
        sa.literal(POINTS["available"])
        if vacancy.starts_on is None
        else sa.case(
            (
                sa.or_(
                    Candidate.available_from.is_(None),
                    Candidate.available_from <= vacancy.starts_on,
                ),
                POINTS["available"],
            ),
            else_=0,
        )
    )
    return (
        _occupation_points(trades)
        + sa.case((mentions, POINTS["skills"]), else_=0)
        + sa.case(
            (Candidate.district_id == vacancy.district_id, POINTS["district"]),
            (Candidate.region_id == vacancy.district.region_id, POINTS["region"]),
            else_=0,
        )
        + available
    )


def ranked_candidates(
    vacancy: Vacancy,
    user: User,
    on: date,
    filters: tuple[sa.ColumnElement[bool], ...] = (),
    with_trade_only: bool = False,
) -> sa.Select:
    """Eligible, consenting candidates in the user's scope who are not in full-time work and
    not already put to this vacancy, best first (paginate the result, or read a page with
    `ranked_page`). `filters` narrow the list further (status, district…); `with_trade_only`
    to the people with a trade of the vacancy's minor group. One flat query: the score is
    computed once per row and sorted by its name; `explain` names the terms of a page."""
    trades = _trades(vacancy)
    if with_trade_only:
        filters += (sa.or_(*(_with_trade(ids) for ids in trades.values())),)
    points = _score(vacancy, trades).label("score")
    waiting_since = (
        sa.select(sa.func.max(Placement.ended_on))
        .where(Placement.candidate_id == Candidate.id)
        .scalar_subquery()
        .label("waiting_since")
    )
    return (
        sa.select(Candidate, points, waiting_since)
        .where(
            candidate_filter(user),
            eligible_for(facts_from_vacancy(vacancy), on),
            Candidate.consent.is_(True),
            Candidate.anonymised_at.is_(None),  # nobody left to propose
            ~sa.exists().where(
                Placement.candidate_id == Candidate.id,
                Placement.state == "hired",
                Placement.part_time.is_(False),
            ),
            Candidate.id.not_in(
                sa.select(Placement.candidate_id).where(
                    Placement.vacancy_id == vacancy.id,
                    Placement.state.in_(("proposed", "interview")),
                )
            ),
            *filters,
        )
        .order_by(points.desc(), waiting_since.asc().nulls_first(), Candidate.id)
    )


def ranked_page(
    vacancy: Vacancy,
    user: User,
    on: date,
    limit: int,
    offset: int = 0,
    filters: tuple[sa.ColumnElement[bool], ...] = (),
    options=(),
) -> list:
    """The rows of ranked_candidates from `offset`, at most `limit`, usually without ranking
    everyone in scope: the people with a trade of the vacancy's group (found by the
    occupation index) are ranked first, on their own. Nobody else can score more than
    MAX_WITHOUT_TRADE, so when the last row of their page scores more, every row above it
    does too, and the page is exactly the full ranking's; otherwise the full ranking is read."""

    def page(with_trade_only: bool) -> list:
        select = ranked_candidates(vacancy, user, on, filters, with_trade_only)
        return db.session.execute(select.options(*options).limit(limit).offset(offset)).all()

    rows = page(with_trade_only=True)
    if len(rows) == limit and rows[-1].score > MAX_WITHOUT_TRADE:
        return rows
    return page(with_trade_only=False)


def explain(row, vacancy: Vacancy) -> Ranked:
    """A result row of ranked_candidates as its score with the terms named."""
    return Ranked(row.Candidate, row.score, terms_for(row.Candidate, vacancy), row.waiting_since)


def terms_for(candidate: Candidate, vacancy: Vacancy) -> tuple[tuple[str, int], ...]:
    """The terms of the score for one pair, in Python: ranks the vacancies on a candidate's
    page and explains the rows of ranked_candidates. tests/matching/test_ranking.py checks
    that they add up to the score the SQL gives."""
    terms = {occupation_term(vacancy.occupation.code, o.code) for o in candidate.occupations}
    occupation = max(terms - {None}, key=POINTS.get, default=None)
    skills = (candidate.skills or "").lower()
    place = (
        "district"
        if candidate.district_id == vacancy.district_id
        else "region"
        if candidate.region_id == vacancy.district.region_id
        else None
    )
    available = (
        vacancy.starts_on is None
        or candidate.available_from is None
        or candidate.available_from <= vacancy.starts_on
    )
    found = (
        occupation,
        "skills" if any(w in skills for w in _skill_words(vacancy)) else None,
        place,
        "available" if available else None,
    )
    return tuple((term, POINTS[term]) for term in found if term)


def _trade_points(person: Candidate) -> dict[int, list[int]]:
    """{points: ids of the occupations worth them} for this person's trades: each occupation
    of a trade's minor group scores as terms_for scores it (the best of the person's trades)."""
    trades = [o.code for o in person.occupations]
    if not trades:
        return {}
    group = db.session.execute(
        sa.select(Occupation.id, Occupation.code).where(
            sa.or_(*(Occupation.code.startswith(code[:3]) for code in trades))
        )
    ).all()
    by_points: dict[int, list[int]] = {}
    for occupation_id, code in group:
        terms = {occupation_term(code, trade) for trade in trades} - {None}
        if terms:
            by_points.setdefault(max(POINTS[t] for t in terms), []).append(occupation_id)
    return by_points


def _mentioned_occupations(person: Candidate) -> list[int]:
    """The occupations whose names the person's skills mention (the НКЗ list is short: a
    few hundred names, read faster than finding which of them open vacancies use)."""
    skills = (person.skills or "").lower()
    if not skills:
        return []
    named = db.session.execute(
        sa.select(Occupation.id, Occupation.name_kk, Occupation.name_ru)
    ).all()
    return [row.id for row in named if any(w in skills for w in _stems(row.name_kk, row.name_ru))]


def _vacancy_score(person: Candidate) -> sa.ColumnElement[int]:
    """terms_for(person, vacancy) summed, as one SQL expression over Vacancy."""
    trades = sorted(_trade_points(person).items(), reverse=True)
    occupation = (
        sa.case(*((Vacancy.occupation_id.in_(ids), points) for points, ids in trades), else_=0)
        if trades
        else sa.literal(0)
    )
    in_region = sa.select(District.id).where(District.region_id == person.region_id)
    available = (
        sa.literal(POINTS["available"])
        if person.available_from is None
        else sa.case(
            (
                sa.or_(Vacancy.starts_on.is_(None), Vacancy.starts_on >= person.available_from),
                POINTS["available"],
            ),
            else_=0,
        )
    )
    return (
        occupation
        + sa.case(
            (
                Vacancy.occupation_id.in_(_mentioned_occupations(person)),
                POINTS["skills"],
            ),
            else_=0,
        )
        + sa.case(
            (Vacancy.district_id == person.district_id, POINTS["district"]),
            (Vacancy.district_id.in_(in_region), POINTS["region"]),
            else_=0,
        )
        + available
    )


def _published(user: User, *columns) -> sa.Select:
    return sa.select(*columns).where(vacancy_filter(user), Vacancy.status == "published")


def _open_to(person: Candidate, on: date) -> sa.ColumnElement[bool]:
    minutes = current_app.config["CURFEW_TRAVEL_MINUTES"]
    return open_to(facts_from_candidate(person), on, minutes)


def open_vacancies(person: Candidate, user: User, on: date) -> sa.Select:
    """The ids of the published vacancies of `user`'s scope the rules let this person be put
    to (vacancy_counts counts them)."""
    return _published(user, Vacancy.id).where(_open_to(person, on))


def excluded_vacancies(person: Candidate, user: User, on: date) -> sa.Select:
    """The published vacancies of `user`'s scope the rules exclude this person from."""
    return _published(user, Vacancy).where(~_open_to(person, on)).order_by(Vacancy.id)


def vacancy_counts(person: Candidate, user: User, on: date) -> dict[str, int]:
    """How many of open_vacancies and of excluded_vacancies there are, in one pass over the
    published vacancies of `user`'s scope (the rules' expression is built and run once)."""
    is_open = _open_to(person, on)
    eligible, excluded = db.session.execute(
        _published(
            user, sa.func.count().filter(is_open), sa.func.count().filter(~is_open)
        ).select_from(Vacancy)
    ).one()
    return {"eligible": eligible, "excluded": excluded}


def ranked_vacancies(person: Candidate, user: User, on: date, limit: int, offset: int = 0):
    """A page of open_vacancies, best first, as (Vacancy, score) rows. The database ranks ids
    alone and the page's vacancies are loaded after: ranking whole rows would join each
    vacancy's employer, occupation and district before sorting, thousands of times a page."""
    score = _vacancy_score(person).label("score")
    ranked = db.session.execute(
        open_vacancies(person, user, on)
        .add_columns(score)
        .order_by(score.desc(), Vacancy.id)
        .limit(limit)
        .offset(offset)
    ).all()
    loaded = {
        v.id: v
        for v in db.session.scalars(
            sa.select(Vacancy).where(Vacancy.id.in_([r.id for r in ranked]))
        )
    }
    return [(loaded[row.id], row.score) for row in ranked]


def explain_vacancies(person: Candidate, rows, on: date) -> list:
    """A page of ranked_vacancies as (vacancy, terms, score, verdict), the verdict's warnings
    to show. The rules run once more on each row: should the SQL form ever let through what
    `evaluate` excludes, the row is left out (fail closed) and the disagreement logged."""
    facts = facts_from_candidate(person)
    explained = []
    for vacancy, score in rows:
        verdict = evaluate(facts, facts_from_vacancy(vacancy), on)
        if not verdict.eligible:
            current_app.logger.error(
                "vacancy filter kept vacancy %s that the rules exclude for candidate %s",
                vacancy.id,
                person.id,
            )
            continue
        explained.append((vacancy, terms_for(person, vacancy), score, verdict))
    return explained


def vacancies_for(person: Candidate, user: User, on: date, limit: int, offset: int = 0) -> list:
    """A page of the vacancies this person may be put to, best first, each explained: the
    person's page, its printed sheet and the API read this one list."""
    return explain_vacancies(person, ranked_vacancies(person, user, on, limit, offset), on)
