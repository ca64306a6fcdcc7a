"""Posting and managing vacancies: validation, drafts, the minors questions, shifts, audit."""

from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from portal import clock
from portal.candidates.models import Candidate, Offence, Supervision
from portal.employers.models import Vacancy
from portal.extensions import db
from portal.placements.models import Placement
from portal.placements.vocabulary import proposal_count_text
from tests.employers.helpers import RU, audit, counts, only_vacancy, vacancy_data
from tests.helpers import (
    ASTANA,
    assert_same_pages,
    masked,
    page_text,
    region,
    statements,
    translated,
)


def test_publish_a_night_shift_vacancy(app, employer_client):
    response = employer_client.post("/employers/vacancies/new", data=vacancy_data())
    vacancy = only_vacancy()
    assert response.headers["Location"] == f"/employers/vacancies/{vacancy.id}"
    assert vacancy.employer_id == employer_client.user.employer_id
    assert vacancy.status == "published" and vacancy.published_at is not None
    # A shift across midnight is stored as typed: the end is before the start.
    assert (vacancy.shift_start, vacancy.shift_end) == (time(22), time(6))
    assert vacancy.working_days == "12345"
    assert [c.code for c in vacancy.conditions] == ["night"]
    assert (vacancy.with_minors, vacancy.near_minors) == (False, False)
    assert (vacancy.title_kk, vacancy.title_ru) == ("Тігінші (түнгі ауысым)", "Швея (ночная смена)")
    page = employer_client.get(f"/employers/vacancies/{vacancy.id}").get_data(as_text=True)
    assert "22:00–06:00" in page and translated(app, "ends the next day") in page
    assert "210\xa0000\xa0₸" in page  # tenge through Babel
    created = audit("vacancy_created")
    assert created[0].user_id == employer_client.user.id
    assert created[0].details["values"]["shift_start"] == "22:00:00"


def test_a_draft_may_leave_the_minors_questions_open_but_cannot_be_published(app, employer_client):
    data = vacancy_data(with_minors=None, near_minors=None, action="draft")
    assert employer_client.post("/employers/vacancies/new", data=data).status_code == 302
    vacancy = only_vacancy()
    assert vacancy.status == "draft" and vacancy.with_minors is None
    assert translated(app, "not answered") in employer_client.get(
        f"/employers/vacancies/{vacancy.id}"
    ).get_data(as_text=True)

    response = employer_client.post(f"/employers/vacancies/{vacancy.id}/publish")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="with_minors-error"' in page and 'id="near_minors-error"' in page
    assert only_vacancy().status == "draft"

    # Answering in the form and pressing "Publish" publishes it.
    data = vacancy_data(with_minors="no", near_minors="yes", action="publish")
    response = employer_client.post(f"/employers/vacancies/{vacancy.id}/edit", data=data)
    assert response.status_code == 302
    vacancy = only_vacancy()
    assert (vacancy.status, vacancy.near_minors) == ("published", True)


@pytest.mark.parametrize("headers", [{}, RU], ids=["kk", "ru"])
@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"places": "0"}, "places"),
        ({"wage": "-1"}, "wage"),
        ({"starts_on": "2030-05-10", "closes_on": "2030-05-01"}, "closes_on"),
        ({"title_kk": "", "title_ru": "  "}, "title_kk"),
        ({"with_minors": None}, "with_minors"),  # publishing with a question unanswered
        ({"near_minors": "maybe"}, "near_minors"),
        ({"shift_end": ""}, "shift_end"),  # half a shift
        ({"occupation_id": ""}, "occupation_id"),
    ],
)
def test_invalid_vacancy_is_refused_and_kept(employer_client, headers, overrides, field):
    before = counts()
    data = vacancy_data(description_ru="Описание, набранное пользователем", **overrides)
    response = employer_client.post("/employers/vacancies/new", data=data, headers=headers)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in page
    assert f'<html lang="{"ru" if headers else "kk"}">' in page
    assert counts() == before  # nothing half-written
    assert "Описание, набранное пользователем" in page


def test_russian_messages_are_russian_when_the_catalogue_has_them(employer_client):
    """The message is the catalogue's, in the user's language (English msgid if untranslated)."""
    from flask_babel import force_locale, gettext

    response = employer_client.post(
        "/employers/vacancies/new", data=vacancy_data(places="0"), headers=RU
    )
    with employer_client.application.test_request_context(headers=RU), force_locale("ru"):
        expected = gettext("There must be at least one place.")
    assert expected in response.get_data(as_text=True)


