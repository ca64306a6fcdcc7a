"""The vacancy's facts for the rules: the activities declared plus those the occupation implies."""

import sqlalchemy as sa

from portal.employers.models import Vacancy
from portal.extensions import db
from portal.matching.eligibility import CandidateFacts, evaluate
from portal.matching.facts import facts_from_vacancy
from portal.reference.models import Activity
from tests.helpers import statements


def _activity(code: str) -> Activity:
    return db.session.get(Activity, code)


def test_the_occupation_adds_what_it_implies_to_what_is_declared(make_vacancy):
    truck = make_vacancy(title_ru="Водитель грузового автомобиля", occupation_code="8332-0")
    nanny = make_vacancy(
        title_ru="Няня", occupation_code="5311-1", activities=[_activity("food_handling")]
    )
    sewing = make_vacancy(activities=[_activity("finance")])
    assert facts_from_vacancy(truck).activities == {"driving"}
    assert facts_from_vacancy(nanny).activities == {"work_with_minors", "food_handling"}
    assert facts_from_vacancy(sewing).activities == {"finance"}  # 7533-0 implies nothing


def test_a_driving_ban_excludes_a_truck_drivers_job_nobody_declared_as_driving(today, make_vacancy):
    truck = make_vacancy(occupation_code="8332-0")
    banned = CandidateFacts(
        status="released", offences=frozenset(), activity_bans=(("driving", None),)
    )
    verdict = evaluate(banned, facts_from_vacancy(truck), today)
    assert [reason.code for reason in verdict.exclusions] == ["court_activity_ban"]


def test_a_list_of_vacancies_reads_their_occupations_with_them(make_vacancy):
    """No statement per vacancy for its occupation (it is joined to the vacancy's row)."""

    def facts_of_all() -> int:
        db.session.expire_all()
        with statements() as seen:
            for vacancy in db.session.scalars(sa.select(Vacancy)).unique():
                facts_from_vacancy(vacancy)
        return len(seen)

    make_vacancy(occupation_code="8332-0")
    few = facts_of_all()
    for code in ("8322-0", "5414-0", "5230-0", "2342-0"):
        make_vacancy(occupation_code=code)
    assert facts_of_all() == few
