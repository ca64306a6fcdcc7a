"""Searches as the pages use them: the index ranks, the database decides what may be shown.

1. The index returns the ids of the best SEARCH_MAX_HITS matches, pre-filtered by the user's
   scope hint and the structured filters.
2. The database keeps those ids that pass the user's scope filter (employers/scope.py,
   candidates/scope.py), the structured filters and — for candidates searched for a vacancy —
   the eligibility rules (matching/sql_filters.eligible_for), in rank order.
3. Only then are a page of rows loaded and the count taken. A stale index entry can cost a
   result, never show one the lists would not.

With no words, the page is the filtered list from the database alone, newest first.
"""

from dataclasses import dataclass, field
from math import ceil

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app

from portal import clock
from portal.auth import audit
from portal.auth.models import User
from portal.candidates.identity import identifier
from portal.candidates.models import Candidate
from portal.candidates.scope import candidate_filter
from portal.database import among
from portal.employers.models import Employer, Vacancy
from portal.employers.scope import employer_filter, vacancy_filter
from portal.extensions import db
from portal.matching.facts import facts_from_vacancy
from portal.matching.sql_filters import eligible_for
from portal.search import filters as f
from portal.search.analysis import QueryWord, parse
from portal.search.index import store


@dataclass
class Results:
    items: list
    total: int  # rows the user may see among the hits (never an index count)
    page: int
    per_page: int
    words: tuple[QueryWord, ...] = ()
    truncated: bool = False  # the index had more hits than were checked
    any_words: bool = False  # no row had every word
    extra: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def catch_up() -> None:
    """Apply what other processes or nodes wrote, if the lock is free (never waits)."""
    config = current_app.config
    search_store = store()
    if search_store.pending():
        search_store.sync(
            lock_timeout=config["SEARCH_LOCK_TIMEOUT"], budget=config["SEARCH_SYNC_BUDGET"]
        )


def _visible(model, ids: list[int], conditions) -> list[int]:
    if not ids:
        return []
    ids_among = among(model.id, ids, db.session.get_bind().dialect.name)
    kept = set(db.session.scalars(sa.select(model.id).where(ids_among, *conditions)))
    return [i for i in ids if i in kept]


# What a results page shows is loaded with the rows; what it must never show cannot be loaded.
LOAD_OPTIONS = {
    Vacancy: (
        so.raiseload(Vacancy.conditions),
        so.raiseload(Vacancy.activities),
        so.raiseload(Vacancy.place_types),
        so.raiseload(Vacancy.institutions),
    ),
    Candidate: (
        so.selectinload(Candidate.occupations),
        so.raiseload(Candidate.offences),
        so.raiseload(Candidate.activity_bans),
        so.raiseload(Candidate.supervision),
        so.raiseload(Candidate.contraindications),
    ),
    Employer: (),
}


def _load(model, ids: list[int]) -> list:
    if not ids:
        return []
    query = sa.select(model).where(model.id.in_(ids)).options(*LOAD_OPTIONS[model])
    rows = {row.id: row for row in db.session.scalars(query)}
    return [rows[i] for i in ids if i in rows]


def _search(
    kind: str,
    model,
    query: str,
    *,
    hint: f.Hint | None,
    terms: f.Hint,
    conditions: list,
    page: int,
    per_page: int,
    prefix: bool,
) -> Results:
    page = max(page, 1)
    words = parse(query, prefix_last=prefix)
    if hint is None:  # a role that sees none of these rows
        return Results([], 0, page, per_page, words)
    if not words:
        listing = sa.select(model.id).where(*conditions).order_by(model.id.desc())
        total = db.session.scalar(sa.select(sa.func.count()).select_from(listing.subquery()))
        ids = db.session.scalars(listing.limit(per_page).offset((page - 1) * per_page)).all()
        return Results(_load(model, ids), total, page, per_page, words)
    catch_up()
    found = store().search(
        kind, words, f.combine(hint, terms), limit=current_app.config["SEARCH_MAX_HITS"]
    )
    ranked = _visible(model, found.ids, conditions)
    shown = ranked[(page - 1) * per_page : page * per_page]
    return Results(
        _load(model, shown),
        len(ranked),
        page,
        per_page,
        words,
        truncated=found.truncated,
        any_words=found.any_words,
    )


