"""The candidate list: scope, filters, search, masked IINs, pagination, the htmx fragment."""

import pytest
import sqlalchemy as sa

from portal.auth.models import ADMIN, INSPECTOR
from portal.candidates.identity import mask_iin
from portal.extensions import db
from portal.reference.models import Occupation
from tests.helpers import KARAGANDA, district, institution, page_text, region, sign_in


@pytest.fixture
def people(make_candidate):
    welder = db.session.scalar(sa.select(Occupation).where(Occupation.code == "7212-1"))
    return {
        "seamstress": make_candidate(
            full_name="Мария Ким",
            consent=True,
            offences_recorded=True,
            district_id=district("711210000").id,
        ),
        "welder": make_candidate(
            full_name="Ержан Тұрсынов",
            status="probation",
            occupations=[welder],
            consent=False,
            offences_recorded=False,
        ),
        "prisoner": make_candidate(
            full_name="Серік Ахметов",
            status="min_security",
            institution_id=institution("ЕЦ-166/11").id,
            consent=False,
            offences_recorded=False,
        ),
        "karaganda": make_candidate(KARAGANDA, full_name="Дмитрий Волков"),
    }


def names(client, query: str = "", **headers) -> list[str]:
    html = client.get(f"/candidates/{query}", headers=headers).get_data(as_text=True)
    return [
        name
        for name in ("Мария Ким", "Ержан Тұрсынов", "Серік Ахметов", "Дмитрий Волков")
        if name in html
    ]


def test_an_inspector_lists_their_scope_with_iins_masked(client, make_user, people):
    sign_in(client, make_user(INSPECTOR))
    html = client.get("/candidates/").get_data(as_text=True)
    assert names(client) == ["Мария Ким", "Ержан Тұрсынов", "Серік Ахметов"]
    for candidate in list(people.values())[:3]:
        assert candidate.iin not in html and mask_iin(candidate.iin) in html


def test_an_institution_inspector_lists_only_their_institution(client, make_user, people):
    sign_in(client, make_user(INSPECTOR, institution_id=institution("ЕЦ-166/11").id))
    assert names(client) == ["Серік Ахметов"]


def test_an_admin_lists_everyone(client, make_user, people):
    sign_in(client, make_user(ADMIN))
    assert len(names(client)) == 4


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?status=probation", ["Ержан Тұрсынов"]),
        ("?consent=yes", ["Мария Ким"]),
        ("?consent=no", ["Ержан Тұрсынов", "Серік Ахметов"]),
        ("?unrecorded=y", ["Ержан Тұрсынов", "Серік Ахметов"]),
        ("?q=КИМ", ["Мария Ким"]),  # case-insensitive in Cyrillic, on SQLite too
        ("?q=%25", []),  # a LIKE wildcard is a plain character
        ("?status=nonsense", ["Мария Ким", "Ержан Тұрсынов", "Серік Ахметов"]),  # ignored
    ],
)
def test_filters(client, make_user, people, query, expected):
    sign_in(client, make_user(INSPECTOR))
    assert names(client, query) == expected


def test_filter_by_district_trade_and_code(client, make_user, people):
    sign_in(client, make_user(INSPECTOR))
    assert names(client, f"?district={district('711210000').id}") == ["Мария Ким"]
    welder_id = people["welder"].occupations[0].id
    assert names(client, f"?trade={welder_id}") == ["Ержан Тұрсынов"]
    assert names(client, f"?q={people['prisoner'].code.lower()}") == ["Серік Ахметов"]


def test_search_by_iin_needs_the_whole_number(client, make_user, people):
    sign_in(client, make_user(INSPECTOR))
    iin = people["welder"].iin
    assert names(client, f"?q={iin}") == ["Ержан Тұрсынов"]
    assert names(client, f"?q={iin[:8]}") == []  # a masked IIN cannot be completed by search
    assert names(client, f"?q={people['karaganda'].iin}") == []  # out of scope


def test_htmx_gets_the_rows_only(client, make_user, people):
    sign_in(client, make_user(INSPECTOR))
    response = client.get("/candidates/?status=probation", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert 'id="candidate-rows"' in html and "Ержан Тұрсынов" in html and "Мария Ким" not in html
    full = client.get("/candidates/").get_data(as_text=True)
    assert 'id="candidate-rows"' in full and 'hx-get="/candidates/"' in full


def test_pagination_keeps_the_filters(app, client, make_user, make_candidate):
    sign_in(client, make_user(INSPECTOR))
    for number in range(app.config["PAGE_SIZE"] + 2):
        make_candidate(full_name=f"Адам {number:02d}", status="probation")
    html = client.get("/candidates/?status=probation").get_data(as_text=True)
    assert "page=2" in html and "status=probation" in html
    second = client.get("/candidates/?status=probation&page=2").get_data(as_text=True)
    assert "Адам 26" in second and "Адам 00" not in second


def test_the_nav_links_to_candidates_for_staff_only(client, make_user):
    sign_in(client, make_user(INSPECTOR))
    assert 'href="/candidates/"' in client.get("/").get_data(as_text=True)
    client.post("/auth/logout")
    sign_in(client, make_user("employer"))
    assert 'href="/candidates/"' not in page_text(client, "/")


def test_an_inspectors_own_region_comes_first_in_the_district_choices(client, make_user):
    sign_in(client, make_user(INSPECTOR, region_id=region(KARAGANDA).id))
    for path in ("/candidates/new", "/candidates/"):
        page = client.get(path).get_data(as_text=True)
        first_group = page[page.index("<optgroup") :].split(">", 1)[0]
        assert region(KARAGANDA).name_kk in first_group or region(KARAGANDA).name_ru in first_group
