"""The inspector's matching pages: the done-when scenario of the candidates issue, and more."""

import re
from datetime import date, time

import pytest
import sqlalchemy as sa

from portal import clock
from portal.candidates.models import Offence, Supervision
from portal.extensions import db
from portal.matching import eligibility
from portal.matching.facts import facts_from_candidate, facts_from_vacancy
from portal.placements.models import Placement
from portal.reference.models import Occupation, PlaceType
from tests.helpers import page_text, sign_in, translated


def occupation(code):
    return db.session.scalar(sa.select(Occupation).where(Occupation.code == code))


@pytest.fixture
def scenario(make_user, make_employer, make_vacancy, make_candidate):
    """A released person convicted of an offence against minors, under a 22:00–06:00 curfew."""
    inspector = make_user("inspector")
    child_facility = db.session.get(PlaceType, "child_facility")
    person = make_candidate(
        full_name="Дмитрий Волков",
        occupations=[occupation("7112-0")],
        offences=[Offence(category_code="sexual_minors", article="122")],
        supervision=Supervision(
            curfew_from=time(22),
            curfew_to=time(6),
            permitted_area="7113",
            no_contact_minors=True,
            prohibited_places=[child_facility],
        ),
    )
    vacancies = {
        "kindergarten_cook": make_vacancy(
            title_ru="Повар детского сада",
            occupation_code="5120-0",
            sphere_code="upbringing",
            with_minors=True,
            near_minors=True,
            place_types=[child_facility],
        ),
        "school_cleaner": make_vacancy(
            title_ru="Уборщица школы",
            occupation_code="9112-0",
            sphere_code="education",
            near_minors=True,
            place_types=[child_facility],
        ),
        "night_bakery": make_vacancy(
            title_ru="Пекарь ночью",
            occupation_code="7512-0",
            shift_start=time(22),
            shift_end=time(6),
        ),
        "brickworks": make_vacancy(
            title_ru="Каменщик", occupation_code="7112-0", shift_start=time(8), shift_end=time(17)
        ),
    }
    return inspector, person, vacancies


def page(client, vacancy, **args):
    return page_text(client, f"/matching/vacancies/{vacancy.id}", query_string=args)


def test_offender_under_curfew_never_appears_where_the_rules_exclude(app, client, scenario):
    inspector, person, vacancies = scenario
    sign_in(client, inspector)
    for name in ("kindergarten_cook", "school_cleaner", "night_bakery"):
        assert person.full_name not in page(client, vacancies[name]), name
    assert person.full_name in page(client, vacancies["brickworks"])
    # The inspector sees the reasons, with their legal basis.
    cook = page(client, vacancies["kindergarten_cook"], tab="excluded")
    assert person.full_name in cook
    assert translated(app, eligibility.BASIS_ART26) in cook
    sexual = next(
        r
        for r in eligibility.sexual_offence_minors(
            facts_from_candidate(person),
            facts_from_vacancy(vacancies["kindergarten_cook"]),
            clock.today(),
        )
    )
    assert translated(app, sexual.message) in cook
    bakery = page(client, vacancies["night_bakery"], tab="excluded")
    assert "22:00–06:00" in bakery and translated(app, eligibility.BASIS_SUPERVISION) in bakery
    (curfew,) = eligibility.supervision_curfew(
        facts_from_candidate(person), facts_from_vacancy(vacancies["night_bakery"]), clock.today()
    )
    assert translated(app, curfew.message) in bakery  # names the 60 minutes for the way home
    assert "60" in translated(app, curfew.message)


def test_the_candidate_page_lists_the_same_verdicts(client, scenario):
    inspector, person, vacancies = scenario
    sign_in(client, inspector)
    eligible = client.get(f"/matching/candidates/{person.id}").get_data(as_text=True)
    excluded = client.get(f"/matching/candidates/{person.id}?tab=excluded").get_data(as_text=True)
    assert "Каменщик" in eligible and "Пекарь ночью" not in eligible
    assert all(
        title in excluded for title in ("Повар детского сада", "Уборщица школы", "Пекарь ночью")
    )
    assert "Каменщик" not in excluded
    # each tab counts both lists, the same on either
    for html in (eligible, excluded):
        tabs = html.split('class="tabs"')[1].split("</nav>")[0]
        assert re.findall(r'<span class="badge">(\d+)</span>', tabs) == ["1", "3"]


def test_propose_from_the_page_with_and_without_htmx(client, scenario, make_candidate):
    inspector, person, vacancies = scenario
    sign_in(client, inspector)
    brickworks = vacancies["brickworks"]
    response = client.post(
        f"/matching/vacancies/{brickworks.id}/propose", data={"candidate_id": person.id}
    )
    assert response.status_code == 302
    fragment = client.post(
        f"/matching/vacancies/{brickworks.id}/propose",
        data={"candidate_id": make_candidate().id},
        headers={"HX-Request": "true"},
    )
    assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Placement)) == 2
    # Already proposed: the person leaves the eligible list.
    assert person.full_name not in page(client, brickworks)