def search_vacancies(
    user: User,
    query: str,
    filters: f.VacancyFilters,
    *,
    page: int = 1,
    per_page: int = 25,
    prefix: bool = False,
) -> Results:
    return _search(
        "vacancy",
        Vacancy,
        query,
        hint=f.vacancy_hint(user),
        terms=filters.terms(),
        conditions=[vacancy_filter(user), *filters.conditions()],
        page=page,
        per_page=per_page,
        prefix=prefix,
    )


def search_candidates(
    user: User,
    query: str,
    filters: f.CandidateFilters,
    *,
    vacancy: Vacancy | None = None,
    page: int = 1,
    per_page: int = 25,
) -> Results:
    """Candidates in the user's scope; for a vacancy, only those the rules let through. A code
    or a whole IIN finds its one record in the database (the index holds no IIN); anything
    else goes to the index, the last word also as the start of a name («Zhumagul»)."""
    # Anonymised records are out of the index; a code typed does not find them either.
    conditions = [candidate_filter(user), Candidate.anonymised_at.is_(None), *filters.conditions()]
    if vacancy is not None:
        conditions.append(eligible_for(facts_from_vacancy(vacancy), clock.today()))
    exact = identifier(query)
    if exact is not None:
        ids = db.session.scalars(sa.select(Candidate.id).where(exact, *conditions)).all()
        results = Results(_load(Candidate, ids), len(ids), 1, per_page, parse(query))
    else:
        results = _search(
            "candidate",
            Candidate,
            query,
            hint=f.candidate_hint(user),
            terms=filters.terms(),
            conditions=conditions,
            page=page,
            per_page=per_page,
            prefix=True,
        )
    # Who looked for whom: a search, with words or none (a filtered list), reads the people shown.
    audit.read(
        "candidate_searched",
        [c.id for c in results.items],
        user=user,
        query=query,
        vacancy=vacancy.id if vacancy is not None else None,
    )
    return results


def candidate_ids(user: User, query: str) -> list[int]:
    """The index's candidates for a query, best first, before any scope (the caller's query
    applies it): for a list that filters by what the search box would find."""
    words = parse(query, prefix_last=True)
    hint = f.candidate_hint(user)
    if not words or hint is None:
        return []
    catch_up()
    return store().search("candidate", words, hint, limit=current_app.config["SEARCH_MAX_HITS"]).ids


def search_employers(
    user: User,
    query: str,
    filters: f.EmployerFilters,
    *,
    page: int = 1,
    per_page: int = 25,
    prefix: bool = False,
) -> Results:
    return _search(
        "employer",
        Employer,
        query,
        hint=f.employer_hint(user),
        terms=filters.terms(),
        conditions=[employer_filter(user), *filters.conditions()],
        page=page,
        per_page=per_page,
        prefix=prefix,
    )


def visible_vacancy(user: User, vacancy_id: int) -> Vacancy | None:
    return db.session.scalar(
        sa.select(Vacancy).where(Vacancy.id == vacancy_id, vacancy_filter(user))
    )


def open_places(vacancies: list[Vacancy]) -> dict[int, int]:
    """Places not yet taken by people in work, per vacancy, and no more than its workshop has
    free (two queries for the page)."""
    from portal.placements.lifecycle import workshop_places_taken
    from portal.placements.models import Placement
    from portal.placements.vocabulary import ACTIVE

    if not vacancies:
        return {}
    hired = dict(
        db.session.execute(
            sa.select(Placement.vacancy_id, sa.func.count())
            .where(Placement.vacancy_id.in_([v.id for v in vacancies]), Placement.state.in_(ACTIVE))
            .group_by(Placement.vacancy_id)
        ).all()
    )
    workshops = {v.employer_id for v in vacancies if v.employer.workshop_capacity is not None}
    taken = workshop_places_taken(list(workshops)) if workshops else {}
    free = {}
    for v in vacancies:
        free[v.id] = max(v.places - hired.get(v.id, 0), 0)
        if v.employer.workshop_capacity is not None:
            in_workshop = v.employer.workshop_capacity - taken.get(v.employer_id, 0)
            free[v.id] = max(min(free[v.id], in_workshop), 0)
    return free
