"""Each filter's two forms agree: the SQL condition (the truth) and the index terms; the index's
scope hints never hide a row the scope filter lets through."""

from datetime import time

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.auth.models import ADMIN, AKIMAT, EMPLOYER, INSPECTOR, User
from portal.candidates.models import Candidate
from portal.candidates.scope import candidate_filter
from portal.employers.models import Employer, Vacancy
from portal.employers.scope import employer_filter, vacancy_filter
from portal.extensions import db
from portal.reference.models import District, Institution
from portal.search import filters, schema

TIMES = st.sampled_from(
    [
        time(0),
        time(5, 59),
        time(6),
        time(8),
        time(17),
        time(21, 59),
        time(22),
        time(22, 1),
        time(23, 30),
    ]
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(shifts=st.lists(st.one_of(st.none(), st.tuples(TIMES, TIMES)), min_size=1, max_size=8))
def test_the_schedule_filter_agrees_with_the_indexed_schedule(app, make_vacancy, shifts):
    made = []
    for shift in shifts:
        start, end = shift or (None, None)
        made.append(make_vacancy(shift_start=start, shift_end=end))
    for name in ("day", "night"):
        in_sql = set(
            db.session.scalars(
                sa.select(Vacancy.id).where(
                    Vacancy.id.in_([v.id for v in made]),
                    *filters.VacancyFilters(schedule=name).conditions(),
                )
            )
        )
        in_python = {v.id for v in made if schema.schedule(v.shift_start, v.shift_end) == name}
        assert in_sql == in_python, name


def _hint_allows(hint, document) -> bool:
    return hint is not None and all(
        set(document.get(field, "").split()) & set(values) for field, values in hint.items()
    )


@pytest.fixture
def rows(app, make_employer, make_vacancy, make_candidate):
    """Employers, vacancies and candidates spread over two regions and an institution."""
    districts = db.session.scalars(
        sa.select(District).where(
            District.kato.in_(["711310000", "711110000", "354000000", "351010000"])
        )
    ).all()
    institution = db.session.scalar(
        sa.select(Institution).where(Institution.region_id == districts[0].region_id)
    )
    for place in districts:
        employer = make_employer(district_kato=place.kato)
        make_vacancy(employer, district_kato=place.kato)
        make_vacancy(employer, district_kato=districts[0].kato)
        make_candidate(region_id=place.region_id, district_id=place.id)
        make_candidate(region_id=place.region_id, district_id=None)
    make_candidate(
        region_id=institution.region_id, status="min_security", institution_id=institution.id
    )
    return districts, institution


def test_scope_hints_never_hide_what_the_scope_shows(app, rows, make_user):
    districts, institution = rows
    users = [
        make_user(ADMIN),
        make_user(INSPECTOR),
        make_user(INSPECTOR, institution_id=institution.id),
        make_user(INSPECTOR, region_id=districts[-1].region_id),
        make_user(AKIMAT),
        make_user(AKIMAT, district_id=districts[1].id),
        make_user(EMPLOYER, employer_id=db.session.scalar(sa.select(Employer.id).limit(1))),
    ]
    cases = [
        (Vacancy, vacancy_filter, filters.vacancy_hint, "vacancy"),
        (Candidate, candidate_filter, filters.candidate_hint, "candidate"),
        (Employer, employer_filter, filters.employer_hint, "employer"),
    ]
    with db.engine.connect() as conn:
        documents = {kind: list(schema.all_documents(conn, kind)) for *_, kind in cases}
    for user in users:
        for model, scope, hint_for, kind in cases:
            shown = set(db.session.scalars(sa.select(model.id).where(scope(user))))
            hinted = {int(d["id"]) for d in documents[kind] if _hint_allows(hint_for(user), d)}
            assert shown <= hinted, (user.role, kind, shown - hinted)


def test_an_unknown_role_gets_no_hint():
    nobody = User(role="visitor")
    assert filters.vacancy_hint(nobody) is None and filters.candidate_hint(nobody) is None
    assert filters.combine({"region_id": ["1"]}, None) is None
    assert filters.combine({"region_id": ["1", "2"]}, {"region_id": ["2", "3"]}) == {
        "region_id": ["2"]
    }