def test_proposing_an_excluded_person_is_refused_with_reasons(app, client, scenario):
    inspector, person, vacancies = scenario
    sign_in(client, inspector)
    response = client.post(
        f"/matching/vacancies/{vacancies['kindergarten_cook'].id}/propose",
        data={"candidate_id": person.id},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert translated(app, eligibility.BASIS_ART26) in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Placement)) == 0


def test_another_regions_inspector_gets_404(client, scenario, make_user):
    _inspector, person, vacancies = scenario
    from tests.helpers import KARAGANDA, region

    sign_in(client, make_user("inspector", region_id=region(KARAGANDA).id))
    assert client.get(f"/matching/candidates/{person.id}").status_code == 404
    assert client.get(f"/matching/vacancies/{vacancies['brickworks'].id}").status_code == 404


def test_filters_and_htmx_fragment(client, scenario, make_candidate):
    inspector, person, vacancies = scenario
    sign_in(client, inspector)
    make_candidate(
        full_name="Пробация Адам", status="probation", occupations=[occupation("7112-0")]
    )
    brickworks = vacancies["brickworks"]
    only_probation = page(client, brickworks, status="probation")
    assert "Пробация Адам" in only_probation and person.full_name not in only_probation
    fragment = client.get(
        f"/matching/vacancies/{brickworks.id}",
        query_string={"status": "released"},
        headers={"HX-Request": "true"},
    ).get_data(as_text=True)
    assert "<html" not in fragment and person.full_name in fragment


def test_viewing_a_persons_matches_is_audited(client, scenario):
    from portal.auth.models import AuditEntry

    inspector, person, _vacancies = scenario
    sign_in(client, inspector)
    client.get(f"/matching/candidates/{person.id}")
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "candidate_matches_viewed")
    )
    assert entry.object_id == person.id and entry.user_id == inspector.id


def test_release_date_matters_for_people_still_in_custody(
    client, make_user, make_vacancy, make_candidate
):
    from portal.reference.models import Institution

    inspector = make_user("inspector")
    institution = db.session.scalar(sa.select(Institution).where(Institution.code == "ЕЦ-166/4"))
    person = make_candidate(
        full_name="Мария Ким",
        status="pre_release",
        institution_id=institution.id,
        release_date=date(2027, 2, 15),
    )
    sign_in(client, inspector)
    early = make_vacancy(title_ru="Раньше", starts_on=date(2027, 1, 1))
    later = make_vacancy(title_ru="Позже", starts_on=date(2027, 3, 1))
    assert person.full_name not in page(client, early)
    assert person.full_name in page(client, later)


def test_the_candidate_page_shows_proposals_already_made(client, scenario):
    inspector, person, vacancies = scenario
    sign_in(client, inspector)
    brickworks = vacancies["brickworks"]
    client.post(f"/matching/vacancies/{brickworks.id}/propose", data={"candidate_id": person.id})
    html = client.get(f"/matching/candidates/{person.id}").get_data(as_text=True)
    row = html[html.index(f'id="vacancy-{brickworks.id}"') :]
    row = row[: row.index("</tr>")]
    assert "matching/vacancies" not in row  # no second "Propose" form for the same vacancy


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_child_sex_conviction_filed_as_other_never_reaches_a_kindergarten(
    app, client, scenario, make_candidate, make_user, lang
):
    """The issue's first scenario, through the pages: the inspector files art. 122 part 1 and
    picks "other"; the category comes from the article, and the kindergarten job is closed."""
    inspector, _offender, vacancies = scenario
    inspector.locale = lang
    db.session.commit()
    sign_in(client, inspector)
    person = make_candidate(full_name="Ерлан Жаңа", offences_recorded=False)
    cook = vacancies["kindergarten_cook"]
    filed = client.post(
        f"/candidates/{person.id}/offences",
        data={"category_code": "other", "code": "2014", "article": "122", "part": "ч.1"},
    )
    assert filed.status_code == 302
    client.post(f"/candidates/{person.id}/offences/recorded", data={"recorded": "y"})
    db.session.expire_all()
    assert [o.category_code for o in db.session.get(type(person), person.id).offences] == [
        "sexual_minors"
    ]
    assert person.full_name not in page(client, cook)
    excluded = page(client, cook, tab="excluded")
    assert person.full_name in excluded
    assert translated(app, eligibility.BASIS_SEXUAL_MINORS, lang) in excluded
    refused = client.post(
        f"/matching/vacancies/{cook.id}/propose", data={"candidate_id": person.id}
    )
    assert refused.status_code in (302, 409)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Placement)) == 0
    assert person.full_name in page(client, vacancies["brickworks"])  # no wider than the law


