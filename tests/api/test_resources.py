"""The API does what the pages do: the same scope, validation, rules, ranking and life cycle."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.auth.models import AKIMAT, EMPLOYER, INSPECTOR, AuditEntry, User
from portal.candidates.models import Candidate, Offence
from portal.extensions import db
from portal.placements import lifecycle
from portal.placements.models import Placement
from portal.reference.models import Occupation
from tests.helpers import KARAGANDA, new_iin, page_text, region, sign_in


def occupation(code):
    return db.session.scalar(sa.select(Occupation).where(Occupation.code == code))


def person(iin=None, **fields):
    return {
        "full_name": "Айгүл Серікова",
        "iin": iin or new_iin(),
        "birth_date": "1985-04-02",
        "status": "released",
        "language_codes": ["kk", "ru"],
        **fields,
    }


def booking(today) -> dict:
    """An interview two days ahead at ten, at the workshop (the invite step asks when and where)."""
    return {"day": (today + timedelta(days=2)).isoformat(), "at": "10:00", "place": "Цех №2"}


def test_done_when_an_inspector_imports_three_people_reads_vacancies_and_proposes(
    app, make_user, make_vacancy, api_as, today
):
    inspector = make_user(INSPECTOR)
    vacancy = make_vacancy(title_ru="Швея")
    api = api_as(inspector)
    consent = {"on_date": today.isoformat(), "method": "paper_form"}
    made = [api.post("/api/v1/candidates/", json=person(consent=consent)).json for _ in range(3)]
    assert all(c["consent"] and c["region_id"] == inspector.region_id for c in made)
    first = made[0]
    assert (
        api.get(f"/api/v1/candidates/{first['id']}").json["iin"]
        == db.session.get(Candidate, first["id"]).iin
    )  # in full for the record's own inspector
    # the offence section: complete, no offences; then the rules let the person through
    api.put(f"/api/v1/candidates/{first['id']}/offences/recorded", json={"recorded": True})
    open_ = api.get(f"/api/v1/candidates/{first['id']}/vacancies").json
    assert [entry["vacancy"]["id"] for entry in open_["items"]] == [vacancy.id]
    assert open_["next_cursor"] is None
    proposed = api.post(
        "/api/v1/placements/", json={"candidate_id": first["id"], "vacancy_id": vacancy.id}
    )
    assert proposed.status_code == 201 and proposed.json["state"] == "proposed"
    again = api.post(
        "/api/v1/placements/", json={"candidate_id": first["id"], "vacancy_id": vacancy.id}
    )
    assert again.status_code == 409 and again.json["code"] == "already_proposed"


def test_a_record_is_validated_as_the_form_validates_it(app, make_user, api_as):
    api = api_as(make_user(INSPECTOR), "ru")
    bad = api.post("/api/v1/candidates/", json=person(iin="123456789012"))
    assert bad.status_code == 422 and bad.headers["Content-Type"] == "application/problem+json"
    assert bad.json["errors"]["iin"] == [
        "Введите правильный ИИН: 12 цифр с верной контрольной цифрой."
    ]
    taken = new_iin()
    assert api.post("/api/v1/candidates/", json=person(iin=taken)).status_code == 201
    duplicate = api.post("/api/v1/candidates/", json=person(iin=taken))
    assert duplicate.status_code == 422 and "iin" in duplicate.json["errors"]
    custody = api.post("/api/v1/candidates/", json=person(status="min_security"))
    assert custody.status_code == 422 and "institution_id" in custody.json["errors"]
    unknown = api.post("/api/v1/candidates/", json={**person(), "shoe_size": 44})
    assert unknown.status_code == 422 and "shoe_size" in unknown.json["errors"]["json"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Candidate)) == 1


def test_an_update_changes_the_fields_sent_and_is_audited(app, make_user, make_candidate, api_as):
    inspector = make_user(INSPECTOR)
    candidate = make_candidate(full_name="Старое Имя")
    api = api_as(inspector)
    changed = api.patch(f"/api/v1/candidates/{candidate.id}", json={"skills": "швейное дело"})
    assert changed.status_code == 200
    assert changed.json["skills"] == "швейное дело"
    assert changed.json["full_name"] == "Старое Имя"


def test_an_offence_gets_its_category_from_the_table(app, make_user, make_candidate, api_as):
    api = api_as(make_user(INSPECTOR))
    candidate = make_candidate()
    added = api.post(
        f"/api/v1/candidates/{candidate.id}/offences",
        json={"code": "2014", "article": "122", "part": "1"},
    )
    assert added.status_code == 201
    (offence,) = added.json["offences"]
    assert offence["category_code"] == "sexual_minors"
    unlisted = api.post(
        f"/api/v1/candidates/{candidate.id}/offences", json={"code": "2014", "article": "999"}
    )
    assert unlisted.status_code == 422 and "article" in unlisted.json["errors"]


def test_the_api_and_the_page_rank_the_same_people(
    app, client, make_user, make_vacancy, make_candidate, api_as
):
    inspector = make_user(INSPECTOR)
    vacancy = make_vacancy(occupation_code="7533-0", near_minors=True)
    people = [
        make_candidate(occupations=[occupation("7533-0")]),
        make_candidate(skills="швейное дело"),
        make_candidate(),
        make_candidate(offences=[Offence(category_code="sexual_minors", article="122")]),
    ]
    make_candidate(region_kato=KARAGANDA, occupations=[occupation("7533-0")])
    api = api_as(inspector)
    listed, cursor = [], None
    while True:
        page = api.get(
            f"/api/v1/vacancies/{vacancy.id}/eligible",
            query_string={"limit": 2, **({"cursor": cursor} if cursor else {})},
        ).json
        listed += [row["candidate"]["code"] for row in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    sign_in(client, inspector)
    html = page_text(client, f"/matching/vacancies/{vacancy.id}")
    on_page = sorted((c.code for c in people if c.code in html), key=html.index)
    assert listed == on_page and len(listed) == 3
    excluded = api.get(f"/api/v1/vacancies/{vacancy.id}/excluded").json["items"]
    assert [row["candidate"]["code"] for row in excluded] == [people[3].code]
    assert excluded[0]["exclusions"][0]["legal_basis"]


def test_steps_need_the_current_etag_and_refusals_have_stable_codes(
    app, make_user, make_vacancy, make_candidate, api_as, today
):
    inspector = make_user(INSPECTOR)
    vacancy = make_vacancy()
    employer = make_user(EMPLOYER, employer_id=vacancy.employer_id)
    candidate = make_candidate()
    staff, boss = api_as(inspector), api_as(employer)
    made = staff.post(
        "/api/v1/placements/", json={"candidate_id": candidate.id, "vacancy_id": vacancy.id}
    )
    path = f"/api/v1/placements/{made.json['id']}"
    read = boss.get(path)
    assert read.status_code == 200 and "candidate_id" not in read.json
    assert "history" not in read.json
    assert boss.post(f"{path}/interview", json=booking(today)).status_code == 428
    stale = boss.post(f"{path}/interview", json=booking(today), headers={"If-Match": '"0-0"'})
    assert stale.status_code == 412 and stale.json["code"] == "stale"
    done = boss.post(
        f"{path}/interview", json=booking(today), headers={"If-Match": read.headers["ETag"]}
    )
    assert done.status_code == 200 and done.json["state"] == "interview"
    assert done.headers["ETag"] != read.headers["ETag"]
    early = boss.post(
        f"{path}/hire",
        json={"start_date": (today - timedelta(days=400)).isoformat()},
        headers={"If-Match": done.headers["ETag"]},
    )
    assert early.status_code == 409 and early.json["code"] == "start_before_proposal"
    wrong = staff.post(
        f"{path}/withdraw", json={"reason": "no_such"}, headers={"If-Match": done.headers["ETag"]}
    )
    assert wrong.status_code == 422 and "reason" in wrong.json["errors"]["json"]
    assert staff.get(path).json["history"][-1]["to_state"] == "interview"
    assert db.session.get(Placement, made.json["id"]).state == "interview"


def test_an_employer_is_told_no_reason_when_the_rules_refuse(
    app, make_user, make_vacancy, make_candidate, api_as, today
):
    inspector = make_user(INSPECTOR)
    vacancy = make_vacancy(near_minors=True)
    employer = make_user(EMPLOYER, employer_id=vacancy.employer_id)
    candidate = make_candidate()
    made = api_as(inspector).post(
        "/api/v1/placements/", json={"candidate_id": candidate.id, "vacancy_id": vacancy.id}
    )
    # A conviction the rules exclude here, written past the operations (which would withdraw).
    db.session.add(Offence(candidate_id=candidate.id, category_code="sexual_minors", article="122"))
    db.session.commit()
    boss = api_as(employer)
    path = f"/api/v1/placements/{made.json['id']}"
    refused = boss.post(
        f"{path}/interview",
        json=booking(today),
        headers={"If-Match": boss.get(path).headers["ETag"]},
    )
    assert refused.status_code == 409
    assert refused.json["code"] == "not_possible" and "reasons" not in refused.json


def test_a_full_workshop_is_a_conflict_with_its_own_code(
    app, make_user, make_employer, make_vacancy, make_candidate, api_as, today
):
    employer = make_employer(kind="rse_branch", workshop_capacity=1)
    boss = make_user(EMPLOYER, employer_id=employer.id)
    inspector = make_user(INSPECTOR)
    made = []
    for vacancy in (make_vacancy(employer), make_vacancy(employer)):
        p = lifecycle.propose(make_candidate().id, vacancy.id, inspector, today)
        made.append(lifecycle.accept_for_interview(p.id, p.version, boss, today))
    lifecycle.hire(made[0].id, made[0].version, boss, start=today, on=today)
    api = api_as(boss)
    path = f"/api/v1/placements/{made[1].id}"
    refused = api.post(
        f"{path}/hire",
        json={"start_date": today.isoformat()},
        headers={"If-Match": api.get(path).headers["ETag"]},
    )
    assert refused.status_code == 409 and refused.json["code"] == "workshop_full"
    assert refused.json["detail"] == "Все места цеха заняты (1 из 1) по всем его вакансиям."
    assert db.session.get(Placement, made[1].id).state == "interview"


def test_employers_see_their_own_vacancies_only(app, make_user, make_vacancy, api_as):
    own, other = make_vacancy(), make_vacancy()
    api = api_as(make_user(EMPLOYER, employer_id=own.employer_id))
    assert [v["id"] for v in api.get("/api/v1/vacancies/").json["items"]] == [own.id]
    assert api.get(f"/api/v1/vacancies/{other.id}").status_code == 404
    assert api.get(f"/api/v1/employers/{other.employer_id}").status_code == 404
    assert api.get(f"/api/v1/employers/{own.employer_id}").status_code == 200
    assert api.get("/api/v1/employers/").status_code == 403


@pytest.mark.parametrize("role", [AKIMAT, INSPECTOR])
def test_statistics_are_the_dashboards(app, make_user, role, api_as):
    from portal import clock
    from portal.stats import tables
    from portal.stats.filters import FilterForm, resolve

    user = make_user(role)
    figures = api_as(user).get("/api/v1/stats/", query_string={"period": "year"})
    assert figures.status_code == 200
    with app.test_request_context(headers={"Accept-Language": "ru"}):
        found = tables.build(
            resolve(FilterForm(period="year"), clock.today()),
            db.session.get(User, user.id),
            clock.today(),
        )
        keys = [t.key for t in found]
    assert [t["key"] for t in figures.json["tables"]] == keys


def test_a_cursor_made_elsewhere_is_a_400(app, make_user, api_as):
    api = api_as(make_user(INSPECTOR))
    bad = api.get("/api/v1/candidates/", query_string={"cursor": "bm90LW91cnM"})
    assert bad.status_code == 400 and bad.json["code"] == "bad_cursor"


def test_another_regions_inspector_gets_404(app, make_user, make_candidate, api_as):
    candidate = make_candidate()
    api = api_as(make_user(INSPECTOR, region_id=region(KARAGANDA).id))
    assert api.get(f"/api/v1/candidates/{candidate.id}").status_code == 404
    assert api.get("/api/v1/candidates/").json["items"] == []


def test_an_employer_posts_publishes_changes_and_closes_a_vacancy(app, make_user, api_as, today):
    employer = make_user(EMPLOYER)
    api = api_as(employer, "kk")
    body = {
        "occupation_id": occupation("7533-0").id,
        "title_ru": "Швея",
        "district_id": employer.employer.district_id,
        "places": 2,
        "wage": 180000,
        "shift_start": "09:00",
        "shift_end": "18:00",
        "working_days": [1, 2, 3, 4, 5],
        "sphere_code": "manufacturing",
        "no_activities": True,
        "with_minors": False,
        "near_minors": False,
    }
    unanswered = api.post("/api/v1/vacancies/", json={**body, "near_minors": None, "publish": True})
    assert unanswered.status_code == 422 and "near_minors" in unanswered.json["errors"]
    made = api.post("/api/v1/vacancies/", json={**body, "publish": True})
    assert made.status_code == 201 and made.json["status"] == "published"
    path = f"/api/v1/vacancies/{made.json['id']}"
    changed = api.patch(path, json={"wage": 200000})
    assert changed.status_code == 200 and changed.json["wage"] == 200000
    assert changed.json["places"] == 2 and changed.json["near_minors"] is False
    closed = api.post(f"{path}/close")
    assert closed.status_code == 200 and closed.json["status"] == "closed"
    assert api.post(f"{path}/close").status_code == 409
    assert api.post(f"{path}/reopen").json["status"] == "published"


def test_the_apis_lists_of_people_for_a_vacancy_are_audited_reads(
    app, make_user, make_vacancy, make_candidate, api_as
):
    """As on the matching page: who read which people, on which tab."""
    inspector = make_user(INSPECTOR)
    vacancy = make_vacancy(near_minors=True)
    allowed = make_candidate()
    barred = make_candidate(offences=[Offence(category_code="sexual_minors", article="122")])
    api = api_as(inspector)
    for tab, person in (("eligible", allowed), ("excluded", barred)):
        assert api.get(f"/api/v1/vacancies/{vacancy.id}/{tab}").status_code == 200
        entry = db.session.scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.action == "matching_listed")
            .order_by(AuditEntry.id.desc())
        ).first()
        assert entry.user_id == inspector.id and entry.details["tab"] == tab
        assert entry.details["shown"] == [person.id]