def test_an_employer_cannot_post_for_another_organisation(employer_client, make_employer):
    other = make_employer(name_ru="ТОО «Чужая»")
    data = vacancy_data(employer_id=str(other.id), employer=str(other.id))
    assert employer_client.post("/employers/vacancies/new", data=data).status_code == 302
    vacancy = only_vacancy()
    assert vacancy.employer_id == employer_client.user.employer_id

    assert (
        employer_client.post(
            f"/employers/vacancies/{vacancy.id}/edit", data=vacancy_data(employer_id=str(other.id))
        ).status_code
        == 302
    )
    assert only_vacancy().employer_id == employer_client.user.employer_id


def test_another_organisations_vacancy_is_404(employer_client, make_vacancy):
    theirs = make_vacancy()
    before = counts()
    for method, path in [
        ("GET", ""),
        ("GET", "/edit"),
        ("POST", "/edit"),
        ("POST", "/publish"),
        ("POST", "/close"),
        ("POST", "/reopen"),
    ]:
        response = employer_client.open(
            f"/employers/vacancies/{theirs.id}{path}", method=method, data=vacancy_data()
        )
        assert response.status_code == 404, (method, path)
    assert counts() == before
    assert theirs.title_ru not in page_text(employer_client, "/employers/vacancies")


def test_close_and_reopen(app, employer_client, make_vacancy):
    vacancy = make_vacancy(employer_client.user.employer)
    assert employer_client.post(f"/employers/vacancies/{vacancy.id}/close").status_code == 302
    assert only_vacancy().status == "closed"
    assert employer_client.post(f"/employers/vacancies/{vacancy.id}/reopen").status_code == 302
    assert only_vacancy().status == "published"
    assert [e.action for e in audit("vacancy_closed") + audit("vacancy_reopened")] == [
        "vacancy_closed",
        "vacancy_reopened",
    ]
    # Re-opening an open vacancy is refused with a message, and nothing is recorded.
    response = employer_client.post(
        f"/employers/vacancies/{vacancy.id}/reopen", follow_redirects=True
    )
    assert translated(app, "Only a closed vacancy can be re-opened.") in response.get_data(
        as_text=True
    )
    assert len(audit("vacancy_reopened")) == 1


def test_an_expired_vacancy_reopens_only_with_a_new_closing_date(employer_client, make_vacancy):
    vacancy = make_vacancy(
        employer_client.user.employer, status="closed", closes_on=clock.today() - timedelta(days=1)
    )
    response = employer_client.post(f"/employers/vacancies/{vacancy.id}/reopen")
    assert response.status_code == 400 and 'id="closes_on-error"' in response.get_data(as_text=True)
    assert only_vacancy().status == "closed"


def _placement(vacancy: Vacancy, state: str, serial: int, **facts) -> Placement:
    candidate = Candidate(
        code=f"K-T{serial:04d}",
        full_name="Тест",
        iin=f"88031430{serial:04d}",
        status="released",
        region_id=region(ASTANA).id,
        birth_date=date(1988, 3, 14),
        offences_recorded=True,
        **facts,
    )
    placement = Placement(
        candidate=candidate,
        vacancy_id=vacancy.id,
        state=state,
        hired_on=clock.today() if state in ("hired", "ended") else None,
    )
    db.session.add(placement)
    db.session.commit()
    return placement


