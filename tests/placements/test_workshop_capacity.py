"""A workshop's places bound the hires into all its vacancies together: refused with its own
code and message, on the pages and in the API, and under concurrent hires exactly the
capacity is hired."""

import sqlalchemy as sa
from flask_babel import force_locale, ngettext

from portal import clock
from portal.extensions import db
from portal.placements import lifecycle
from portal.placements.lifecycle import StepRefused
from portal.placements.models import Placement
from tests.placements.helpers import client_for, fresh, in_language, snapshot
from tests.placements.test_concurrency import hire_job, interview, run_together


def _hired_directly(vacancy, candidates) -> None:
    """People already in work there, written past the life cycle (it is not what is tested)."""
    today = clock.today()
    for c in candidates:
        db.session.add(
            Placement(candidate_id=c.id, vacancy_id=vacancy.id, state="hired", hired_on=today)
        )
    db.session.commit()


def test_a_120_place_shop_with_two_vacancies_refuses_the_121st_hire(
    shop, make_vacancy, make_candidate
):
    shop.employer.workshop_capacity = 120
    db.session.commit()
    cutting = make_vacancy(shop.employer, places=100, title_ru="Закройщик")
    sewing = make_vacancy(shop.employer, places=100, title_ru="Швея")
    _hired_directly(cutting, [make_candidate() for _ in range(70)])
    _hired_directly(sewing, [make_candidate() for _ in range(49)])
    shop.hire(make_candidate(), vacancy=sewing)  # the 120th
    last = shop.interview(make_candidate(), vacancy=cutting)
    before = snapshot()

    try:
        lifecycle.hire(last.id, last.version, shop.employer_user, clock.today(), clock.today())
    except StepRefused as refused:
        assert refused.code == "workshop_full"
        with force_locale("ru"):
            assert str(refused.message) == (
                "Все места цеха заняты (120 из 120) по всем его вакансиям."
            )
        with force_locale("kk"):
            assert "120" in str(refused.message) and "цех" in str(refused.message).lower()
    else:
        raise AssertionError("the 121st hire went through")
    assert snapshot() == before and fresh(last.id).state == "interview"


def test_ended_jobs_free_their_places_and_no_capacity_bounds_nothing(
    shop, make_vacancy, make_candidate, make_employer, make_user
):
    shop.employer.workshop_capacity = 1
    db.session.commit()
    first = shop.hire(make_candidate())
    other = make_vacancy(shop.employer, places=3)
    waiting = shop.interview(make_candidate(), vacancy=other)
    try:
        lifecycle.hire(
            waiting.id, waiting.version, shop.employer_user, clock.today(), clock.today()
        )
    except StepRefused as refused:
        assert refused.code == "workshop_full"
    else:
        raise AssertionError("a one-place workshop took a second hire")
    lifecycle.end(first.id, first.version, shop.employer_user, clock.today(), "quit")
    hired = lifecycle.hire(
        waiting.id, waiting.version, shop.employer_user, clock.today(), clock.today()
    )
    assert hired.state == "hired"

    plain = make_employer()  # no workshop: the vacancies' places alone
    boss = make_user("employer", employer_id=plain.id)
    for vacancy in (make_vacancy(plain, places=1), make_vacancy(plain, places=1)):
        p = lifecycle.propose(make_candidate().id, vacancy.id, shop.inspector, clock.today())
        p = lifecycle.accept_for_interview(p.id, p.version, boss, clock.today())
        assert lifecycle.hire(p.id, p.version, boss, clock.today(), clock.today()).state == "hired"


def test_fifty_concurrent_hires_into_two_vacancies_of_a_seven_place_workshop(
    app, make_user, make_employer, make_vacancy, make_candidate
):
    employer = make_employer(kind="rse_branch", workshop_capacity=7)
    employer_user = make_user("employer", employer_id=employer.id)
    inspector = make_user("inspector")
    vacancies = [make_vacancy(employer, places=5), make_vacancy(employer, places=5)]
    proposals = [
        interview(make_candidate(), vacancies[n % 2], inspector, employer_user) for n in range(50)
    ]

    results = run_together(
        app, [hire_job(pid, version, employer_user.id) for pid, version in proposals]
    )

    assert results.count("done") == 7
    assert {r for r in results if r != "done"} <= {"workshop_full", "places_taken"}
    assert "workshop_full" in results
    db.session.expire_all()
    hired = db.session.execute(
        sa.select(Placement.vacancy_id, sa.func.count())
        .where(Placement.state == "hired")
        .group_by(Placement.vacancy_id)
    ).all()
    assert sum(count for _vacancy, count in hired) == 7
    assert all(count <= 5 for _vacancy, count in hired)
    assert lifecycle.workshop_places_taken([employer.id]) == {employer.id: 7}


def test_the_employer_is_told_the_workshop_is_full_and_sees_its_places_taken(
    app, shop, make_vacancy, make_candidate
):
    shop.employer.workshop_capacity = 1
    db.session.commit()
    shop.hire(make_candidate())
    other = make_vacancy(shop.employer, places=3)
    waiting = shop.interview(make_candidate(), vacancy=other)
    before = snapshot()

    client = client_for(app, shop.employer_user)
    response = client.post(
        f"/placements/{waiting.id}/hire",
        data={"version": waiting.version, "start_date": clock.today().isoformat()},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Цехтың барлық орны толды (1 орынның 1 орны бос емес)" in page
    assert snapshot() == before
    assert "1 орынның 1 орны бос емес" in client.get("/employers/vacancies").get_data(as_text=True)


def test_the_vacancy_form_tells_the_workshops_free_places(app, shop, make_candidate):
    shop.hire(make_candidate())
    client = client_for(app, shop.employer_user)
    form = client.get("/employers/vacancies/new").get_data(as_text=True)
    assert (
        in_language(
            app,
            "kk",
            lambda: ngettext(
                "Your workshop has %(num)d free place of %(capacity)s: a hire past the workshop's "
                "places is refused, whichever vacancy it is for.",
                "Your workshop has %(num)d free places of %(capacity)s: a hire past the workshop's "
                "places is refused, whichever vacancy it is for.",
                119,
                capacity="120",
            ),
        )
        in form
    )


def test_a_full_workshops_vacancies_have_no_open_places_in_the_search(
    shop, make_vacancy, make_candidate, make_employer
):
    from portal.employers.models import Vacancy
    from portal.search import filters, service

    shop.employer.workshop_capacity = 2
    db.session.commit()
    sewing = make_vacancy(shop.employer, places=3)
    cutting = make_vacancy(shop.employer, places=3)
    elsewhere = make_vacancy(make_employer(), places=3)
    _hired_directly(sewing, [make_candidate()])

    def open_ids():
        found = db.session.scalars(sa.select(Vacancy.id).where(filters.open_places()))
        return set(found) & {shop.vacancy.id, sewing.id, cutting.id, elsewhere.id}

    assert open_ids() == {shop.vacancy.id, sewing.id, cutting.id, elsewhere.id}
    assert service.open_places([sewing, cutting, elsewhere]) == {
        sewing.id: 1,
        cutting.id: 1,
        elsewhere.id: 3,
    }
    _hired_directly(cutting, [make_candidate()])
    assert open_ids() == {elsewhere.id}
    assert service.open_places([shop.vacancy, sewing, elsewhere]) == {
        shop.vacancy.id: 0,
        sewing.id: 0,
        elsewhere.id: 3,
    }
