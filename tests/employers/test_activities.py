"""The activities question: answered before publishing (ticks, "None of these", or what the
occupation implies), and what the occupation and the shift imply shown ticked and locked."""

import re
from datetime import time

import pytest
import sqlalchemy as sa

from portal.candidates.models import ActivityBan
from portal.employers import vacancies
from portal.extensions import db
from portal.placements.models import Placement
from portal.reference.models import Activity
from tests.employers.helpers import RU, counts, occupation_id, only_vacancy, vacancy_data
from tests.helpers import page_text, translated

TRUCK = "8332-0"


def checkbox(page: str, name: str, value: str) -> str:
    """The <input> of one checkbox, and the note beside it (up to the end of its label)."""
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="{value}"[^>]*>.*?</label>', page, re.S)
    assert match, (name, value)
    return match.group(0)


def locked(page: str, name: str, value: str) -> bool:
    box = checkbox(page, name, value)
    return " checked" in box and " disabled" in box


@pytest.mark.parametrize("headers, lang", [({}, "kk"), (RU, "ru")], ids=["kk", "ru"])
def test_publishing_is_refused_until_the_activities_question_is_answered(
    app, employer_client, headers, lang
):
    before = counts()
    data = vacancy_data(no_activities=None)  # a sewing job: its occupation implies nothing
    response = employer_client.post("/employers/vacancies/new", data=data, headers=headers)
    page = response.get_data(as_text=True)
    # Refused like every other form error here (400, the form again): the message sits on the
    # activities question, in the user's language, and nothing is saved.
    assert response.status_code == 400
    assert f'<html lang="{lang}">' in page
    assert 'id="activity_codes-error"' in page
    assert translated(app, vacancies.MSG_ACTIVITIES, lang) in page
    assert "Answer this question" not in page  # the catalogue's words, not the English msgid
    assert counts() == before

    # A draft may leave it open; publishing the draft from its page is refused the same way.
    draft = vacancy_data(no_activities=None, action="draft")
    assert employer_client.post("/employers/vacancies/new", data=draft).status_code == 302
    vacancy = only_vacancy()
    assert (vacancy.status, vacancy.activities_answered) == ("draft", False)
    response = employer_client.post(f"/employers/vacancies/{vacancy.id}/publish", headers=headers)
    assert response.status_code == 400
    assert translated(app, vacancies.MSG_ACTIVITIES, lang) in response.get_data(as_text=True)
    assert only_vacancy().status == "draft"

    # "None of these" answers it.
    response = employer_client.post(f"/employers/vacancies/{vacancy.id}/edit", data=vacancy_data())
    assert response.status_code == 302
    vacancy = only_vacancy()
    assert (vacancy.status, vacancy.activities_answered, vacancy.activities) == (
        "published",
        True,
        [],
    )


def test_ticking_an_activity_answers_the_question(employer_client):
    data = vacancy_data(no_activities=None, activity_codes=["finance"])
    assert employer_client.post("/employers/vacancies/new", data=data).status_code == 302
    vacancy = only_vacancy()
    assert vacancy.status == "published" and vacancy.activities_answered
    assert [a.code for a in vacancy.activities] == ["finance"]


def test_activities_and_none_of_these_together_are_refused(employer_client):
    before = counts()
    data = vacancy_data(activity_codes=["finance"], action="draft")
    response = employer_client.post("/employers/vacancies/new", data=data)
    assert response.status_code == 400
    assert 'id="activity_codes-error"' in response.get_data(as_text=True)
    assert counts() == before


def test_the_occupations_activities_answer_the_question_and_are_shown_locked(app, employer_client):
    data = vacancy_data(
        occupation_id=occupation_id(TRUCK),
        title_ru="Водитель грузового автомобиля",
        no_activities=None,
        condition_codes=[],
        shift_start="08:00",
        shift_end="17:00",
    )
    assert employer_client.post("/employers/vacancies/new", data=data).status_code == 302
    vacancy = only_vacancy()
    # Published with nothing ticked: driving is what the occupation is, and that is the answer.
    assert vacancy.status == "published" and vacancy.activities == []
    assert not vacancy.activities_answered  # the employer's own answer: none given

    form = page_text(employer_client, f"/employers/vacancies/{vacancy.id}/edit")
    assert locked(form, "activity_codes", "driving")
    assert translated(app, "implied by the occupation %(code)s", code=TRUCK) in checkbox(
        form, "activity_codes", "driving"
    )
    assert not locked(form, "activity_codes", "finance")
    # "None of these" cannot be said of a truck driver's job.
    assert " disabled" in checkbox(form, "no_activities", "y")
    assert not locked(form, "condition_codes", "night")  # a day shift

    page = page_text(employer_client, f"/employers/vacancies/{vacancy.id}")
    driving = db.session.get(Activity, "driving").name_kk  # the page is in Kazakh
    implied = translated(app, "implied by the occupation %(code)s", code=TRUCK)
    assert f'{driving} <small class="muted">({implied})</small>' in page


