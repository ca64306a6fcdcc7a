"""The person's own copy, complete against a record with every section filled: the printable
page in Kazakh and Russian and the JSON file, each audited; and correction requests, recorded
with their outcome, refused without a reason, and listed in the copy."""

import json
from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from portal import clock
from portal.auth.models import INSPECTOR
from portal.candidates import consent
from portal.candidates.models import (
    ActivityBan,
    CorrectionRequest,
    Offence,
    Supervision,
)
from portal.extensions import db
from portal.placements import lifecycle
from portal.placements.lifecycle import Booking
from portal.placements.models import RetentionCheck, WorkplaceCheck
from portal.programmes import operations as programmes
from portal.programmes.models import ProgrammeService
from portal.reference.models import Occupation, PlaceType, WorkingCondition
from tests.candidates.helpers import audit_rows
from tests.helpers import noon, sign_in, translated


@pytest.fixture
def full_record(make_candidate, make_user, make_vacancy, today):
    """A record with a row in every section, a placement through interview and hire to a
    follow-up check, a correction request, a withdrawn consent given again, and a view by
    another inspector."""
    keeper = make_user(INSPECTOR, full_name="Инспектор Жүргізуші")
    person = make_candidate(
        full_name="Айгүл Маратқызы Серікова",
        education="Орта арнаулы білім",
        skills="Өнеркәсіптік тігін машинасы",
        housing="Жалдамалы пәтер",
        programme_notes="Психологпен апта сайын",
        languages="kk,ru",
        occupations=[db.session.scalar(sa.select(Occupation).where(Occupation.code == "7533-0"))],
        contraindications=[db.session.get(WorkingCondition, "night")],
    )
    person.offences.append(Offence(category_code="other", code="2014", article="188", part="2"))
    person.activity_bans.append(
        ActivityBan(activity_code="driving", until=today + timedelta(days=400))
    )
    person.supervision = Supervision(
        curfew_from=time(22),
        curfew_to=time(6),
        no_alcohol=True,
        until=today + timedelta(days=200),
        prohibited_places=[db.session.get(PlaceType, "child_facility")],
    )
    db.session.commit()
    consent.withdraw_consent(person, keeper, on_date=today, method="in_person")
    consent.grant_consent(person, keeper, on_date=today, method="paper_form", text_version="1")
    vacancy = make_vacancy(title_kk="Тігінші", title_ru="Швея")
    placement = lifecycle.propose(person.id, vacancy.id, keeper, today)
    employer = make_user("employer", employer_id=vacancy.employer_id)
    placement = lifecycle.accept_for_interview(
        placement.id,
        placement.version,
        employer,
        today,
        Booking(noon(today + timedelta(days=1)), place="Цех №2", note="Төлқұжатпен келіңіз"),
    )
    placement = lifecycle.hire(placement.id, placement.version, employer, today, today)
    db.session.add(
        RetentionCheck(
            placement_id=placement.id,
            milestone=3,
            checked_on=today,
            still_employed=True,
            user_id=keeper.id,
        )
    )
    db.session.add(
        WorkplaceCheck(
            placement_id=placement.id,
            checked_on=today,
            found_at_work=True,
            note="Цехта, смена басында",
            user_id=keeper.id,
        )
    )
    programme = programmes.start_programme(person, keeper, None)
    programmes.set_assessment(
        programme,
        keeper,
        {"housing": {"state": "needs_help", "on_date": today, "note": "Жатақхана керек"}},
    )
    programmes.add_step(
        programme,
        keeper,
        {
            "title_kk": "Жатақханаға өтініш",
            "title_ru": "",
            "service_code": db.session.scalar(sa.select(ProgrammeService.code).limit(1)),
            "due_on": today,
            "state": "not_possible",
            "reason": "Орын жоқ",
            "outcome": "",
        },
    )
    db.session.add(
        CorrectionRequest(
            candidate_id=person.id,
            requested_on=today,
            asked="Тегін дұрыстау",
            outcome="refused",
            reason="Құжат жоқ",
            recorded_by_id=keeper.id,
        )
    )
    db.session.commit()
    viewer = make_user(INSPECTOR, full_name="Қараған Инспектор")
    from portal.auth.audit import record

    record("candidate_viewed", person, user=viewer, page="record")
    db.session.commit()
    return person, keeper, viewer


