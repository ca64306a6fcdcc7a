"""The vacancy-side SQL form of the rules agrees with `evaluate`, pair by pair, on generated data.

Each example stores a batch of generated vacancies, then for a generated person compares the
ids the SQL condition keeps with those `evaluate` finds eligible. Runs on SQLite and PostgreSQL.
"""

from datetime import date, time, timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.employers.models import Vacancy
from portal.extensions import db
from portal.matching.eligibility import CandidateFacts, evaluate
from portal.matching.facts import facts_from_vacancy
from portal.matching.vacancy_filters import open_to
from portal.reference.models import (
    Activity,
    District,
    Institution,
    Occupation,
    PlaceType,
    WorkingCondition,
)
from tests.matching.test_sql_filters import (
    ACTIVITIES,
    CONDITIONS,
    OFFENCES,
    PLACES,
    SPHERES,
    births,
    margins,
    near_on,
    times,
)

ON = date(2026, 11, 26)
# Occupations implying driving, teaching, work with minors, security, and nothing at all.
OCCUPATIONS = ["8322-0", "2330-0", "2342-0", "5311-1", "5414-0", "7533-0", "7533-0"]
DISTRICTS = ["711310000", "711110000", "354000000", "351010000"]
AREAS = [None, "", "71", "7113", "711310000", "35", "63"]


@st.composite
def people(draw, institution_ids):
    status = draw(
        st.sampled_from(["", "min_security", "pre_release"] + ["released", "probation"] * 3)
    )
    facts = dict(
        status=status,
        birth_date=draw(births),
        institution_id=draw(st.one_of(st.none(), st.sampled_from(institution_ids))),
        release_date=draw(near_on),
        offences=draw(
            st.one_of(
                st.none(),
                st.just(frozenset()),
                st.just(frozenset({"other"})),
                st.frozensets(st.sampled_from(OFFENCES), max_size=3),
            )
        ),
        activity_bans=tuple(
            draw(st.lists(st.tuples(st.sampled_from(ACTIVITIES), near_on), max_size=2))
        ),
        contraindications=draw(st.frozensets(st.sampled_from(CONDITIONS), max_size=2)),
    )
    if draw(st.booleans()):
        facts.update(
            curfew=draw(st.one_of(st.none(), st.tuples(times, times))),
            permitted_area=draw(st.sampled_from(AREAS)),
            prohibited_places=draw(st.frozensets(st.sampled_from(PLACES), max_size=2)),
            no_alcohol=draw(st.booleans()),
            no_contact_minors=draw(st.booleans()),
            supervision_until=draw(near_on),
        )
    return CandidateFacts(**facts)


@st.composite
def vacancy_specs(draw, institution_ids):
    shift = draw(st.one_of(st.none(), st.tuples(times, times), st.tuples(times, times)))
    return dict(
        sphere_code=draw(st.sampled_from([s for s in SPHERES if s])),
        with_minors=draw(st.sampled_from([None, True, False, False])),
        near_minors=draw(st.sampled_from([None, True, False, False])),
        district=draw(st.sampled_from(DISTRICTS)),
        occupation=draw(st.sampled_from(OCCUPATIONS)),
        shift_start=shift[0] if shift else None,
        shift_end=shift[1] if shift else None,
        travel=draw(st.booleans()),
        alcohol=draw(st.booleans()),
        places=draw(st.sets(st.sampled_from(PLACES), max_size=2)),
        activities=draw(st.sets(st.sampled_from(ACTIVITIES), max_size=2)),
        conditions=draw(st.sets(st.sampled_from(CONDITIONS), max_size=1)),
        institutions=draw(st.sets(st.sampled_from(institution_ids), max_size=3)),
        starts_on=draw(near_on),
    )


def store(specs: list[dict], employer_id: int) -> None:
    def by_code(model, key="code"):
        return {getattr(row, key): row for row in db.session.scalars(sa.select(model))}

    places, conditions, activities = (
        by_code(PlaceType),
        by_code(WorkingCondition),
        by_code(Activity),
    )
    institutions = {i.id: i for i in db.session.scalars(sa.select(Institution))}
    occupations = {
        o.code: o.id
        for o in db.session.scalars(sa.select(Occupation).where(Occupation.code.in_(OCCUPATIONS)))
    }
    districts = {
        d.kato: d.id
        for d in db.session.scalars(sa.select(District).where(District.kato.in_(DISTRICTS)))
    }
    for spec in specs:
        db.session.add(
            Vacancy(
                employer_id=employer_id,
                title_ru="Вакансия",
                occupation_id=occupations[spec["occupation"]],
                district_id=districts[spec["district"]],
                sphere_code=spec["sphere_code"],
                with_minors=spec["with_minors"],
                near_minors=spec["near_minors"],
                shift_start=spec["shift_start"],
                shift_end=spec["shift_end"],
                travel=spec["travel"],
                alcohol=spec["alcohol"],
                starts_on=spec["starts_on"],
                # unanswered minors questions exist only on drafts (the filter reads no status)
                status="draft"
                if None in (spec["with_minors"], spec["near_minors"])
                else "published",
                place_types=[places[p] for p in spec["places"]],
                conditions=[conditions[c] for c in spec["conditions"]],
                activities=[activities[a] for a in spec["activities"]],
                institutions=[institutions[i] for i in spec["institutions"]],
            )
        )
    db.session.flush()


