"""The inspector's pipeline and placement pages: scope, filters, tabs, htmx, pagination, the
full history, and the steps an inspector takes (withdraw, record a hire or an end)."""

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext

from portal import clock
from portal.auth.models import ADMIN, INSPECTOR, AuditEntry
from portal.extensions import db
from portal.placements import lifecycle
from portal.placements.reasons import WITHDRAW_REASONS
from tests.helpers import KARAGANDA, district, region
from tests.placements.helpers import HX, client_for, fresh, history, in_language, snapshot


def test_the_pipeline_shows_the_inspectors_candidates_only(app, shop, make_candidate, make_user):
    mine = make_candidate(full_name="Серік Ахметов")
    shop.propose(mine)
    elsewhere_inspector = make_user(INSPECTOR, region_id=region(KARAGANDA).id)
    theirs = make_candidate(
        full_name="Ирина Ковальчук",
        region_id=region(KARAGANDA).id,
        district_id=district("354000000").id,
    )
    lifecycle.propose(theirs.id, shop.vacancy.id, elsewhere_inspector, clock.today())
    page = client_for(app, shop.inspector).get("/placements/").get_data(as_text=True)
    assert "Серік Ахметов" in page and "Ирина Ковальчук" not in page
    everything = client_for(app, make_user(ADMIN)).get("/placements/").get_data(as_text=True)
    assert "Серік Ахметов" in everything and "Ирина Ковальчук" in everything


def test_tabs_filters_htmx_and_pagination(
    make_app, shop, make_candidate, make_vacancy, make_employer
):
    app = make_app(PAGE_SIZE=1)
    other_shop = make_employer(name_ru="ТОО «Нан»")
    bakery = make_vacancy(other_shop, title_ru="Пекарь")
    first = make_candidate(full_name="Бірінші Адам")
    second = make_candidate(full_name="Екінші Адам")
    shop.interview(first)
    shop.propose(second)
    shop.propose(make_candidate(full_name="Наубайшы Адам"), vacancy=bakery)
    client = client_for(app, shop.inspector)

    page = client.get("/placements/?state=interview").get_data(as_text=True)
    assert "Бірінші Адам" in page and "Екінші Адам" not in page
    assert "(1)" in page  # tab counts

    by_employer = client.get(f"/placements/?employer={other_shop.id}").get_data(as_text=True)
    assert "Наубайшы Адам" in by_employer and "Бірінші Адам" not in by_employer
    assert f'<option value="{bakery.id}"' in by_employer  # the employer's vacancies to choose

    by_vacancy = client.get(f"/placements/?vacancy={shop.vacancy.id}&state=proposed")
    text = by_vacancy.get_data(as_text=True)
    assert "Екінші Адам" in text and "Наубайшы Адам" not in text

    paged = client.get(f"/placements/?vacancy={shop.vacancy.id}").get_data(as_text=True)
    assert "page=2" in paged and f"vacancy={shop.vacancy.id}" in paged

    fragment = client.get("/placements/?state=interview", headers=HX).get_data(as_text=True)
    assert "<html" not in fragment and "Бірінші Адам" in fragment
    assert 'hx-target="#pipeline"' in fragment
    full = client.get("/placements/?state=interview").get_data(as_text=True)
    assert 'id="pipeline"' in full and fragment.strip() in full


