"""The record's sections: offences (unknown until complete), bans, supervision, limits, trades."""

from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from portal import clock
from portal.auth.models import INSPECTOR
from portal.candidates.models import ActivityBan, Offence, Supervision
from portal.extensions import db
from portal.matching.facts import facts_from_candidate
from portal.reference.models import Occupation
from tests.candidates.helpers import audit_rows
from tests.helpers import TEST_TODAY, sign_in, translated


@pytest.fixture
def candidate(client, make_user, make_candidate):
    sign_in(client, make_user(INSPECTOR))
    return make_candidate(offences_recorded=False)  # a new record: offences not yet filled in


def reload(candidate):
    db.session.expire_all()
    return db.session.get(type(candidate), candidate.id)


def test_offences_not_filled_in_are_unknown_to_the_rules(client, candidate):
    client.post(f"/candidates/{candidate.id}/offences", data={"code": "2014", "article": "296"})
    candidate = reload(candidate)
    assert [o.category_code for o in candidate.offences] == ["drugs"]
    assert facts_from_candidate(candidate).offences is None  # not marked complete: fail closed
    html = client.get(f"/candidates/{candidate.id}").get_data(as_text=True)
    assert 'class="flash flash-warning"' in html


def test_complete_with_no_offences_means_none_of_the_listed_kinds(client, candidate):
    response = client.post(f"/candidates/{candidate.id}/offences/recorded", data={"recorded": "y"})
    assert response.status_code == 302
    candidate = reload(candidate)
    assert candidate.offences_recorded is True
    assert facts_from_candidate(candidate).offences == frozenset()
    [marked] = audit_rows("offence_record_marked")
    assert marked.details == {"recorded": True, "offences": 0}
    # Unticking makes the section unknown again.
    client.post(f"/candidates/{candidate.id}/offences/recorded", data={})
    assert facts_from_candidate(reload(candidate)).offences is None


def test_an_offence_is_added_with_its_category_derived_and_audited_by_category_only(
    client, candidate
):
    response = client.post(
        f"/candidates/{candidate.id}/offences",
        data={"code": "2014", "article": "122", "part": "ч. 1", "convicted_on": "2016-06-01"},
    )
    assert response.status_code == 302
    [offence] = reload(candidate).offences
    assert (offence.code, offence.article, offence.part) == ("2014", "122", "1")
    assert (offence.category_code, offence.convicted_on) == ("sexual_minors", date(2016, 6, 1))
    [added] = audit_rows("offence_added")
    assert added.details == {"offence_id": offence.id, "category": "sexual_minors"}
    page = client.get(f"/candidates/{candidate.id}/offences").get_data(as_text=True)
    assert "Қылмыстық кодексі" in page or "2014" in page


@pytest.mark.parametrize(
    "data, category",
    [
        # The case: a child-sex conviction can no longer be filed as "other".
        ({"code": "2014", "article": "122", "category_code": "other"}, "sexual_minors"),
        ({"code": "2014", "article": "120"}, "sexual_minors"),  # victim's age unknown: a minor
        ({"code": "2014", "article": "120", "minor_victim": "unknown"}, "sexual_minors"),
        ({"code": "2014", "article": "120", "minor_victim": "no"}, "sexual"),
        ({"code": "2014", "article": "120", "part": "3-2", "minor_victim": "no"}, "sexual_minors"),
        ({"code": "1997", "article": "121", "minor_victim": "yes"}, "sexual_minors"),
        ({"code": "1997", "article": "96"}, "murder"),
        ({"code": "2014", "article": "106"}, "intentional_harm"),
        ({"code": "2014", "article": "297"}, "drugs"),
        ({"code": "2014", "article": "255"}, "extremism_terrorism"),
        ({"code": "2014", "article": "128"}, "human_trafficking"),
        ({"code": "2014", "article": "188", "outside_listed": "y"}, "other"),
    ],
)
def test_the_category_follows_from_the_article(client, candidate, data, category):
    response = client.post(f"/candidates/{candidate.id}/offences", data=data)
    assert response.status_code == 302
    [offence] = reload(candidate).offences
    assert offence.category_code == category


@pytest.mark.parametrize(
    "data",
    [
        {"code": "", "article": "122"},
        {"code": "2030", "article": "122"},
        {"code": "2014", "article": ""},
        {"code": "2014", "article": "сто двадцать"},
        {"code": "2014", "article": "122", "part": "x"},
        {"code": "2014", "article": "188"},  # not in the table and not confirmed outside it
        {
            "code": "2014",
            "article": "122",
            "convicted_on": (TEST_TODAY + timedelta(days=1)).isoformat(),
        },
    ],
)
def test_a_rejected_offence_writes_nothing(client, candidate, data):
    response = client.post(f"/candidates/{candidate.id}/offences", data=data)
    assert response.status_code == 400 and 'class="field-error"' in response.get_data(as_text=True)
    assert reload(candidate).offences == [] and audit_rows("offence_added") == []


