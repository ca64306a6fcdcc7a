"""Least data: every page an employer can open, and every row an htmx step returns, shows a
proposed candidate's code, trades, skills, languages, district and availability date — and
none of the offences, supervision, court bans, name, IIN, birth date, status or institution."""

import re
from datetime import date, time
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask_babel import format_date

from portal import clock
from portal.candidates import consent, sections
from portal.candidates.models import CANDIDATE_STATUS_LABELS, ActivityBan, Offence, Supervision
from portal.employers import vacancies
from portal.employers.models import Vacancy
from portal.extensions import db
from portal.notifications.models import Notification
from portal.placements import lifecycle
from portal.placements.reasons import WITHDRAW_REASONS, WITHDRAWN_REASONS
from portal.placements.vocabulary import STATE_LABELS
from portal.reference.models import Activity, Institution, Occupation, OffenceCategory, PlaceType
from tests.helpers import assert_same_pages, masked, page_text
from tests.placements.helpers import BOOKING, HX, client_for, fresh, in_language

ARTICLE = "122 ч.4"


def secrets(app, candidate) -> list[str]:
    """Facts and words no employer page may contain."""
    category = db.session.get(OffenceCategory, "sexual_minors")
    ban = db.session.get(Activity, "work_with_minors")
    institution = db.session.get(Institution, candidate.institution_id)
    words = [
        candidate.full_name,
        candidate.full_name.split()[0],
        candidate.iin,
        ARTICLE,
        category.name_kk,
        category.name_ru,
        "ПППНН",
        "КТЖТҚҚ",
        ban.name_kk,
        ban.name_ru,
        "надзор",
        "Надзор",
        "қадағалау",
        "Қадағалау",
        "21:30",
        "06:30",
        institution.name_kk,
        institution.name_ru,
        institution.code,
        candidate.education,
        candidate.housing,
        candidate.programme_notes,
        candidate.birth_date.isoformat(),
        str(candidate.birth_date.year),
    ]
    for lang in ("kk", "ru"):
        words.append(in_language(app, lang, lambda: CANDIDATE_STATUS_LABELS[candidate.status]))
        for style in ("short", "medium", "long"):
            words.append(
                in_language(app, lang, lambda s=style: format_date(candidate.birth_date, s))
            )
    return words


@pytest.fixture
def offender(make_candidate):
    institution = db.session.scalars(sa.select(Institution).order_by(Institution.id)).first()
    return make_candidate(
        full_name="Дмитрий Волков",
        birth_date=date(1979, 11, 2),
        status="released",
        institution_id=institution.id,
        education="Среднее специальное (колледж)",
        housing="Общежитие на ул. Абая",
        programme_notes="Психолог: еженедельно",
        skills="Тігін машинасы, пішу",
        languages="kk, ru",
        available_from=date(2026, 12, 1),
        occupations=[db.session.scalar(sa.select(Occupation).where(Occupation.code == "7533-0"))],
        offences=[
            Offence(category_code="sexual_minors", article=ARTICLE, convicted_on=date(2012, 6, 1))
        ],
        activity_bans=[ActivityBan(activity_code="work_with_minors", until=None)],
        supervision=Supervision(
            curfew_from=time(21, 30),
            curfew_to=time(6, 30),
            permitted_area="71",
            no_contact_minors=True,
            no_alcohol=True,
            until=date(2029, 6, 30),
            prohibited_places=[db.session.get(PlaceType, "child_facility")],
        ),
    )


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_employer_page_reveals_more_than_the_proposal_needs(
    app, shop, offender, make_user, lang
):
    shop.employer_user.locale = lang
    db.session.commit()
    placement = shop.propose(offender)
    client = client_for(app, shop.employer_user)
    pages = {}
    pages["interview row"] = client.post(
        f"/placements/{placement.id}/interview",
        data={"version": placement.version, **BOOKING},
        headers=HX,
    )
    pages["proposals, interview"] = client.get(f"/placements/vacancies/{shop.vacancy.id}")
    version = fresh(placement.id).version
    pages["hire refused row"] = client.post(
        f"/placements/{placement.id}/hire",
        data={"version": version, "start_date": "2000-01-01"},
        headers=HX,
    )
    pages["hire row"] = client.post(
        f"/placements/{placement.id}/hire",
        data={"version": version, "start_date": clock.today().isoformat()},
        headers=HX,
    )
    assert fresh(placement.id).state == "hired"
    for name, path in [
        ("proposals, hired", f"/placements/vacancies/{shop.vacancy.id}"),
        ("home", "/"),
        ("dashboard", "/employers/vacancies"),
        ("vacancy", f"/employers/vacancies/{shop.vacancy.id}"),
        ("organisation", f"/employers/{shop.employer.id}"),
    ]:
        pages[name] = client.get(path)
    pages["hired row, flash"] = client.post(
        f"/placements/{placement.id}/interview",
        data={"version": version, **BOOKING},
        follow_redirects=True,
    )
    pages["end row"] = client.post(
        f"/placements/{placement.id}/end",
        data={
            "version": fresh(placement.id).version,
            "end_date": clock.today().isoformat(),
            "reason": "quit",
        },
        headers=HX,
    )

    words = secrets(app, offender)
    for name, response in pages.items():
        assert response.status_code == 200, name
        html = response.get_data(as_text=True)
        assert f'lang="{lang}"' in html or "<html" not in html
        # The site's footer names whom the portal serves; it says nothing of this person.
        html = re.sub(r'<footer class="container site-footer">.*?</footer>', "", html, flags=re.S)
        leaked = [word for word in words if word and word in html]
        assert leaked == [], f"{name} shows {leaked}"
    shown = pages["proposals, hired"].get_data(as_text=True)
    # What the employer does see.
    assert offender.code in shown and "Тігін машинасы, пішу" in shown
    assert in_language(app, lang, lambda: offender.occupations[0].name) in shown
    assert in_language(app, lang, lambda: offender.district.name) in shown
    assert in_language(app, lang, lambda: format_date(offender.available_from, "short")) in shown