def test_art26_bars_the_childrens_gym_not_the_adult_one(
    client, make_user, make_vacancy, make_candidate
):
    """Labour Code art. 26 reaches sport with minors taking part: a murder conviction keeps a
    person from a children's sports school, not from a gym for adults."""
    inspector = make_user("inspector")
    person = make_candidate(
        full_name="Арман Сейітов", offences=[Offence(category_code="murder", article="99")]
    )
    adults = make_vacancy(title_ru="Тренажёрный зал", sphere_code="sport")
    children = make_vacancy(title_ru="ДЮСШ", sphere_code="sport", with_minors=True)
    sign_in(client, inspector)
    assert person.full_name in page(client, adults)
    assert person.full_name not in page(client, children)
    assert person.full_name in page(client, children, tab="excluded")


def test_the_printed_sheet_lists_only_the_allowed_vacancies_in_both_languages(
    app, client, scenario
):
    from portal.auth.models import AuditEntry

    inspector, person, vacancies = scenario
    sign_in(client, inspector)
    response = client.get(f"/matching/candidates/{person.id}/sheet")
    assert response.status_code == 200
    sheet = response.get_data(as_text=True)
    assert "Каменщик" in sheet and person.code in sheet
    for title in ("Повар детского сада", "Уборщица школы", "Пекарь ночью"):
        assert title not in sheet
    for lang in ("kk", "ru"):
        assert translated(app, "Vacancies you may be put to", lang) in sheet
        assert translated(app, "Wage", lang) in sheet
    assert "122" not in sheet and 'class="site-header' not in sheet  # no offence, no menu
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "candidate_sheet_printed")
    )
    assert entry.object_id == person.id and entry.user_id == inspector.id


def test_the_tabs_say_how_many_each_holds(client, scenario):
    inspector, person, vacancies = scenario
    sign_in(client, inspector)
    for tab in ("eligible", "excluded"):
        html = client.get(f"/matching/vacancies/{vacancies['kindergarten_cook'].id}?tab={tab}")
        tabs = html.get_data(as_text=True).split('class="tabs"')[1].split("</nav>")[0]
        # The person is excluded from the kindergarten (offence against minors).
        assert re.findall(r'<span class="badge">(\d+)</span>', tabs) == ["0", "1"], tab


def test_the_matching_page_runs_as_many_statements_for_many_people_as_for_one(
    app, client, make_user, make_vacancy, make_candidate
):
    """No statement per row shown (the audited read once expired every loaded row)."""
    inspector = make_user("inspector")
    vacancy = make_vacancy(occupation_code="7112-0")
    make_candidate(occupations=[occupation("7112-0")])
    sign_in(client, inspector)

    def statements() -> int:
        seen = []

        def listen(*_args):
            seen.append(1)

        sa.event.listen(sa.engine.Engine, "before_cursor_execute", listen)
        try:
            assert page(client, vacancy).count('name="candidate_id"') == len(shown)
        finally:
            sa.event.remove(sa.engine.Engine, "before_cursor_execute", listen)
        return len(seen)

    shown = [1]
    one = statements()
    shown = [1] * 6
    for _ in range(5):
        make_candidate(occupations=[occupation("7112-0")])
    db.session.commit()
    assert statements() == one


def test_the_persons_vacancies_are_paged_best_first(
    app, client, make_user, make_vacancy, make_candidate, monkeypatch
):
    """The database ranks and pages them: the same order on every page, nothing twice."""
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    inspector = make_user("inspector")
    person = make_candidate(occupations=[occupation("7533-0")])
    same_trade = [make_vacancy(title_ru=f"Швея {n}") for n in range(3)]
    other_trade = make_vacancy(title_ru="Каменщик", occupation_code="7112-0")
    sign_in(client, inspector)
    first = page_text(client, f"/matching/candidates/{person.id}")
    second = page_text(client, f"/matching/candidates/{person.id}", query_string={"page": 2})
    shown = [re.findall(r'id="vacancy-(\d+)"', html) for html in (first, second)]
    assert shown == [
        [str(same_trade[0].id), str(same_trade[1].id)],
        [str(same_trade[2].id), str(other_trade.id)],
    ]
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_the_sheet_says_how_many_more_vacancies_there_are(
    app, client, make_user, make_vacancy, make_candidate, monkeypatch
):
    from portal.matching import views

    monkeypatch.setattr(views, "SHEET_ROWS", 1)
    inspector = make_user("inspector")
    person = make_candidate()
    make_vacancy(title_ru="Швея")
    make_vacancy(title_ru="Швея второй смены")
    sign_in(client, inspector)
    sheet = page_text(client, f"/matching/candidates/{person.id}/sheet")
    assert sheet.count("<tr>") == 2  # the heading and one vacancy
    from flask_babel import force_locale, ngettext

    for lang in ("kk", "ru"):
        with app.test_request_context(), force_locale(lang):
            more = ngettext(
                "%(num)d more vacancy is open to you.", "%(num)d more vacancies are open to you.", 1
            )
        assert more in sheet and "more vacancy" not in more
