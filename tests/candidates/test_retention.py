"""Retention and anonymisation: the schedule (per status, never while a placement is active or
a proposal open), the notice to the record's inspectors 30 days ahead and its list, the
anonymisation itself (identity gone, statistics unchanged, out of the search), erasure on the
person's request with a reason and a confirmation, and anonymised records refused any change."""

from dataclasses import asdict
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, format_date

from portal import clock, tasks
from portal.auth.models import ADMIN, AKIMAT, INSPECTOR
from portal.candidates import retention
from portal.candidates.anonymise import (
    ERASURE,
    MSG_ANONYMISED,
    MSG_HELD,
    RETENTION,
    AnonymiseRefused,
    anonymise,
    marker,
)
from portal.candidates.identity import identifier
from portal.candidates.models import Candidate, ConsentEvent, Offence, Supervision
from portal.candidates.schedule import add_years, due_by, due_dates
from portal.extensions import db
from portal.notifications.models import MailOutbox, Notification
from portal.placements import lifecycle
from portal.placements.lifecycle import StepRefused
from portal.placements.models import Placement, PlacementEvent, WorkplaceCheck
from portal.queue import huey
from portal.search import schema
from portal.stats import tables
from portal.stats.filters import Filters
from tests.candidates.helpers import audit_rows
from tests.helpers import KARAGANDA, institution, noon, region, sign_in, translated
from tests.placements.helpers import in_language
from tests.stats import dataset
from tests.stats.dataset import AS_OF, YEAR

YEARS = 3  # the default RETENTION_YEARS of released people and people on probation


def quiet_since(candidate: Candidate, day: date) -> Candidate:
    """The record's last activity was on `day`: released then, consent given then, unchanged."""
    db.session.execute(
        sa.update(ConsentEvent).where(ConsentEvent.candidate_id == candidate.id).values(on_date=day)
    )
    db.session.execute(
        sa.update(Candidate)
        .where(Candidate.id == candidate.id)
        .values(release_date=day, created_at=noon(day), updated_at=noon(day))
    )
    db.session.commit()
    db.session.expire_all()
    return db.session.get(Candidate, candidate.id)


def due_on(candidate: Candidate, today: date) -> Candidate:
    """A record whose retention period ends on `today`."""
    return quiet_since(candidate, add_years(today, -YEARS))


def reload(candidate: Candidate) -> Candidate:
    db.session.expire_all()
    return db.session.get(Candidate, candidate.id)


def test_the_schedule_per_status_and_activity(make_candidate, make_vacancy, make_user, today):
    due = due_on(make_candidate(), today)
    younger = due_on(make_candidate(), today + timedelta(days=1))
    custody = quiet_since(
        make_candidate(status="min_security", institution_id=institution("ЕЦ-166/11").id),
        add_years(today, -20),
    )
    held = due_on(make_candidate(), today)
    lifecycle.propose(held.id, make_vacancy().id, make_user(ADMIN), today)
    later_supervised = due_on(make_candidate(), today)
    db.session.add(Supervision(candidate_id=later_supervised.id, until=today - timedelta(days=1)))
    db.session.commit()

    found = set(db.session.scalars(sa.select(Candidate.id).where(due_by(today))))
    assert due.id in found
    assert found.isdisjoint({younger.id, custody.id, held.id, later_supervised.id})
    dates = due_dates([due.id, younger.id, custody.id, later_supervised.id])
    # on a 29 February, a record quiet since the 28th three years before is due on the 28th
    assert dates[due.id] == add_years(add_years(today, -YEARS), YEARS)
    assert dates[younger.id] == today + timedelta(days=1)
    assert custody.id not in dates  # in custody: kept
    assert dates[later_supervised.id] == add_years(today - timedelta(days=1), YEARS)