def _withdrawn_by_the_inspector(reason):
    def withdraw(shop, p, candidate, make):
        lifecycle.withdraw(p.id, p.version, shop.inspector, reason)

    return withdraw


def _excluded_by_the_rules(shop, p, candidate, make):
    """A curfew over the day shift: the record's change withdraws the proposal (the rules)."""
    values = dict(
        curfew_from=time(8),
        curfew_to=time(20),
        permitted_area=None,
        place_codes=[],
        no_alcohol=False,
        no_contact_minors=False,
        until=None,
    )
    sections.set_supervision(candidate, values)


def _consent_withdrawn(shop, p, candidate, make):
    consent.withdraw_consent(candidate, shop.inspector, on_date=clock.today(), method="paper_form")


def _vacancy_changed(shop, p, candidate, make):
    """The employer changes a fact the rules read and confirms (its open proposals go back),
    then changes it back (nothing open any more): the vacancy reads as the others do."""
    vacancy = db.session.get(Vacancy, p.vacancy_id)
    values = vacancies.vacancy_values(vacancy)
    changed = {**values, "shift_end": time(17)}
    vacancies.update(vacancy, changed, today=clock.today(), proposals_return=True)
    vacancies.update(vacancy, values, today=clock.today())
    db.session.commit()


def _hired_for_another_job(shop, p, candidate, make):
    """Another employer hires the person: this proposal becomes obsolete."""
    other = make.vacancy(title_ru="Другая работа")
    boss = make.user("employer", employer_id=other.employer_id)
    q = lifecycle.propose(candidate.id, other.id, shop.inspector, clock.today())
    q = lifecycle.accept_for_interview(q.id, q.version, boss, clock.today())
    lifecycle.hire(q.id, q.version, boss, start=clock.today(), on=clock.today())


WITHDRAWALS = {
    **{f"inspector: {code}": _withdrawn_by_the_inspector(code) for code in WITHDRAW_REASONS},
    "rules": _excluded_by_the_rules,
    "consent withdrawn": _consent_withdrawn,
    "vacancy changed": _vacancy_changed,
    "hired for another job": _hired_for_another_job,
}


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_kind_of_withdrawal_looks_the_same_to_the_employer(
    app, shop, make_candidate, make_vacancy, make_user, lang
):
    """The employer's pages after each cause are identical but for the candidate's code (and
    the row's id): one neutral state, no reason, whatever ended the proposal."""
    shop.employer_user.locale = lang
    db.session.commit()
    client = client_for(app, shop.employer_user)
    pages = {}
    for cause, withdraw in WITHDRAWALS.items():
        vacancy = make_vacancy(shop.employer, title_ru="Швея", title_kk="Тігінші")
        candidate = make_candidate()
        p = shop.propose(candidate, vacancy)
        withdraw(shop, p, candidate, SimpleNamespace(vacancy=make_vacancy, user=make_user))
        assert fresh(p.id).state in ("withdrawn", "obsolete"), cause
        # Each proposal told the employer of itself (and nothing of its end): the unread
        # count in the header grows with the causes, so each page is read with none unread.
        db.session.execute(sa.update(Notification).values(read_at=clock.now()))
        db.session.commit()
        hidden = {
            candidate.code: "CODE",
            f"placement-{p.id}": "placement-ID",
            f"vacancies/{vacancy.id}": "vacancies/VACANCY",
        }
        pages[cause] = "".join(
            masked(page_text(client, path), hidden)
            for path in (
                f"/placements/vacancies/{vacancy.id}",
                f"/employers/vacancies/{vacancy.id}",
            )
        )
    assert_same_pages(pages)
    shown = next(iter(pages.values()))
    assert in_language(app, lang, lambda: STATE_LABELS["withdrawn"]) in shown
    for label in [*WITHDRAWN_REASONS.values(), STATE_LABELS["obsolete"]]:
        assert in_language(app, lang, lambda label=label: label) not in shown