def test_a_rule_fact_change_returns_every_open_proposal_once_confirmed(
    employer_client, make_vacancy
):
    """Minors answers and the shift decide who may be proposed: the employer is asked first,
    then every open proposal goes back to the inspectors, excluded by the change or not."""
    vacancy = make_vacancy(employer_client.user.employer, shift_start=time(8), shift_end=time(17))
    curfew = _placement(
        vacancy, "proposed", 1, supervision=Supervision(curfew_from=time(22), curfew_to=time(6))
    )
    offender = _placement(
        vacancy, "interview", 2, offences=[Offence(category_code="sexual_minors")]
    )
    clean = _placement(vacancy, "proposed", 3)
    hired_offender = _placement(
        vacancy, "hired", 4, offences=[Offence(category_code="sexual_minors")]
    )
    data = vacancy_data(
        title_ru=vacancy.title_ru,
        title_kk="",
        near_minors="yes",
        shift_start="20:00",
        shift_end="04:00",
        action="save",
    )
    path = f"/employers/vacancies/{vacancy.id}/edit"

    def states():
        db.session.expire_all()
        return {p.id: (p.state, p.reason_code) for p in db.session.scalars(sa.select(Placement))}

    before = states()
    asked = employer_client.post(path, data=data)
    assert asked.status_code == 409
    page = asked.get_data(as_text=True)
    assert 'name="proposals_return"' in page and " 3 " in page  # the three open proposals
    assert states() == before and audit("vacancy_updated") == []
    db.session.expire_all()
    assert db.session.get(Vacancy, vacancy.id).near_minors is False

    assert employer_client.post(path, data={**data, "proposals_return": "y"}).status_code == 302
    updated = audit("vacancy_updated")[0]
    assert updated.user_id == employer_client.user.id
    assert updated.details["changed"]["near_minors"] == [False, True]
    assert updated.details["changed"]["shift_start"] == ["08:00:00", "20:00:00"]
    after = states()
    for open_one in (curfew, offender, clean):  # eligible or not: all go back
        assert after[open_one.id] == ("withdrawn", "vacancy_changed")
    assert after[hired_offender.id] == ("hired", None)  # a job already started is not undone
    assert len(audit("placement_withdrawn_vacancy_changed")) == 3

    # A change that no rule reads (the description) is saved at once and returns nothing.
    again = {**data, "description_ru": "Новое описание"}
    assert employer_client.post(path, data=again).status_code == 302
    assert len(audit("vacancy_updated")) == 2
    assert len(audit("placement_withdrawn_vacancy_changed")) == 3


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_setting_near_minors_tells_the_employer_nothing_about_who_was_excluded(
    app, employer_client, make_vacancy, lang
):
    """Two vacancies alike, each with two open proposals; only the first has a person convicted
    of an offence against minors among them. Setting "near minors" on each, the employer
    reads the same pages, word for word, but for the candidates' codes and the ids."""
    employer_client.user.locale = lang
    db.session.commit()
    seen = {}
    for run, offences in enumerate(([Offence(category_code="sexual_minors", article="122")], [])):
        vacancy = make_vacancy(employer_client.user.employer, title_ru="Швея", title_kk="Тігінші")
        people = [
            _placement(vacancy, "proposed", 2 * run + 1),
            _placement(vacancy, "interview", 2 * run + 2),
        ]
        people[1].candidate.offences = offences
        db.session.commit()
        data = vacancy_data(title_ru="Швея", title_kk="Тігінші", near_minors="yes", action="save")
        data.update(shift_start="09:00", shift_end="18:00", condition_codes=[])
        path = f"/employers/vacancies/{vacancy.id}/edit"
        pages = {
            "asked": employer_client.post(path, data=data),
            "saved": employer_client.post(
                path, data={**data, "proposals_return": "y"}, follow_redirects=True
            ),
            "proposals": employer_client.get(f"/placements/vacancies/{vacancy.id}"),
        }
        hidden = {f"vacancies/{vacancy.id}": "vacancies/VACANCY"}
        for i, p in enumerate(people):
            hidden |= {p.candidate.code: f"CODE{i}", f"placement-{p.id}": f"placement-{i}"}
        for name, response in pages.items():
            seen[f"{name}, {'with' if offences else 'without'} an offender"] = masked(
                response.get_data(as_text=True), hidden
            )
        assert [r.status_code for r in pages.values()] == [409, 200, 200]
        assert {
            p.state
            for p in db.session.scalars(
                sa.select(Placement).where(Placement.vacancy_id == vacancy.id)
            )
        } == {"withdrawn"}
    for name in ("asked", "saved", "proposals"):
        assert_same_pages({k: v for k, v in seen.items() if k.startswith(name)})


def test_dashboard_counts_proposals_by_state_without_a_query_per_vacancy(
    app, employer_client, make_vacancy
):
    employer = employer_client.user.employer
    first = make_vacancy(employer, title_ru="Швея первая")
    for serial, state in enumerate(("proposed", "proposed", "interview", "hired"), start=1):
        _placement(first, state, serial)

    def counted(path: str) -> tuple[int, str]:
        """How many SQL statements the request runs, and its page."""
        with statements() as seen:
            page = employer_client.get(path).get_data(as_text=True)
        return len(seen), page

    def count_text(state: str, num: int) -> str:
        with app.test_request_context(), force_locale("kk"):
            return f"<h3>{num}</h3><p>{proposal_count_text(state, num)}</p>"

    few, page = counted("/employers/vacancies")
    assert count_text("proposed", 2) in page
    assert count_text("hired", 1) in page
    for number in range(5):
        other = make_vacancy(employer, title_ru=f"Швея {number}")
        _placement(other, "proposed", 10 + number)
    many, page = counted("/employers/vacancies")
    assert many == few
    assert count_text("proposed", 7) in page


