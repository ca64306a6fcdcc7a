"""The individual programme of social-legal assistance: templates and their due dates against
hand-built data, starting, the assessment, steps and their checks, progress, the home page's
counts, audited reads, and employers seeing nothing of it."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal import clock
from portal.auth.models import EMPLOYER, INSPECTOR, AuditEntry
from portal.extensions import db
from portal.main import todo
from portal.placements import lifecycle
from portal.placements.followup import add_months
from portal.programmes import step_templates
from portal.programmes.models import Programme, ProgrammeStep
from portal.programmes.progress import Progress, progress
from tests.helpers import KARAGANDA, institution, page_text, region, sign_in, statements, translated


def actions(action: str) -> list[AuditEntry]:
    return db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    ).all()


def programme_of(candidate) -> Programme | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(Programme).where(Programme.candidate_id == candidate.id))


@pytest.fixture
def inspector(make_user):
    return make_user(INSPECTOR)


@pytest.fixture
def in_custody(make_candidate, today):
    """In custody at ЕЦ-166/11, released in ten months."""
    return make_candidate(
        status="pre_release",
        institution_id=institution("ЕЦ-166/11").id,
        release_date=add_months(today, 10),
    )


def test_the_custody_template_counts_back_from_the_release_date(today):
    release = add_months(today, 10)
    dates = dict(
        (step.key, due)
        for step, due in step_templates.due_dates(step_templates.CUSTODY, release, today)
    )
    assert dates["health"] == add_months(release, -12)  # a year before: overdue already
    assert dates["identity_card"] == add_months(release, -6)
    assert dates["bank_account"] == add_months(release, -2)
    assert dates["ngo"] == release
    assert len(dates) == len(step_templates.CUSTODY.steps)
    with pytest.raises(step_templates.NoAnchor):
        step_templates.due_dates(step_templates.CUSTODY, None, today)


def test_the_released_template_counts_from_the_start(today):
    found = step_templates.due_dates(step_templates.RELEASED, None, today)
    dates = {step.key: due for step, due in found}
    assert dates["probation_register"] == today + timedelta(days=10)
    assert dates["health"] == add_months(today, 1) + timedelta(days=15)
    assert dates["work"] == add_months(today, 3)
    assert [due for _step, due in found] == sorted(dates.values())
    assert [t.code for t in step_templates.for_status("probation")] == ["after_release"]
    assert [t.code for t in step_templates.for_status("min_security")] == ["penitentiary_probation"]


def test_every_template_step_has_a_seeded_service_and_both_titles(app):
    from portal.programmes.seed import SERVICES

    codes = {code for code, _kk, _ru in SERVICES}
    for template in step_templates.TEMPLATES.values():
        for step in template.steps:
            assert step.service in codes and step.title_kk and step.title_ru


def test_an_inspector_starts_from_the_template_with_one_click(client, inspector, in_custody, today):
    sign_in(client, inspector)
    base = f"/candidates/{in_custody.id}/programme"
    html = page_text(client, base)
    assert "template=penitentiary_probation" in html
    preview = page_text(client, f"{base}/start?template=penitentiary_probation")
    assert "Оформить удостоверение личности" in preview or "Жеке куәлікті" in preview
    assert programme_of(in_custody) is None  # the preview writes nothing
    response = client.post(f"{base}/start", data={"template": "penitentiary_probation"})
    assert response.status_code == 302
    programme = programme_of(in_custody)
    assert programme.template_code == "penitentiary_probation"
    assert len(programme.assessments) == 9
    assert {a.state for a in programme.assessments} == {"not_assessed"}
    steps = {s.template_step: s for s in programme.steps}
    assert steps["identity_card"].due_on == add_months(in_custody.release_date, -6)
    assert steps["identity_card"].service_code == "squad_chief"
    assert steps["identity_card"].title_ru == "Оформить удостоверение личности"
    [started] = actions("programme_started")
    assert started.object_id == in_custody.id
    assert started.details["steps"] == len(step_templates.CUSTODY.steps)
    # Started ten months before release: the steps due 12 and 11 months before are overdue.
    assert progress(in_custody.id, today) == Progress(steps=11, done=0, not_possible=0, overdue=2)
    # A second start adds nothing.
    client.post(f"{base}/start", data={"template": "penitentiary_probation"})
    assert db.session.scalar(sa.select(sa.func.count(Programme.id))) == 1
    assert len(actions("programme_started")) == 1


def test_a_template_needs_the_release_date_and_the_status(client, inspector, make_candidate):
    sign_in(client, inspector)
    custody = make_candidate(status="pre_release", institution_id=institution("ЕЦ-166/11").id)
    for lang in ("kk", "ru"):
        inspector.locale = lang
        db.session.commit()
        response = client.post(
            f"/candidates/{custody.id}/programme/start",
            data={"template": "penitentiary_probation"},
        )
        assert response.status_code == 400
        text = response.get_data(as_text=True)
        message = (
            "The template counts its due dates from the release date, and the record has none. "
            "Enter the release date on the record first."
        )
        assert translated(client.application, message, lang) in text
    assert programme_of(custody) is None
    released = make_candidate()
    wrong = client.get(f"/candidates/{released.id}/programme/start?template=penitentiary_probation")
    assert wrong.status_code == 404
    assert client.get(f"/candidates/{released.id}/programme/start?template=nope").status_code == 404


def started(client, candidate, template: str = "") -> Programme:
    response = client.post(
        f"/candidates/{candidate.id}/programme/start", data={"template": template}
    )
    assert response.status_code == 302
    return programme_of(candidate)


def step_form(**fields) -> dict:
    return {
        "title_kk": "",
        "title_ru": "Встреча с психологом",
        "service_code": "psychologist",
        "due_on": clock.today().isoformat(),
        "state": "planned",
        "done_on": "",
        "reason": "",
        "outcome": "",
        **fields,
    }


def test_steps_done_and_not_possible(client, inspector, in_custody, today):
    sign_in(client, inspector)
    programme = started(client, in_custody, "penitentiary_probation")
    steps = {s.template_step: s for s in programme.steps}
    card, housing = steps["identity_card"], steps["housing"]
    url = f"/candidates/{in_custody.id}/programme/steps"
    done = step_form(
        title_kk=card.title_kk,
        title_ru=card.title_ru,
        service_code=card.service_code,
        due_on=card.due_on.isoformat(),
        state="done",
        outcome="Выдано",
    )
    assert client.post(f"{url}/{card.id}", data=done).status_code == 302
    # "Not possible" without a reason is refused, in the user's language, and nothing changes.
    refuse = step_form(
        title_ru=housing.title_ru, service_code="akimat", due_on=housing.due_on.isoformat()
    )
    for lang in ("kk", "ru"):
        inspector.locale = lang
        db.session.commit()
        response = client.post(f"{url}/{housing.id}", data={**refuse, "state": "not_possible"})
        assert response.status_code == 400
        assert translated(
            client.application, "Say why the step is not possible.", lang
        ) in response.get_data(as_text=True)
    reason = {**refuse, "state": "not_possible", "reason": "Нет жилья у родственников"}
    assert client.post(f"{url}/{housing.id}", data=reason).status_code == 302
    db.session.expire_all()
    card, housing = (
        db.session.get(ProgrammeStep, card.id),
        db.session.get(ProgrammeStep, housing.id),
    )
    assert (card.state, card.done_on, card.outcome) == ("done", today, "Выдано")
    assert (housing.state, housing.reason) == ("not_possible", "Нет жилья у родственников")
    updates = actions("programme_step_updated")
    assert [u.details["step_id"] for u in updates] == [card.id, housing.id]
    assert updates[0].details["values"]["state"] == ["planned", "done"]
    assert "Выдано" not in str(updates[0].details)  # free text is logged by name only
    assert progress(in_custody.id, today) == Progress(11, 1, 1, 2)
    record = page_text(client, f"/candidates/{in_custody.id}")
    inspector.locale = "ru"
    db.session.commit()
    record = page_text(client, f"/candidates/{in_custody.id}")
    assert "1 из 11" in record


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title_ru": ""}, "Name the step in either language."),
        ({"title_ru": "ш" * 301}, ("At most %(max)d characters.", {"max": 300})),
        ({"service_code": "nobody"}, "Choose one of the services listed."),
        ({"due_on": ""}, "Enter the date."),
        ({"due_on": "31.02.2027"}, "Enter a valid date."),
        ({"due_on": "1900-01-01"}, "The due date must be within five years of today."),
        ({"state": "lost"}, "Choose one of the states listed."),
        ({"state": "done", "done_on": "2999-01-01"}, "The date cannot be in the future."),
        ({"state": "not_possible", "reason": "   "}, "Say why the step is not possible."),
    ],
)
def test_a_bad_step_is_refused_with_a_message(client, inspector, make_candidate, fields, message):
    sign_in(client, inspector)
    candidate = make_candidate()
    started(client, candidate)
    for lang in ("kk", "ru"):
        inspector.locale = lang
        db.session.commit()
        response = client.post(
            f"/candidates/{candidate.id}/programme/steps/new", data=step_form(**fields)
        )
        assert response.status_code == 400
        msgid, variables = message if isinstance(message, tuple) else (message, {})
        expected = translated(client.application, msgid, lang, **variables)
        assert expected in response.get_data(as_text=True)
    assert programme_of(candidate).steps == []
    assert actions("programme_step_added") == []


def test_a_step_added_by_hand_and_removed(client, inspector, make_candidate, today):
    sign_in(client, inspector)
    candidate = make_candidate()
    started(client, candidate)
    url = f"/candidates/{candidate.id}/programme/steps"
    assert client.post(f"{url}/new", data=step_form()).status_code == 302
    [step] = programme_of(candidate).steps
    step_id = step.id
    assert (step.title_ru, step.title_kk, step.due_on, step.state) == (
        "Встреча с психологом",
        "",
        today,
        "planned",
    )
    assert client.get(f"{url}/{step.id}/remove").status_code == 200
    assert programme_of(candidate).steps  # asking removes nothing
    assert client.post(f"{url}/{step.id}/remove").status_code == 302
    assert programme_of(candidate).steps == []
    assert [a.details["step_id"] for a in actions("programme_step_removed")] == [step_id]


def test_another_programmes_step_is_not_found(client, inspector, make_candidate):
    sign_in(client, inspector)
    one, other = make_candidate(), make_candidate()
    started(client, one)
    started(client, other)
    client.post(f"/candidates/{other.id}/programme/steps/new", data=step_form())
    [step] = programme_of(other).steps
    assert client.get(f"/candidates/{one.id}/programme/steps/{step.id}").status_code == 404
    assert client.post(f"/candidates/{one.id}/programme/steps/{step.id}/remove").status_code == 404


def assessment_form(**changes) -> dict:
    from portal.programmes.models import ASSESSMENT_AREAS

    data = {}
    for area in ASSESSMENT_AREAS:
        data |= {f"{area}-state": "not_assessed", f"{area}-on_date": "", f"{area}-note": ""}
    return data | changes


def test_the_assessment(client, inspector, make_candidate, today):
    sign_in(client, inspector)
    candidate = make_candidate()
    started(client, candidate)
    url = f"/candidates/{candidate.id}/programme/assessment"
    assert client.get(url).status_code == 200
    for changes, message in [
        ({"health-state": "ill"}, "Choose one of the states listed."),
        (
            {"housing-on_date": "2999-01-01", "housing-state": "done"},
            "The date cannot be in the future.",
        ),
    ]:
        response = client.post(url, data=assessment_form(**changes))
        assert response.status_code == 400
        assert translated(client.application, message, "kk") in response.get_data(as_text=True)
    assert actions("programme_assessed") == []
    week_ago = (today - timedelta(days=7)).isoformat()
    response = client.post(
        url,
        data=assessment_form(
            **{
                "housing-state": "needs_help",
                "housing-note": "Негде жить",
                "identity_card-state": "done",
                "identity_card-on_date": week_ago,
            }
        ),
    )
    assert response.status_code == 302
    items = {a.area: a for a in programme_of(candidate).assessments}
    assert (items["housing"].state, items["housing"].on_date, items["housing"].note) == (
        "needs_help",
        today,  # given a state without a date: today
        "Негде жить",
    )
    assert items["identity_card"].on_date == today - timedelta(days=7)
    [assessed] = actions("programme_assessed")
    assert set(assessed.details["areas"]) == {"housing", "identity_card"}
    assert "Негде" not in str(assessed.details)


def test_reading_the_programme_is_an_audited_read(client, inspector, make_candidate):
    sign_in(client, inspector)
    candidate = make_candidate()
    client.get(f"/candidates/{candidate.id}/programme")
    [read] = actions("candidate_viewed")
    assert (read.object_id, read.details["page"]) == (candidate.id, "programme")


def test_the_programme_notes_stay_visible(client, inspector, make_candidate):
    sign_in(client, inspector)
    candidate = make_candidate(programme_notes="Встреча с психологом каждую неделю")
    assert "Встреча с психологом каждую неделю" in page_text(
        client, f"/candidates/{candidate.id}/programme"
    )


def hand_built(make_candidate, today, n: int, **fields):
    """n people with a programme, each with one step of every kind the home page sorts."""
    people = []
    for _ in range(n):
        candidate = make_candidate(**fields)
        programme = Programme(candidate_id=candidate.id, started_on=today)
        step = dict(title_ru="Шаг", service_code="probation")
        programme.steps = [
            ProgrammeStep(**step, due_on=today - timedelta(days=1)),  # overdue
            ProgrammeStep(**step, due_on=today - timedelta(days=40), state="in_progress"),
            ProgrammeStep(**step, due_on=today),  # due
            ProgrammeStep(**step, due_on=today + timedelta(days=30)),  # due
            ProgrammeStep(**step, due_on=today + timedelta(days=31)),  # later
            ProgrammeStep(**step, due_on=today - timedelta(days=3), state="done", done_on=today),
            ProgrammeStep(
                **step, due_on=today - timedelta(days=3), state="not_possible", reason="Нет"
            ),
        ]
        db.session.add(programme)
        people.append(candidate)
    db.session.commit()
    return people


@pytest.mark.parametrize("n", [1, 3])
def test_the_home_page_counts_steps_due_and_overdue(app, make_user, make_candidate, today, n):
    inspector = make_user(INSPECTOR)
    people = hand_built(make_candidate, today, n)
    hand_built(make_candidate, today, 2, region_kato=KARAGANDA)  # another scope: not counted
    mine = todo.inspector_todo(inspector, today)
    assert (mine["steps_overdue"].count, mine["steps_due"].count) == (2 * n, 2 * n)
    overdue_on = [row.due_on for row in mine["steps_overdue"].rows]
    assert overdue_on == sorted(overdue_on) and overdue_on[0] == today - timedelta(days=40)
    assert set(overdue_on) == {today - timedelta(days=40), today - timedelta(days=1)}
    assert {row.candidate_id for row in mine["steps_due"].rows} == {p.id for p in people}
    assert progress(people[0].id, today) == Progress(steps=7, done=1, not_possible=1, overdue=2)
    client = app.test_client()
    sign_in(client, inspector)
    html = page_text(client, "/")
    assert translated(app, "Programme steps overdue", "kk") in html
    assert f"/candidates/{people[0].id}/programme" in html


def test_the_home_page_runs_as_many_queries_for_many_steps_as_for_one(
    app, make_user, make_candidate, today
):
    inspector = make_user(INSPECTOR)
    counts = []
    for n in (1, 4):
        hand_built(make_candidate, today, n)
        client = app.test_client()
        sign_in(client, inspector)
        with statements() as seen:
            page_text(client, "/")
        counts.append(len(seen))
    assert counts[0] == counts[1]


def test_employers_see_nothing_of_the_programme(
    app, make_user, make_candidate, make_vacancy, today
):
    """Every page an employer can open, with the ids of their own proposal filled in."""
    inspector = make_user(INSPECTOR)
    vacancy = make_vacancy()
    boss = make_user(EMPLOYER, employer_id=vacancy.employer_id)
    [candidate] = hand_built(make_candidate, today, 1, programme_notes="ЗАМЕТКА-ПРОГРАММЫ")
    step = ProgrammeStep(
        programme_id=programme_of(candidate).id,
        title_ru="ШАГ-ПРОГРАММЫ",
        service_code="ngo",
        due_on=today,
        outcome="ИТОГ-ПРОГРАММЫ",
    )
    db.session.add(step)
    db.session.commit()
    placement = lifecycle.propose(candidate.id, vacancy.id, inspector, today)
    ids = {
        "vacancy_id": vacancy.id,
        "placement_id": placement.id,
        "employer_id": vacancy.employer_id,
        "candidate_id": candidate.id,
        "step_id": step.id,
    }
    client = app.test_client()
    sign_in(client, boss)
    seen = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.rule.startswith("/api"):
            continue
        if rule.rule in ("/auth/logout",):
            continue
        path = re.sub(
            r"<(?:int:)?(\w+)>",
            lambda m: str(ids.get(m.group(1), "xlsx" if m.group(1) == "kind" else 1)),
            rule.rule,
        )
        response = client.get(path)
        body = response.get_data(as_text=True)
        markers = ["ЗАМЕТКА-ПРОГРАММЫ", "ШАГ-ПРОГРАММЫ", "ИТОГ-ПРОГРАММЫ"]
        if "programme" in rule.rule:
            assert response.status_code == 403, path
        else:  # a refusal page names its own path in the language switch
            markers.append("/programme")
        for marker in markers:
            assert marker not in body, path
        for lang in ("kk", "ru"):
            assert translated(app, "Individual programme", lang) not in body, path
        seen += response.status_code == 200
    assert seen > 10  # the employer's own pages were read, not only refusals


@pytest.mark.parametrize("scope", ["other region", "other institution"])
def test_an_inspector_of_another_scope_gets_404(client, make_user, in_custody, scope):
    if scope == "other region":
        other = make_user(INSPECTOR, region_id=region(KARAGANDA).id)
    else:
        other = make_user(INSPECTOR, institution_id=institution("ЕЦ-166/4").id)
    sign_in(client, other)
    for path in ("", "/start", "/assessment", "/steps/new"):
        assert client.get(f"/candidates/{in_custody.id}/programme{path}").status_code == 404