def test_the_copy_holds_everything_in_both_languages(app, client, full_record, today):
    person, keeper, viewer = full_record
    sign_in(client, keeper)
    response = client.get(f"/candidates/{person.id}/copy")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for held in (
        "Айгүл Маратқызы Серікова",
        person.iin,
        person.code,
        "Орта арнаулы білім",
        "Өнеркәсіптік тігін машинасы",
        "Жалдамалы пәтер",
        "Психологпен апта сайын",
        "7533-0",
        "188.2",
        "22:00–06:00",
        "Тігінші",
        "Швея",
        "Цех №2",
        "Төлқұжатпен келіңіз",
        "Тегін дұрыстау",
        "Құжат жоқ",
        "Цехта, смена басында",  # a workplace check
        "Жатақхана керек",  # the programme's assessment
        "Жатақханаға өтініш",  # and a step, with its reason
        "Орын жоқ",
        "Қараған Инспектор",  # who viewed the record
        "Инспектор Жүргізуші",
    ):
        assert held in html, held
    for text in (
        "Consent history",
        "Who viewed or changed the record, and when",
        "Opened a record",
        "Consent withdrawn",
        "Follow-up checks",
        "Workplace checks",
        "Individual programme",
        "Correction requests",
        "Refused",
    ):
        for lang in ("kk", "ru"):
            assert translated(app, text, lang) in html, (text, lang)
    (entry,) = audit_rows("person_copy_produced")
    assert entry.object_id == person.id and entry.user_id == keeper.id
    assert entry.details["format"] == "page"