def test_the_inspectors_are_told_30_days_ahead_then_the_record_is_anonymised(
    make_candidate, make_user, today
):
    inspector = make_user(INSPECTOR)
    elsewhere = make_user(INSPECTOR, region_id=region(KARAGANDA).id)
    person = due_on(make_candidate(full_name="Айгүл Серікова"), today + timedelta(days=20))
    far = due_on(make_candidate(), today + timedelta(days=31))

    report = retention.run(today)
    assert report.told == 1 and report.anonymised == []
    (notice,) = db.session.scalars(
        sa.select(Notification).where(Notification.kind == "retention_due")
    )
    assert notice.user_id == inspector.id and notice.object_id == person.id
    assert notice.params["on"] == (today + timedelta(days=20)).isoformat()
    assert db.session.scalar(
        sa.select(sa.func.count()).select_from(MailOutbox).where(MailOutbox.user_id == inspector.id)
    )
    assert not db.session.scalar(
        sa.select(sa.func.count()).where(Notification.user_id == elsewhere.id)
    )
    assert retention.run(today).told == 1  # counted again, told once (the dedupe key)
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(Notification.kind == "retention_due"))
        == 1
    )

    day = today + timedelta(days=20)
    report = retention.run(day)
    assert report.anonymised == [person.id]
    person = reload(person)
    assert person.anonymised_at is not None and person.anonymised_kind == RETENTION
    assert person.full_name == "" and person.iin == marker(person.id)
    assert person.birth_date is None and person.birth_year == 1980
    assert reload(far).anonymised_at is None
    (entry,) = audit_rows("candidate_anonymised")
    assert entry.object_id == person.id and entry.user_id is None
    assert retention.run(day).anonymised == []  # once


def test_the_list_of_records_coming_due(client, make_candidate, make_user, today):
    inspector = make_user(INSPECTOR, locale="ru")
    soon = due_on(make_candidate(full_name="Скоро Срок"), today + timedelta(days=10))
    due_on(make_candidate(full_name="Не Скоро"), today + timedelta(days=40))
    due_on(make_candidate(KARAGANDA, full_name="Чужой Регион"), today + timedelta(days=10))
    sign_in(client, inspector)
    response = client.get("/candidates/retention")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Скоро Срок" in html and "Не Скоро" not in html and "Чужой Регион" not in html
    assert (
        translated(client.application, "Records at the end of their retention period", "ru") in html
    )
    (read,) = audit_rows("candidates_listed")
    assert read.details["shown"] == [soon.id] and read.details["page"] == "retention"


def test_anonymisation_keeps_offences_and_placements_and_clears_free_text(
    make_candidate, make_vacancy, make_user, today
):
    admin = make_user(ADMIN)
    person = make_candidate(
        education="Орта арнаулы", skills="Тігін", housing="Пәтер", programme_notes="Жазба"
    )
    person.offences.append(Offence(category_code="other", article="188"))
    db.session.commit()
    placement = lifecycle.propose(person.id, make_vacancy().id, admin, today)
    placement = lifecycle.set_inspector_note(placement.id, placement.version, admin, "Телефон 8701")
    lifecycle.withdraw(placement.id, placement.version, admin, "other", "себебі: Айгүл")
    check = WorkplaceCheck(
        placement_id=placement.id,
        checked_on=today,
        found_at_work=True,
        note="Айгүл жұмыста",
        user_id=admin.id,
    )
    db.session.add(check)
    db.session.commit()

    anonymise(person.id, RETENTION, None)

    person = reload(person)
    assert [o.article for o in person.offences] == ["188"]
    assert (person.education, person.skills, person.housing, person.programme_notes) == ("",) * 4
    kept = db.session.get(Placement, placement.id)
    assert kept.state == "withdrawn" and kept.inspector_note == ""
    notes = db.session.scalars(
        sa.select(PlacementEvent.note).where(PlacementEvent.placement_id == placement.id)
    ).all()
    assert len(notes) == 2 and set(notes) == {""}
    assert db.session.get(WorkplaceCheck, check.id).note == ""
    with pytest.raises(AnonymiseRefused) as refused:
        anonymise(person.id, RETENTION, None)
    assert refused.value.message == MSG_ANONYMISED