def test_vacancy_filter_agrees_with_evaluate(app, make_employer, monkeypatch):
    missing = set(DISTRICTS) - set(db.session.scalars(sa.select(District.kato)))
    assert not missing, f"the test's districts are not in the reference data: {missing}"
    institution_ids = list(db.session.scalars(sa.select(Institution.id).order_by(Institution.id)))
    employer_id = make_employer().id
    compared, kept = [], []

    @settings(
        max_examples=120,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        specs=st.lists(vacancy_specs(institution_ids), min_size=10, max_size=20),
        person=people(institution_ids),
        minutes=margins,
    )
    def check(specs, person, minutes):
        monkeypatch.setitem(app.config, "CURFEW_TRAVEL_MINUTES", minutes)
        try:
            store(specs, employer_id)
            by_sql = set(
                db.session.scalars(sa.select(Vacancy.id).where(open_to(person, ON, minutes)))
            )
            every = db.session.scalars(sa.select(Vacancy)).all()
            by_rules = {v.id for v in every if evaluate(person, facts_from_vacancy(v), ON).eligible}
            closed = sa.select(Vacancy.id).where(~open_to(person, ON, minutes))
            # the excluded tab holds exactly the rest: no vacancy falls in neither (SQL's NULL)
            assert set(db.session.scalars(closed)) == {v.id for v in every} - by_rules
            compared.append(len(every))
            kept.append(len(by_rules))
            assert by_sql == by_rules
        finally:
            db.session.rollback()

    check()
    assert sum(compared) >= 1000  # over a thousand pairs on each backend
    assert 0 < sum(kept) < sum(compared)  # both outcomes occur


def test_a_bus_driver_job_is_closed_to_a_person_banned_from_driving(app, make_vacancy):
    """The ban reaches the occupation's own activity, declared or not (the implied prefixes)."""
    bus = make_vacancy(occupation_code="8322-0")
    sewing = make_vacancy()
    banned = CandidateFacts(
        status="released",
        birth_date=date(1990, 1, 1),
        offences=frozenset(),
        activity_bans=(("driving", None),),
    )
    ids = set(db.session.scalars(sa.select(Vacancy.id).where(open_to(banned, ON, 60))))
    assert sewing.id in ids and bus.id not in ids


def test_a_night_shift_is_closed_to_a_person_under_18(app, make_vacancy):
    night = make_vacancy(shift_start=time(23), shift_end=time(7))
    day = make_vacancy()
    minor = CandidateFacts(
        status="released", birth_date=ON - timedelta(days=17 * 365), offences=frozenset()
    )
    ids = set(db.session.scalars(sa.select(Vacancy.id).where(open_to(minor, ON, 60))))
    assert day.id in ids and night.id not in ids


def test_the_score_sql_gives_a_vacancy_is_the_sum_of_its_named_terms(
    app, make_user, make_vacancy, make_candidate, today
):
    """ranked_vacancies orders by a score computed in SQL; terms_for names its terms on the
    page. They must agree for every kind of term: trade (code, unit, minor group), skills,
    district or region, availability."""
    from portal.auth.models import ADMIN
    from portal.matching.ranking import ranked_vacancies, terms_for

    butcher = db.session.scalar(sa.select(Occupation).where(Occupation.code == "7511-0"))
    person = make_candidate(
        occupations=[butcher], skills="Пекарь, кондитер", available_from=today + timedelta(days=10)
    )
    made = [
        make_vacancy(occupation_code=code, district_kato=kato, starts_on=today + timedelta(days=d))
        for code, kato, d in [
            ("7511-0", "711310000", 20),  # the same code, district, available
            ("7511-3", "711110000", 5),  # the unit group, the region, not yet available
            ("7512-1", "354000000", 30),  # the minor group, skills, another region
            ("7522-0", "711310000", 0),  # nothing of the trade
        ]
    ]
    rows = ranked_vacancies(person, make_user(ADMIN), today, limit=10)
    scores = {vacancy.id: score for vacancy, score in rows}
    assert set(scores) == {v.id for v in made}
    for vacancy in made:
        assert scores[vacancy.id] == sum(points for _t, points in terms_for(person, vacancy))
    assert [score for _v, score in rows] == sorted(scores.values(), reverse=True)
    assert len(set(scores.values())) == 4  # each case scores differently