def test_the_json_file(client, full_record, today):
    person, keeper, viewer = full_record
    sign_in(client, keeper)
    response = client.get(f"/candidates/{person.id}/copy.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["record"]["full_name"] == "Айгүл Маратқызы Серікова"
    assert data["record"]["iin"] == person.iin
    assert data["record"]["status"]["code"] == "released"
    assert set(data["record"]["status"]) == {"code", "kk", "ru"}
    assert [t["code"] for t in data["trades"]] == ["7533-0"]
    assert data["contraindications"][0]["code"] == "night"
    assert data["offences"][0]["article"] == "188" and data["offences"][0]["part"] == "2"
    assert data["bans"][0]["activity"]["code"] == "driving"
    assert data["supervision"]["curfew_from"] == "22:00"
    assert [e["kind"]["code"] for e in data["consent_history"]] == ["grant", "withdrawal", "grant"]
    (placement,) = data["placements"]
    assert placement["state"]["code"] == "hired"
    assert [s["to"]["code"] for s in placement["steps"]] == ["proposed", "interview", "hired"]
    assert placement["interview"]["place"] == "Цех №2"
    assert placement["follow_ups"] == [
        {"months": 3, "checked_on": today.isoformat(), "still_employed": True}
    ]
    assert placement["workplace_checks"] == [
        {"checked_on": today.isoformat(), "found_at_work": True, "note": "Цехта, смена басында"}
    ]
    housing = [a for a in data["programme"]["assessment"] if a["area"]["code"] == "housing"]
    assert housing[0]["state"]["code"] == "needs_help" and housing[0]["note"] == "Жатақхана керек"
    (step,) = data["programme"]["steps"]
    assert step["state"]["code"] == "not_possible" and step["reason"] == "Орын жоқ"
    assert set(step["service"]) == {"code", "kk", "ru"}
    assert data["corrections"][0]["outcome"]["code"] == "refused"
    viewers = {
        (e["by"] or {}).get("name")
        for e in data["audit"]
        if e["action"]["code"] == "candidate_viewed"
    }
    assert "Қараған Инспектор" in viewers
    assert {e["action"]["code"] for e in data["audit"]} >= {
        "consent_withdrawn",
        "placement_proposed",
    }
    assert audit_rows("person_copy_produced")[-1].details["format"] == "json"


def test_a_correction_request_is_recorded_with_its_outcome(app, client, make_candidate, make_user):
    person = make_candidate()
    inspector = make_user(INSPECTOR, locale="ru")
    sign_in(client, inspector)
    today = clock.today()
    refused = client.post(
        f"/candidates/{person.id}/corrections",
        data={
            "requested_on": today.isoformat(),
            "asked": "Исправить фамилию",
            "outcome": "refused",
        },
    )
    assert refused.status_code == 400
    assert translated(app, "Give the reason for the refusal.", "ru") in refused.get_data(
        as_text=True
    )
    future = client.post(
        f"/candidates/{person.id}/corrections",
        data={
            "requested_on": (today + timedelta(days=1)).isoformat(),
            "asked": "Исправить",
            "outcome": "corrected",
        },
    )
    assert future.status_code == 400
    bad_outcome = client.post(
        f"/candidates/{person.id}/corrections",
        data={"requested_on": today.isoformat(), "asked": "Исправить", "outcome": "deleted"},
    )
    assert bad_outcome.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CorrectionRequest)) == 0

    done = client.post(
        f"/candidates/{person.id}/corrections",
        data={
            "requested_on": today.isoformat(),
            "asked": "Исправить дату освобождения",
            "outcome": "corrected",
            "reason": "не нужно",
        },
    )
    assert done.status_code == 303
    (saved,) = db.session.scalars(sa.select(CorrectionRequest))
    assert (saved.outcome, saved.reason, saved.recorded_by_id) == ("corrected", "", inspector.id)
    page = client.get(f"/candidates/{person.id}/corrections").get_data(as_text=True)
    assert "Исправить дату освобождения" in page
    (entry,) = audit_rows("correction_recorded")
    assert entry.object_id == person.id and entry.details["outcome"] == "corrected"
    copy = json.loads(client.get(f"/candidates/{person.id}/copy.json").get_data(as_text=True))
    assert copy["corrections"][0]["asked"] == "Исправить дату освобождения"


def test_the_lists_that_showed_the_person_are_in_their_copy(
    app, client, make_candidate, make_user, frozen_clock
):
    """A person an inspector's list showed has that list in their copy, with the inspector and
    the time, in both languages and in the JSON; a person the list did not show has none."""
    shown, not_shown = make_candidate(), make_candidate()
    lister = make_user(INSPECTOR, full_name="Тізім Қараушы")
    sign_in(client, lister)
    page = client.get(f"/candidates/?q={shown.iin}")  # an exact IIN: one person shown
    assert page.status_code == 200
    (listed,) = audit_rows("candidates_listed")
    assert listed.details["shown"] == [shown.id]
    client.post("/auth/logout")
    sign_in(client, make_user(INSPECTOR, full_name="Көшірме Жасаушы"))

    def lists_in_copy(person) -> list[dict]:
        data = client.get(f"/candidates/{person.id}/copy.json").get_json()
        return [e for e in data["audit"] if e["in_list"]]

    (entry,) = lists_in_copy(shown)
    assert entry["action"]["code"] == "candidates_listed"
    assert entry["by"]["name"] == "Тізім Қараушы"
    assert entry["at"] == listed.at.isoformat()
    assert lists_in_copy(not_shown) == []
    html = client.get(f"/candidates/{shown.id}/copy").get_data(as_text=True)
    assert "Тізім Қараушы" in html
    for lang in ("kk", "ru"):
        assert translated(app, "viewed in a list", lang) in html, lang
    other = client.get(f"/candidates/{not_shown.id}/copy").get_data(as_text=True)
    assert "Тізім Қараушы" not in other
