"""Issue 12: a lifetime court ban on driving keeps a person from a truck driver's job that its
employer published without ticking "driving" (the occupation, НКЗ 8332, is driving)."""

import sqlalchemy as sa

from portal.auth.models import EMPLOYER, INSPECTOR
from portal.employers.models import Vacancy
from portal.extensions import db
from portal.matching import eligibility
from portal.reference.models import Occupation
from tests.employers.helpers import occupation_id, vacancy_data
from tests.helpers import page_text, sign_in, translated

TRUCK = "8332-0"


def test_a_lifetime_driving_ban_excludes_an_undeclared_truck_drivers_job(
    app, make_user, make_candidate
):
    truck_driving = db.session.scalar(sa.select(Occupation).where(Occupation.code == TRUCK))
    banned = make_candidate(full_name="Ерлан Бекұлы", occupations=[truck_driving])
    free = make_candidate(full_name="Асқар Нұрланұлы", occupations=[truck_driving])
    assert banned.consent and banned.status == "released"

    inspector = app.test_client()
    sign_in(inspector, make_user(INSPECTOR))
    response = inspector.post(
        f"/candidates/{banned.id}/bans", data={"activity_code": "driving", "for_life": "y"}
    )
    assert response.status_code == 302

    employer = app.test_client()
    sign_in(employer, make_user(EMPLOYER))
    response = employer.post(
        "/employers/vacancies/new",
        data=vacancy_data(
            occupation_id=occupation_id(TRUCK),
            title_kk="Жүк автомобилінің жүргізушісі",
            title_ru="Водитель грузового автомобиля",
            description_ru="Перевозка кирпича по городу.",
            shift_start="08:00",
            shift_end="17:00",
            condition_codes=[],
            no_activities=None,  # neither "driving" nor "None of these" ticked
        ),
    )
    assert response.status_code == 302
    vacancy = db.session.scalars(sa.select(Vacancy)).one()
    assert vacancy.status == "published" and vacancy.activities == []  # driving not declared

    eligible = page_text(inspector, f"/matching/vacancies/{vacancy.id}")
    assert free.full_name in eligible
    assert banned.full_name not in eligible
    excluded = page_text(inspector, f"/matching/vacancies/{vacancy.id}?tab=excluded")
    assert banned.full_name in excluded and free.full_name not in excluded
    lifetime = "A court has banned this person from this activity for life."
    assert translated(app, lifetime) in excluded
    assert translated(app, eligibility.BASIS_BAN) in excluded

    # The person's own page agrees: the vacancy is among those the rules exclude.
    before = page_text(inspector, f"/matching/candidates/{banned.id}")
    after = page_text(inspector, f"/matching/candidates/{banned.id}?tab=excluded")
    assert "Жүк автомобилінің жүргізушісі" in after and "Жүк автомобилінің" not in before