def test_anonymised_records_leave_the_search_and_the_lookups(
    client, app, make_candidate, make_user, today
):
    person = make_candidate(full_name="Жұмагүл Бекова")
    iin = person.iin
    sign_in(client, make_user(INSPECTOR))
    assert "Жұмагүл" in client.get("/search/candidates?q=Жұмагүл").get_data(as_text=True)
    anonymise(person.id, ERASURE, None, "өтініш")
    with db.engine.connect() as conn:
        assert schema.documents(conn, "candidate", [person.id]) == {}
    page = client.get("/search/candidates?q=Жұмагүл").get_data(as_text=True)
    assert f'/candidates/{person.id}"' not in page
    assert (
        not client.get(f"/search/candidates?q={iin}")
        .get_data(as_text=True)
        .count(f'/candidates/{person.id}"')
    )
    assert db.session.scalar(sa.select(Candidate.id).where(identifier(iin))) is None


DASHBOARD_FILTERS = [
    Filters(date(YEAR, 1, 1), date(YEAR, 3, 31)),
    Filters(date(YEAR, 1, 1), date(YEAR, 12, 31)),
    Filters(date(YEAR - 1, 1, 1), date(YEAR, 12, 31), status="released"),
    Filters(date(YEAR, 1, 1), date(YEAR, 12, 31), group="7"),
]


def dashboard(users) -> list:
    db.session.expire_all()
    return [
        [asdict(table) for table in tables.build(filters, user, AS_OF)]
        for user in users
        for filters in DASHBOARD_FILTERS
    ]


def test_the_akimats_figures_do_not_change(make_employer, make_vacancy, make_candidate, make_user):
    data = dataset.build(make_employer, make_vacancy, make_candidate)
    users = [make_user(AKIMAT), make_user(INSPECTOR), make_user(ADMIN)]
    before = dashboard(users)
    report = retention.run(add_years(clock.today(), 20))
    # Everyone whose placements are over: c2, c3, c5 (ended) and c6 (declined).
    assert sorted(report.anonymised) == sorted(
        data["people"][k].id for k in ("c2", "c3", "c5", "c6")
    )
    assert dashboard(users) == before


def test_erasure_asks_for_a_reason_and_a_confirmation(client, app, make_candidate, make_user):
    person = make_candidate(full_name="Өшірілетін Адам")
    inspector = make_user(INSPECTOR, locale="kk")
    sign_in(client, inspector)
    page = client.get(f"/candidates/{person.id}/erase")
    assert page.status_code == 200
    refused = client.post(f"/candidates/{person.id}/erase", data={"reason": "Өтініш"})
    assert refused.status_code == 400
    assert translated(app, "Tick the box to confirm the erasure.", "kk") in refused.get_data(
        as_text=True
    )
    no_reason = client.post(f"/candidates/{person.id}/erase", data={"confirm": "y"})
    assert no_reason.status_code == 400
    assert reload(person).anonymised_at is None

    done = client.post(
        f"/candidates/{person.id}/erase", data={"reason": "Жазбаша өтініш", "confirm": "y"}
    )
    assert done.status_code == 303
    person = reload(person)
    assert person.anonymised_kind == ERASURE and person.full_name == ""
    (entry,) = audit_rows("candidate_erased")
    assert entry.user_id == inspector.id and entry.details["reason"] == "Жазбаша өтініш"
    view = client.get(f"/candidates/{person.id}").get_data(as_text=True)
    assert translated(app, "Anonymised record", "kk") in view and "Өшірілетін" not in view
    copy = client.get(f"/candidates/{person.id}/copy.json").get_json()
    assert copy["record"]["iin"] is None and copy["record"]["full_name"] == ""
    assert copy["record"]["birth_year"] == 1980 and copy["record"]["anonymised_kind"] == ERASURE


def test_no_erasure_while_a_proposal_is_open(client, app, make_candidate, make_user, make_vacancy):
    person = make_candidate()
    inspector = make_user(INSPECTOR, locale="ru")
    lifecycle.propose(person.id, make_vacancy().id, inspector, clock.today())
    sign_in(client, inspector)
    response = client.post(
        f"/candidates/{person.id}/erase", data={"reason": "Заявление", "confirm": "y"}
    )
    assert response.status_code == 400
    assert in_language(app, "ru", lambda: MSG_HELD) in response.get_data(as_text=True)
    assert reload(person).anonymised_at is None and audit_rows("candidate_erased") == []