def test_removing_an_offence_asks_first_and_needs_a_post(client, candidate):
    candidate.offences.append(Offence(category_code="murder", article="99"))
    db.session.commit()
    offence_id = candidate.offences[0].id
    url = f"/candidates/{candidate.id}/offences/{offence_id}/remove"
    page = client.get(url)
    assert page.status_code == 200 and 'method="post"' in page.get_data(as_text=True)
    assert len(reload(candidate).offences) == 1  # the GET changed nothing
    assert client.post(url).status_code == 302
    assert reload(candidate).offences == []
    [removed] = audit_rows("offence_removed")
    assert removed.details == {"offence_id": offence_id, "category": "murder"}
    assert client.post(url).status_code == 404  # already gone


def test_removing_with_htmx_returns_the_rows(client, candidate):
    candidate.offences.append(Offence(category_code="murder"))
    db.session.commit()
    response = client.post(
        f"/candidates/{candidate.id}/offences/{candidate.offences[0].id}/remove",
        headers={"HX-Request": "true"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith('<div id="offence-rows">')
    assert reload(candidate).offences == []


def test_a_row_of_another_record_is_not_found(client, candidate, make_candidate):
    other = make_candidate(
        offences=[Offence(category_code="other")],
        activity_bans=[ActivityBan(activity_code="driving")],
    )
    for url in (
        f"/candidates/{candidate.id}/offences/{other.offences[0].id}/remove",
        f"/candidates/{candidate.id}/bans/{other.activity_bans[0].id}/remove",
    ):
        assert client.post(url).status_code == 404
    assert len(reload(other).offences) == 1 and len(other.activity_bans) == 1


def test_bans_until_a_date_even_a_past_one_or_for_life(client, candidate):
    past = clock.today() - timedelta(days=30)
    for data in (
        {"activity_code": "driving", "until": past.isoformat()},
        {"activity_code": "work_with_minors", "for_life": "y"},
    ):
        assert client.post(f"/candidates/{candidate.id}/bans", data=data).status_code == 302
    bans = {b.activity_code: b.until for b in reload(candidate).activity_bans}
    assert bans == {"driving": past, "work_with_minors": None}
    assert [r.details["activity"] for r in audit_rows("ban_added")] == [
        "driving",
        "work_with_minors",
    ]


@pytest.mark.parametrize(
    "data",
    [
        {"activity_code": "driving"},  # neither a date nor for life
        {"activity_code": "driving", "until": "2030-01-01", "for_life": "y"},  # both
        {"activity_code": "nonsense", "for_life": "y"},
        {"activity_code": "", "for_life": "y"},
    ],
)
def test_a_rejected_ban_writes_nothing(client, candidate, data):
    response = client.post(f"/candidates/{candidate.id}/bans", data=data)
    assert response.status_code == 400 and 'class="field-error"' in response.get_data(as_text=True)
    assert reload(candidate).activity_bans == []


def test_removing_a_ban_asks_first(client, candidate):
    candidate.activity_bans.append(ActivityBan(activity_code="teaching"))
    db.session.commit()
    url = f"/candidates/{candidate.id}/bans/{candidate.activity_bans[0].id}/remove"
    assert client.get(url).status_code == 200 and len(reload(candidate).activity_bans) == 1
    assert client.post(url).status_code == 302 and reload(candidate).activity_bans == []


SUPERVISION = {
    "curfew_from": "22:00",
    "curfew_to": "06:00",
    "permitted_area": "71",
    "place_codes": ["child_facility", "entertainment"],
    "no_alcohol": "y",
    "no_contact_minors": "y",
    "until": "2020-01-31",
}  # a past end date is allowed


def test_supervision_is_set_changed_and_read_by_the_rules(client, candidate):
    assert (
        client.post(f"/candidates/{candidate.id}/supervision", data=SUPERVISION).status_code == 302
    )
    facts = facts_from_candidate(reload(candidate))
    assert facts.curfew == (time(22), time(6)) and facts.permitted_area == "71"
    assert facts.prohibited_places == {"child_facility", "entertainment"}
    assert facts.no_alcohol and facts.no_contact_minors
    assert facts.supervision_until == date(2020, 1, 31)
    changed = {
        **SUPERVISION,
        "curfew_from": "",
        "curfew_to": "",
        "place_codes": [],
        "no_alcohol": None,
        "until": "",
    }
    client.post(
        f"/candidates/{candidate.id}/supervision",
        data={k: v for k, v in changed.items() if v is not None},
    )
    supervision = reload(candidate).supervision
    assert (supervision.curfew_from, supervision.no_alcohol, supervision.until) == (
        None,
        False,
        None,
    )
    assert supervision.prohibited_places == []
    first, second = audit_rows("supervision_set")
    assert first.details["created"] and not second.details["created"]
    assert second.details["changed"]["curfew_from"] == ["22:00", None]
    html = client.get(f"/candidates/{candidate.id}").get_data(as_text=True)
    assert "Астана" in html  # the permitted area by name


def test_curfew_times_are_typed_as_hh_mm(client, candidate):
    data = {**SUPERVISION, "curfew_from": "22.30", "curfew_to": "6:00"}
    assert client.post(f"/candidates/{candidate.id}/supervision", data=data).status_code == 302
    assert facts_from_candidate(reload(candidate)).curfew == (time(22, 30), time(6))
    html = client.get(f"/candidates/{candidate.id}/supervision").get_data(as_text=True)
    assert 'value="22:30"' in html and 'value="06:00"' in html
    response = client.post(
        f"/candidates/{candidate.id}/supervision", data={**SUPERVISION, "curfew_from": "10 PM"}
    )
    assert response.status_code == 400 and 'id="curfew_from-error"' in response.get_data(
        as_text=True
    )


@pytest.mark.parametrize("missing", ["curfew_from", "curfew_to"])
def test_a_half_filled_curfew_is_refused(client, candidate, missing):
    response = client.post(
        f"/candidates/{candidate.id}/supervision", data={**SUPERVISION, missing: ""}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and f'id="{missing}-error"' in html
    assert 'value="2020-01-31"' in html  # what was typed is kept
    assert reload(candidate).supervision is None


def test_clearing_the_supervision_asks_first(client, candidate):
    candidate.supervision = Supervision(no_alcohol=True)
    db.session.commit()
    url = f"/candidates/{candidate.id}/supervision/clear"
    assert client.get(url).status_code == 200 and reload(candidate).supervision is not None
    assert client.post(url).status_code == 302
    assert reload(candidate).supervision is None and audit_rows("supervision_cleared")
    assert client.get(url).status_code == 302  # nothing to clear: back to the form


def test_contraindications_are_ticked_and_unticked(client, candidate):
    url = f"/candidates/{candidate.id}/contraindications"
    client.post(url, data={"codes": ["heavy", "night"]})
    assert facts_from_candidate(reload(candidate)).contraindications == {"heavy", "night"}
    client.post(url, data={"codes": ["night"]})
    assert facts_from_candidate(reload(candidate)).contraindications == {"night"}
    first, second = audit_rows("contraindications_set")
    assert second.details == {"added": [], "removed": ["heavy"]}
    assert client.post(url, data={"codes": ["flying"]}).status_code == 400


def test_trades_are_ticked_from_the_occupation_list(client, candidate):
    ids = {
        code: db.session.scalar(sa.select(Occupation.id).where(Occupation.code == code))
        for code in ("7533-0", "7112-0")
    }
    url = f"/candidates/{candidate.id}/trades"
    page = client.get(url).get_data(as_text=True)
    assert 'type="checkbox" name="occupation_ids"' in page
    assert client.post(url, data={"occupation_ids": list(ids.values())}).status_code == 302
    assert sorted(o.code for o in reload(candidate).occupations) == ["7112-0", "7533-0"]
    [traded] = audit_rows("trades_set")
    assert traded.details == {"added": ["7112-0", "7533-0"], "removed": []}
    listing = client.get("/candidates/?trade=" + str(ids["7533-0"])).get_data(as_text=True)
    assert candidate.code in listing


def test_a_change_that_excludes_withdraws_the_open_proposals(
    client, make_user, make_candidate, make_vacancy
):
    """The record gains a night contraindication: a night-shift proposal is withdrawn."""
    from datetime import time

    import sqlalchemy as sa

    from portal.placements import lifecycle
    from portal.placements.models import Placement

    inspector = make_user(INSPECTOR)
    sign_in(client, inspector)
    person = make_candidate()
    night = make_vacancy(title_ru="Ночная", shift_start=time(22), shift_end=time(6))
    day = make_vacancy(title_ru="Дневная")
    at_night = lifecycle.propose(person.id, night.id, inspector, clock.today())
    by_day = lifecycle.propose(person.id, day.id, inspector, clock.today())
    client.post(f"/candidates/{person.id}/contraindications", data={"codes": ["night"]})
    db.session.expire_all()
    states = dict(db.session.execute(sa.select(Placement.id, Placement.state)).all())
    assert states == {at_night.id: "withdrawn", by_day.id: "proposed"}


def test_a_past_supervision_end_is_saved_with_a_word(app, client, candidate):
    response = client.post(
        f"/candidates/{candidate.id}/supervision", data=SUPERVISION, follow_redirects=True
    )
    warning = "The supervision ended on that date: its restrictions no longer apply."
    assert translated(app, warning) in response.get_data(as_text=True)
    assert reload(candidate).supervision.until == date(2020, 1, 31)
