"""The candidates a vacancy may take, ranked, and those the rules exclude with the reasons;
the vacancies a person may be put to. The matching pages' queries and rules, for inspectors
and administrators."""

import marshmallow as ma
import sqlalchemy as sa
from flask_login import current_user

from portal import clock
from portal.api import api_blueprint
from portal.api.auth import roles
from portal.api.candidates import STAFF, candidate_or_404
from portal.api.pagination import by_id, by_offset
from portal.api.problems import documented
from portal.api.schemas import PageArgs, ReasonSchema, Schema, page_of, reasons
from portal.api.vacancies import VacancySchema, vacancy_or_404
from portal.auth import audit
from portal.auth.audit import record
from portal.candidates.models import Candidate
from portal.candidates.scope import candidate_filter
from portal.matching.eligibility import evaluate
from portal.matching.facts import facts_from_candidate, facts_from_vacancy
from portal.matching.ranking import TERM_LABELS, explain, ranked_page, vacancies_for
from portal.matching.sql_filters import eligible_for
from portal.matching.views import FACT_LOADS

bp = api_blueprint("matching", "", "Matching: eligible and excluded candidates, with reasons.")


class TermSchema(Schema):
    term = ma.fields.String(required=True)
    points = ma.fields.Integer(required=True)
    label = ma.fields.String(required=True)


class PersonSchema(Schema):
    id = ma.fields.Integer(required=True)
    code = ma.fields.String(required=True)
    full_name = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    district_id = ma.fields.Integer(allow_none=True)


class EligibleSchema(Schema):
    candidate = ma.fields.Nested(PersonSchema, required=True)
    score = ma.fields.Integer(required=True)
    terms = ma.fields.List(ma.fields.Nested(TermSchema), required=True)
    warnings = ma.fields.List(ma.fields.Nested(ReasonSchema), required=True)


class ExcludedSchema(Schema):
    candidate = ma.fields.Nested(PersonSchema, required=True)
    exclusions = ma.fields.List(ma.fields.Nested(ReasonSchema), required=True)


class OpenVacancySchema(Schema):
    vacancy = ma.fields.Nested(VacancySchema, required=True)
    score = ma.fields.Integer(required=True)
    terms = ma.fields.List(ma.fields.Nested(TermSchema), required=True)


def _terms(terms) -> list[dict]:
    return [{"term": t, "points": p, "label": str(TERM_LABELS[t])} for t, p in terms]


@bp.get("/vacancies/<int:vacancy_id>/eligible")
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_of(EligibleSchema, "EligiblePage"))
@documented(bp, 400, 403, 404)
def eligible(args, vacancy_id: int):
    """The people the rules allow, best first, each score explained (the matching page)."""
    roles(*STAFF)
    vacancy = vacancy_or_404(vacancy_id)
    today, facts = clock.today(), facts_from_vacancy(vacancy)
    page = by_offset(
        lambda limit, offset: ranked_page(
            vacancy, current_user, today, limit, offset, options=FACT_LOADS
        ),
        args,
    )
    page["items"] = [
        {
            "candidate": ranked.candidate,
            "score": ranked.score,
            "terms": _terms(ranked.terms),
            "warnings": reasons(
                evaluate(facts_from_candidate(ranked.candidate), facts, today).warnings
            ),
        }
        for ranked in (explain(row, vacancy) for row in page["items"])
    ]
    audit.read(
        "matching_listed", [i["candidate"].id for i in page["items"]], vacancy, tab="eligible"
    )
    return page


@bp.get("/vacancies/<int:vacancy_id>/excluded")
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_of(ExcludedSchema, "ExcludedPage"))
@documented(bp, 400, 403, 404)
def excluded(args, vacancy_id: int):
    """The people of the user's scope the rules exclude, and why (with the legal basis)."""
    roles(*STAFF)
    vacancy = vacancy_or_404(vacancy_id)
    today, facts = clock.today(), facts_from_vacancy(vacancy)
    select = (
        sa.select(Candidate)
        .where(candidate_filter(current_user), ~eligible_for(facts, today))
        .options(*FACT_LOADS)
    )
    page = by_id(select, Candidate.id, args)
    page["items"] = [
        {
            "candidate": c,
            "exclusions": reasons(evaluate(facts_from_candidate(c), facts, today).exclusions),
        }
        for c in page["items"]
    ]
    audit.read(
        "matching_listed", [i["candidate"].id for i in page["items"]], vacancy, tab="excluded"
    )
    return page


@bp.get("/candidates/<int:candidate_id>/vacancies")
@bp.arguments(PageArgs, location="query")
@bp.response(200, page_of(OpenVacancySchema, "OpenVacancyPage"))
@documented(bp, 400, 403, 404)
def open_vacancies(args, candidate_id: int):
    """The published vacancies of the user's scope this person may be put to, best first."""
    person = candidate_or_404(candidate_id)
    record("candidate_matches_viewed", person)
    audit.commit_read()
    today = clock.today()
    page = by_offset(
        lambda limit, offset: vacancies_for(person, current_user, today, limit, offset), args
    )
    page["items"] = [
        {"vacancy": vacancy, "score": score, "terms": _terms(terms)}
        for vacancy, terms, score, _verdict in page["items"]
    ]
    return page