def test_an_anonymised_record_refuses_every_change(
    client, app, make_candidate, make_user, make_vacancy, today
):
    person = make_candidate()
    anonymise(person.id, RETENTION, None)
    inspector = make_user(INSPECTOR, locale="ru")
    sign_in(client, inspector)
    for method, path in [
        ("GET", "edit"),
        ("POST", "edit"),
        ("GET", "offences"),
        ("POST", "bans"),
        ("POST", "consent/withdraw"),
        ("GET", "corrections"),
        ("POST", "erase"),
    ]:
        response = client.open(f"/candidates/{person.id}/{path}", method=method, data={})
        assert response.status_code == 303, path
        assert response.headers["Location"].endswith(f"/candidates/{person.id}")
    for path in (f"/matching/candidates/{person.id}", f"/matching/candidates/{person.id}/sheet"):
        assert client.get(path).status_code == 303
    page = client.get(f"/candidates/{person.id}").get_data(as_text=True)
    assert in_language(app, "ru", lambda: MSG_ANONYMISED) in page
    with pytest.raises(StepRefused):
        lifecycle.propose(person.id, make_vacancy().id, inspector, today)
    other = make_user(INSPECTOR, region_id=region(KARAGANDA).id)
    sign_in(client, other)
    assert client.get(f"/candidates/{person.id}/edit").status_code == 404


def test_the_command_and_the_daily_task(runner, make_candidate, monkeypatch, today):
    first = due_on(make_candidate(), today)
    result = runner.invoke(args=["candidates", "retention"])
    assert result.exit_code == 0 and "anonymised 1" in result.output
    assert reload(first).anonymised_at is not None
    second = due_on(make_candidate(), today)
    monkeypatch.setattr(huey, "immediate", True)
    tasks.retention_run()
    assert reload(second).anonymised_kind == RETENTION


def test_the_notice_reads_in_the_inspectors_language(app, client, make_candidate, make_user, today):
    inspector = make_user(INSPECTOR, locale="ru")
    person = due_on(make_candidate(), today + timedelta(days=30))
    retention.run(today)
    sign_in(client, inspector)
    html = client.get("/notifications/").get_data(as_text=True)
    assert person.code in html and 'href="/notifications/' in html
    with app.test_request_context(), force_locale("ru"):
        assert format_date(today + timedelta(days=30), "long") in html
    (mail,) = db.session.scalars(sa.select(MailOutbox).where(MailOutbox.user_id == inspector.id))
    assert person.code not in mail.body  # e-mails name nothing but the kind of event


def test_anonymisation_clears_what_the_programme_says_of_the_person(
    make_candidate, make_user, today
):
    """Steps keep their service, dates and states (the statistics count them); the notes,
    outcomes and reasons written about the person go (a step not possible keeps a dash)."""
    from portal.programmes import operations
    from portal.programmes.models import Assessment, ProgrammeService, ProgrammeStep

    inspector = make_user(INSPECTOR)
    person = make_candidate()
    programme = operations.start_programme(person, inspector, None)
    area = programme.assessments[0].area
    operations.set_assessment(
        programme, inspector, {area: {"state": "needs_help", "on_date": today, "note": "Ауырады"}}
    )
    code = db.session.scalar(sa.select(ProgrammeService.code).limit(1))
    step = dict(title_kk="Жеке куәлік", title_ru="", due_on=today, service_code=code)
    done = operations.add_step(
        programme, inspector, {**step, "state": "done", "reason": "", "outcome": "Айгүл көмектесті"}
    )
    refused = operations.add_step(
        programme, inspector, {**step, "state": "not_possible", "reason": "Айгүлде тұрады"}
    )

    anonymise(person.id, RETENTION, None)

    db.session.expire_all()
    assert db.session.get(Assessment, programme.assessments[0].id).note == ""
    kept = [db.session.get(ProgrammeStep, s.id) for s in (done, refused)]
    assert [(s.state, s.service_code, s.due_on) for s in kept] == [
        ("done", code, today),
        ("not_possible", code, today),
    ]
    assert [(s.outcome, s.reason) for s in kept] == [("", ""), ("", "—")]
