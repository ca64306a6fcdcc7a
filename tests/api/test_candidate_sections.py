"""A record's sections through the API — court bans, supervision, consent, trades — with the
section pages' forms and operations: the same refusals (422 with the form's messages, in the
request's language; 409 with the consent rules' codes), nothing half-written, audited; and
the API's placement list an audited read with the ids shown."""

from datetime import timedelta

import sqlalchemy as sa

from portal import clock
from portal.auth.models import INSPECTOR, AuditEntry
from portal.candidates.models import ActivityBan, ConsentEvent
from portal.extensions import db
from portal.placements import lifecycle
from portal.placements.models import Placement
from portal.reference.models import Occupation


def _path(candidate, section: str) -> str:
    return f"/api/v1/candidates/{candidate.id}/{section}"


def test_bans_are_added_listed_and_removed_with_the_forms_rules(
    app, make_user, make_candidate, api_as
):
    person = make_candidate()
    api = api_as(make_user(INSPECTOR))
    both = api.post(
        _path(person, "bans"),
        json={
            "activity_code": "work_with_minors",
            "until": clock.today().isoformat(),
            "for_life": True,
        },
    )
    assert both.status_code == 422 and "пожизненно" in str(both.json["errors"]).lower()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ActivityBan)) == 0
    unknown = api.post(_path(person, "bans"), json={"activity_code": "flying", "for_life": True})
    assert unknown.status_code == 422
    added = api.post(
        _path(person, "bans"), json={"activity_code": "work_with_minors", "for_life": True}
    )
    assert added.status_code == 201 and added.json["until"] is None
    listed = api.get(_path(person, "bans"))
    assert [b["activity_code"] for b in listed.json] == ["work_with_minors"]
    assert api.delete(f"{_path(person, 'bans')}/{added.json['id']}").status_code == 204
    assert api.get(_path(person, "bans")).json == []
    assert api.delete(f"{_path(person, 'bans')}/{added.json['id']}").status_code == 404


def test_supervision_is_set_read_and_cleared(app, make_user, make_candidate, api_as):
    person = make_candidate()
    api = api_as(make_user(INSPECTOR))
    assert api.get(_path(person, "supervision")).status_code == 404
    half = api.put(_path(person, "supervision"), json={"curfew_from": "22:00"})
    assert half.status_code == 422 and "curfew_to" in half.json["errors"]
    db.session.expire_all()
    assert person.supervision is None
    saved = api.put(
        _path(person, "supervision"),
        json={
            "curfew_from": "22:00",
            "curfew_to": "06:00",
            "no_alcohol": True,
            "place_codes": ["child_facility"],
            "until": (clock.today() + timedelta(days=90)).isoformat(),
        },
    )
    assert saved.status_code == 200, saved.json
    assert saved.json["curfew_from"] == "22:00" and saved.json["place_codes"] == ["child_facility"]
    assert api.get(_path(person, "supervision")).json["no_alcohol"] is True
    assert api.delete(_path(person, "supervision")).status_code == 204
    assert api.get(_path(person, "supervision")).status_code == 404


def test_consent_is_withdrawn_only_with_the_open_proposals_known_and_ends_them(
    app, make_user, make_candidate, make_vacancy, api_as
):
    inspector = make_user(INSPECTOR)
    person = make_candidate()
    placement = lifecycle.propose(person.id, make_vacancy().id, inspector, clock.today())
    api = api_as(inspector)
    state = api.get(_path(person, "consent")).json
    assert state["consent"] is True and state["open_count"] == 1
    today = clock.today().isoformat()
    stale = api.post(
        _path(person, "consent/withdraw"),
        json={"on_date": today, "method": "paper_form", "open_count": 0},
    )
    assert stale.status_code == 409 and stale.json["code"] == "open_changed"
    db.session.expire_all()
    assert db.session.get(Placement, placement.id).state == "proposed" and person.consent
    future = api.post(
        _path(person, "consent/withdraw"),
        json={
            "on_date": (clock.today() + timedelta(days=1)).isoformat(),
            "method": "paper_form",
            "open_count": 1,
        },
    )
    assert future.status_code == 422
    done = api.post(
        _path(person, "consent/withdraw"),
        json={"on_date": today, "method": "paper_form", "open_count": 1},
    )
    assert (
        done.status_code == 201 and done.json["consent"] is False and done.json["open_count"] == 0
    )
    db.session.expire_all()
    assert db.session.get(Placement, placement.id).state == "withdrawn"
    again = api.post(
        _path(person, "consent/withdraw"),
        json={"on_date": today, "method": "paper_form", "open_count": 0},
    )
    assert again.status_code == 409
    granted = api.post(
        _path(person, "consent/grant"), json={"on_date": today, "method": "paper_form"}
    )
    assert granted.status_code == 201 and granted.json["consent"] is True
    kinds = [e["kind"] for e in granted.json["history"]]
    assert len(kinds) == 3
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ConsentEvent)) == 3


def test_trades_are_set_and_a_retired_occupation_is_not_offered(
    app, make_user, make_candidate, api_as
):
    person = make_candidate()
    api = api_as(make_user(INSPECTOR))
    sewing, other = db.session.scalars(sa.select(Occupation).order_by(Occupation.code).limit(2))
    saved = api.put(_path(person, "trades"), json={"occupation_ids": [sewing.id]})
    assert saved.status_code == 200 and saved.json["occupation_codes"] == [sewing.code]
    other.retired_at = clock.now()
    db.session.commit()
    refused = api.put(_path(person, "trades"), json={"occupation_ids": [sewing.id, other.id]})
    assert refused.status_code == 422
    db.session.expire_all()
    assert [o.code for o in person.occupations] == [sewing.code]


def test_the_placement_list_is_an_audited_read_with_the_ids_shown(
    app, make_user, make_candidate, make_vacancy, api_as
):
    inspector = make_user(INSPECTOR)
    person = make_candidate()
    lifecycle.propose(person.id, make_vacancy().id, inspector, clock.today())
    listed = api_as(inspector).get("/api/v1/placements/?limit=10")
    assert listed.status_code == 200
    entry = db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.action == "placements_listed")
        .order_by(AuditEntry.id.desc())
    ).first()
    assert entry.user_id == inspector.id and entry.details["shown"] == [person.id]
    assert entry.details["page"] == "api_placements" and entry.details["filters"] == {"limit": "10"}