def test_a_night_shift_shows_night_work_locked(app, employer_client, make_vacancy):
    night = make_vacancy(employer_client.user.employer, shift_start=time(22), shift_end=time(6))
    form = page_text(employer_client, f"/employers/vacancies/{night.id}/edit")
    assert locked(form, "condition_codes", "night")
    assert translated(app, "implied by the shift: night time is 22:00–06:00") in form
    assert not locked(form, "condition_codes", "heavy")
    # A shift ending at 22:00 touches night time without covering any of it.
    day = make_vacancy(employer_client.user.employer, shift_start=time(14), shift_end=time(22))
    assert not locked(
        page_text(employer_client, f"/employers/vacancies/{day.id}/edit"),
        "condition_codes",
        "night",
    )


def test_a_form_shown_again_after_a_refusal_locks_what_the_new_choice_implies(employer_client):
    """Without JavaScript: the occupation chosen in the refused submit decides the locks."""
    data = vacancy_data(occupation_id=occupation_id("5414-0"), no_activities=None, wage="-1")
    response = employer_client.post("/employers/vacancies/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert locked(page, "activity_codes", "security")
    assert locked(page, "condition_codes", "night")  # the 22:00-06:00 shift of the data
    assert 'id="activity_codes-error"' not in page  # the occupation's activity answers it


def test_htmx_refreshes_the_choices_for_the_occupation_and_shift(employer_client):
    response = employer_client.get(
        "/employers/vacancies/rule-choices",
        query_string={
            "occupation_id": occupation_id("2342-0"),
            "shift_start": "07:00",
            "shift_end": "23:00",
            "activity_codes": ["food_handling"],
        },
        headers={"HX-Request": "true"},
    )
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert fragment.lstrip().startswith('<fieldset class="choice-group"')
    for code in ("teaching", "work_with_minors"):
        assert locked(fragment, "activity_codes", code)
    assert " checked" in checkbox(fragment, "activity_codes", "food_handling")  # kept as ticked
    assert not locked(fragment, "activity_codes", "food_handling")
    assert locked(fragment, "condition_codes", "night")
    # The page the fragment comes from has the same markup, with the htmx attributes.
    form = page_text(employer_client, "/employers/vacancies/new")
    assert 'hx-get="/employers/vacancies/rule-choices"' in form
    assert 'id="rule-choices"' in form and 'name="no_activities"' in form


def test_a_vacancy_left_unanswered_by_the_migration_must_answer_to_reopen(
    employer_client, make_vacancy
):
    vacancy = make_vacancy(
        employer_client.user.employer, status="closed", activities_answered=False
    )
    response = employer_client.post(f"/employers/vacancies/{vacancy.id}/reopen")
    assert response.status_code == 400
    assert 'id="activity_codes-error"' in response.get_data(as_text=True)
    assert only_vacancy().status == "closed"


def test_changing_the_occupation_returns_the_open_proposals(
    employer_client, make_vacancy, make_candidate
):
    """The occupation decides the implied activities, so a change of it is a rule fact: once
    confirmed, every open proposal goes back (the banned driver's among them)."""
    vacancy = make_vacancy(employer_client.user.employer, shift_start=time(8), shift_end=time(17))
    banned = make_candidate(activity_bans=[ActivityBan(activity_code="driving")])
    db.session.add(Placement(candidate_id=banned.id, vacancy_id=vacancy.id, state="proposed"))
    db.session.commit()
    data = vacancy_data(
        occupation_id=occupation_id(TRUCK),
        shift_start="08:00",
        shift_end="17:00",
        condition_codes=[],
        no_activities=None,
        action="save",
    )
    path = f"/employers/vacancies/{vacancy.id}/edit"
    assert employer_client.post(path, data=data).status_code == 409
    assert employer_client.post(path, data={**data, "proposals_return": "y"}).status_code == 302
    db.session.expire_all()
    placement = db.session.scalars(sa.select(Placement)).one()
    assert (placement.state, placement.reason_code) == ("withdrawn", "vacancy_changed")