def test_the_placement_page_shows_the_full_history(app, shop, make_candidate, make_vacancy):
    person = make_candidate(full_name="Айдос Нұрланов")
    other = shop.propose(person, vacancy=make_vacancy(title_ru="Швея 2"))
    hired = shop.hire(person)
    lifecycle.end(
        hired.id,
        hired.version,
        shop.employer_user,
        clock.today(),
        "moved",
        note="Отбасымен Алматыға көшті",
    )
    client = client_for(app, shop.inspector)
    page = client.get(f"/placements/{hired.id}").get_data(as_text=True)
    assert "Айдос Нұрланов" in page
    for text in [
        shop.inspector.full_name,
        shop.employer_user.full_name,
        "Отбасымен Алматыға көшті",
        in_language(app, "kk", lambda: gettext("Moved away")),
        in_language(app, "kk", lambda: gettext("employment ended")),
    ]:
        assert text in page
    assert page.count("→") == 3  # proposed → interview → hired → ended
    # The proposal the hire made obsolete says so, and links to the hire.
    obsolete = client.get(f"/placements/{other.id}").get_data(as_text=True)
    assert f'href="/placements/{hired.id}"' in obsolete
    # Reading a person's placement is audited.
    db.session.expire_all()
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).where(
                AuditEntry.action == "placement_viewed", AuditEntry.object_id == hired.id
            )
        )
        == 1
    )


def test_another_regions_candidate_is_not_found(app, shop, make_candidate, make_user):
    elsewhere_inspector = make_user(INSPECTOR, region_id=region(KARAGANDA).id)
    theirs = make_candidate(region_id=region(KARAGANDA).id, district_id=district("354000000").id)
    p = lifecycle.propose(theirs.id, shop.vacancy.id, elsewhere_inspector, clock.today())
    client = client_for(app, shop.inspector)
    before = snapshot()
    assert client.get(f"/placements/{p.id}").status_code == 404
    for step in ("withdraw", "hire", "end", "follow-up"):
        response = client.post(
            f"/placements/{p.id}/{step}", data={"version": p.version, "reason": "other"}
        )
        assert response.status_code == 404
    assert snapshot() == before


def test_withdraw_with_a_reason(app, shop, make_candidate):
    p = shop.propose(make_candidate())
    client = client_for(app, shop.inspector)
    page = client.get(f"/placements/{p.id}").get_data(as_text=True)
    assert f'action="/placements/{p.id}/withdraw"' in page
    assert f'action="/placements/{p.id}/hire"' not in page  # not before an interview
    response = client.post(
        f"/placements/{p.id}/withdraw",
        data={"version": p.version, "reason": "found_other_job", "note": "Құрылысқа орналасты"},
    )
    assert response.status_code == 303 and response.headers["Location"] == f"/placements/{p.id}"
    assert fresh(p.id).state == "withdrawn" and history(p.id)[-1] == ("proposed", "withdrawn")
    page = client.get(f"/placements/{p.id}").get_data(as_text=True)
    assert in_language(app, "kk", lambda: WITHDRAW_REASONS["found_other_job"]) in page
    assert f'action="/placements/{p.id}/withdraw"' not in page  # nothing left to withdraw


def test_withdraw_without_a_reason_changes_nothing(app, shop, make_candidate):
    p = shop.propose(make_candidate())
    client = client_for(app, shop.inspector)
    before = snapshot()
    page = client.post(
        f"/placements/{p.id}/withdraw", data={"version": p.version}, follow_redirects=True
    ).get_data(as_text=True)
    assert in_language(app, "kk", lambda: gettext("Choose a reason.")) in page
    assert snapshot() == before


def test_the_inspector_records_a_hire_and_an_end_they_learn_of(app, shop, make_candidate):
    p = shop.interview(make_candidate())
    client = client_for(app, shop.inspector)
    start = clock.today() + timedelta(days=1)
    client.post(
        f"/placements/{p.id}/hire", data={"version": p.version, "start_date": start.isoformat()}
    )
    hired = fresh(p.id)
    assert (hired.state, hired.hired_on) == ("hired", start)
    page = client.get(f"/placements/{p.id}").get_data(as_text=True)
    assert f'action="/placements/{p.id}/end"' in page
    client.post(
        f"/placements/{p.id}/end",
        data={
            "version": hired.version,
            "reason": "dismissed",
            "end_date": (start + timedelta(days=30)).isoformat(),
        },
    )
    assert fresh(p.id).state == "ended" and fresh(p.id).reason_code == "dismissed"
    assert [row[1] for row in history(p.id)] == ["proposed", "interview", "hired", "ended"]