def test_occupation_type_ahead_finds_either_language(employer_client):
    kazakh = employer_client.get(
        "/employers/occupations/suggest?occupation_q=ТІГІНШІ", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    russian = employer_client.get("/employers/occupations/suggest?occupation_q=швея").get_data(
        as_text=True
    )
    for page in (kazakh, russian):
        assert "7533-0 — " in page and "<html" not in page
        assert "Тігінші" in page and "Швея" in page  # both languages' labels
    assert "Бетонщик" not in russian
    # Without JavaScript the form offers every occupation in a plain select.
    form = employer_client.get("/employers/vacancies/new").get_data(as_text=True)
    assert form.count('<option value="') > 100 and "Бетонщик" in form


def test_publishing_shows_every_problem_at_once(employer_client):
    data = vacancy_data(wage="-5", with_minors=None, near_minors=None)
    page = employer_client.post("/employers/vacancies/new", data=data).get_data(as_text=True)
    for field in ("wage", "with_minors", "near_minors"):
        assert f'id="{field}-error"' in page


@pytest.mark.parametrize(
    "typed", ["тигинши", "тиг", "tiginshi", "shveya", "ТІГІНШІ", "швея", "7533", "7533-0"]
)
def test_occupation_picker_folds_spellings_like_the_search(employer_client, typed):
    page = employer_client.get(f"/employers/occupations/suggest?occupation_q={typed}").get_data(
        as_text=True
    )
    assert "7533-0 — " in page, typed
    assert "Бетонщик" not in page


@pytest.mark.parametrize(
    ("typed", "code"), [("наубайши", "7512-0"), ("кiрпiш", "7112-0"), ("kirpish", "7112-0")]
)
def test_occupation_picker_reads_kazakh_as_typed(employer_client, typed, code):
    page = employer_client.get(f"/employers/occupations/suggest?occupation_q={typed}").get_data(
        as_text=True
    )
    assert f"{code} — " in page and "7533-0 — " not in page


@pytest.mark.parametrize(
    ("typed", "saved"), [("200 000", 200000), ("200\u00a0000", 200000), ("185 000,50", 185001)]
)
def test_a_wage_is_read_as_people_write_it(employer_client, typed, saved):
    response = employer_client.post("/employers/vacancies/new", data=vacancy_data(wage=typed))
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Vacancy.wage).order_by(Vacancy.id.desc())) == saved


def test_a_wage_in_words_is_refused_in_the_users_language(app, employer_client):
    page = employer_client.post(
        "/employers/vacancies/new", data=vacancy_data(wage="двести тысяч")
    ).get_data(as_text=True)
    assert translated(app, "Enter the amount in figures, for example 200 000.") in page


def test_closing_asks_first_and_says_who_is_still_waiting(app, employer_client, make_vacancy):
    vacancy = make_vacancy(employer_client.user.employer, status="published")
    for serial, state in enumerate(("proposed", "interview", "hired"), start=1):
        _placement(vacancy, state, serial)
    page = employer_client.get(f"/employers/vacancies/{vacancy.id}").get_data(as_text=True)
    disclosure = page[page.index('<details class="confirm-close">') :]
    disclosure = disclosure[: disclosure.index("</details>")]
    with app.test_request_context(), force_locale("kk"):
        from flask_babel import ngettext

        waiting = ngettext(
            "%(num)d candidate is still proposed or invited to an interview: decide on them "
            "first, or they wait until the vacancy is re-opened.",
            "%(num)d candidates are still proposed or invited to an interview: decide on them "
            "first, or they wait until the vacancy is re-opened.",
            2,
        )
    assert (
        waiting in disclosure and f'action="/employers/vacancies/{vacancy.id}/close"' in disclosure
    )


def test_the_hire_date_starts_at_the_earliest_day_the_person_can_start(
    employer_client, make_vacancy
):
    later = clock.today() + timedelta(days=20)
    vacancy = make_vacancy(
        employer_client.user.employer,
        status="published",
        starts_on=clock.today() + timedelta(days=5),
    )
    placement = _placement(vacancy, "interview", 1, available_from=later)
    page = employer_client.get(f"/placements/vacancies/{vacancy.id}").get_data(as_text=True)
    assert f'id="hire-start-{placement.id}" name="start_date" value="{later.isoformat()}"' in page
