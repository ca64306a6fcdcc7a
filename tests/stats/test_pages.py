"""The dashboard, its exports and the lists behind the figures: scope, suppression, language."""

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from portal.auth.models import AKIMAT, INSPECTOR
from portal.stats import figures, tables
from portal.stats.filters import Filters
from portal.stats.suppression import FEWER_THAN
from tests.helpers import KARAGANDA, district, region, sign_in, translated
from tests.stats import dataset
from tests.stats.dataset import YEAR

Q1_ARGS = f"period=quarter&on={YEAR}-02-15"
Q1 = Filters(date(YEAR, 1, 1), date(YEAR, 3, 31))


@pytest.fixture
def data(make_employer, make_vacancy, make_candidate):
    return dataset.build(make_employer, make_vacancy, make_candidate)


def signed_in(app, user):
    client = app.test_client()
    sign_in(client, user)
    return client


def xlsx_rows(body: bytes) -> dict[str, list[list]]:
    book = load_workbook(io.BytesIO(body), read_only=True)
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


def test_akimat_sees_fewer_than_5_and_no_list_links(app, data, make_user):
    client = signed_in(app, make_user(AKIMAT))
    page = client.get(f"/stats/?{Q1_ARGS}").get_data(as_text=True)
    assert translated(app, FEWER_THAN) in page
    for path in (
        "/stats/placements?measure=started",
        "/stats/people?measure=able",
        "/stats/vacancies?code=7",
    ):
        assert path.split("?")[0] not in page
        assert client.get(f"{path}&{Q1_ARGS}").status_code == 403


def test_inspector_sees_exact_numbers_linked_to_the_placements(app, data, make_user):
    inspector = make_user(INSPECTOR)
    client = signed_in(app, inspector)
    page = client.get(f"/stats/?{Q1_ARGS}").get_data(as_text=True)
    assert translated(app, FEWER_THAN) not in page
    assert f"/stats/placements?period=quarter&amp;on={YEAR}-02-15&amp;measure=started" in page
    listed = client.get(f"/stats/placements?{Q1_ARGS}&measure=started").get_data(as_text=True)
    people = data["people"]
    for who in ("c1", "c2", "c4", "c9"):  # started in Q1, records of Astana
        assert people[who].code in listed
    assert people["k1"].code not in listed and people["c3"].code not in listed


def listed_codes(page: str, people: dict) -> set[str]:
    return {who for who, person in people.items() if f">{person.code}</a>" in page}


def test_people_and_places_figures_link_to_the_lists_behind_them(today, app, data, make_user):
    """Q1 for Astana's inspector, by hand from tests/stats/dataset.py: able to work on
    probation c3, c4, c7; released in work on 31 Mar c1, c5, c9 (c9's job is in Karaganda);
    Альфа's released quota filled by c1, c2; available today with a trade of group 7 c2, c6
    (c1 works); open places of group 7: V1 and V2, 2 each."""
    inspector = make_user(INSPECTOR)
    client = signed_in(app, inspector)
    page = client.get(f"/stats/?{Q1_ARGS}").get_data(as_text=True)
    with app.test_request_context():
        rate = {row["status"]: row for row in figures.employment_rate(Q1, inspector)}
        groups = {row["code"]: row for row in figures.vacancies_by_group(Q1, inspector, today)}
        filled = {
            (row["employer"].id, row["category"]): row["filled"]
            for row in figures.quotas(Q1, inspector)["rows"]
        }
    alpha = data["alpha"].id
    expected = [
        ("measure=able&status=probation", {"c3", "c4", "c7"}, rate["probation"]["able"]),
        ("measure=in_work&status=released", {"c1", "c5", "c9"}, rate["released"]["in_work"]),
        (
            f"measure=filled&employer={alpha}&category=released",
            {"c1", "c2"},
            filled[(alpha, "released")],
        ),
        ("measure=available&code=7", {"c2", "c6"}, groups["7"]["candidates"]),
    ]
    for arguments, who, figure in expected:
        url = f"/stats/people?{Q1_ARGS}&{arguments}"
        assert url.replace("&", "&amp;") in page
        assert listed_codes(client.get(url).get_data(as_text=True), data["people"]) == who
        assert len(who) == figure
    url = f"/stats/vacancies?{Q1_ARGS}&code=7"
    assert url.replace("&", "&amp;") in page
    listed = client.get(url).get_data(as_text=True)
    v1, v2, v3 = data["vacancies"]
    assert all(f'/employers/vacancies/{v.id}"' in listed for v in (v1, v2))
    assert f'/employers/vacancies/{v3.id}"' not in listed
    places = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', listed)]
    assert sorted(places) == [2, 2] and sum(places) == groups["7"]["places"] == 4


def test_a_quota_list_shows_only_the_inspectors_own_records(app, data, make_user, make_candidate):
    """Альфа (Astana) also took on k2, whose record Karaganda keeps: Astana's inspector sees
    the quota counted with k2, and a list of their own people with a line saying one more."""
    from portal.extensions import db
    from portal.placements.models import Placement

    k2 = make_candidate(KARAGANDA)
    v1 = data["vacancies"][0]
    db.session.add(
        Placement(candidate_id=k2.id, vacancy_id=v1.id, state="hired", hired_on=date(YEAR, 2, 2))
    )
    db.session.commit()
    inspector = make_user(INSPECTOR)
    with app.test_request_context():
        filled = {
            (row["employer"].id, row["category"]): row["filled"]
            for row in figures.quotas(Q1, inspector)["rows"]
        }
    alpha = data["alpha"].id
    assert filled[(alpha, "released")] == 3
    page = (
        signed_in(app, inspector)
        .get(f"/stats/people?{Q1_ARGS}&measure=filled&employer={alpha}&category=released")
        .get_data(as_text=True)
    )
    assert listed_codes(page, data["people"]) == {"c1", "c2"} and k2.code not in page
    from flask_babel import force_locale, ngettext

    with app.test_request_context(), force_locale("kk"):
        note = ngettext(
            "%(num)d more person counted in this figure has a record kept outside "
            "your scope and is not listed.",
            "%(num)d more people counted in this "
            "figure have records kept outside your scope and are not listed.",
            1,
        )
    assert " 1 " in note and note in page


def test_akimat_never_sees_another_territorys_numbers(app, data, make_user):
    """Karaganda's employer, district and hires appear nowhere for Astana's akimat."""
    astana = signed_in(app, make_user(AKIMAT))
    karaganda_district = district("354000000")
    for path in (
        f"/stats/?{Q1_ARGS}",
        f"/stats/export.csv?{Q1_ARGS}",
        f"/stats/?{Q1_ARGS}&district={karaganda_district.id}",
    ):
        text = astana.get(path).get_data(as_text=True)
        assert "Гамма" not in text and karaganda_district.name_kk not in text
    sheets = xlsx_rows(astana.get(f"/stats/export.xlsx?{Q1_ARGS}").data)
    cells = " ".join(str(c) for rows in sheets.values() for row in rows for c in row)
    assert "Гамма" not in cells and karaganda_district.name_kk not in cells
    other = signed_in(app, make_user(AKIMAT, region_id=region(KARAGANDA).id))
    text = other.get(f"/stats/export.csv?{Q1_ARGS}").get_data(as_text=True)
    assert "Гамма" in text and "Альфа" not in text and "Бета" not in text


@pytest.mark.parametrize("role", [AKIMAT, INSPECTOR])
def test_every_exported_number_matches_the_page(today, app, data, make_user, role):
    user = make_user(role, locale="ru")
    client = signed_in(app, user)
    args = f"{Q1_ARGS}&district={district('711310000').id}"
    with app.test_request_context(), app.app_context():
        from flask_babel import force_locale

        with force_locale("ru"):
            filters = Filters(date(YEAR, 1, 1), date(YEAR, 3, 31), district("711310000").id)
            expected = tables.build(filters, user, today)
            shown = [
                [
                    [str(c) if c is not None and not isinstance(c, int | float) else c for c in row]
                    for row in table.rows
                ]
                for table in expected
            ]
    page = client.get(f"/stats/?{args}").get_data(as_text=True)
    sheets = list(xlsx_rows(client.get(f"/stats/export.xlsx?{args}").data).values())
    assert len(sheets) == len(expected)
    for sheet, table, rows in zip(sheets, expected, shown, strict=True):
        assert sheet[1] == [table.title, None] or sheet[1][0] == table.title
        header_at = sheet.index(table.headers)
        assert sheet[header_at + 1 :] == rows
        assert table.title in page
    csv_rows = list(
        csv.reader(io.StringIO(client.get(f"/stats/export.csv?{args}").data.decode("utf-8-sig")))
    )
    assert [translated(app, "District", "ru"), district("711310000").name_ru] in csv_rows


def test_htmx_gets_the_fragment_and_russian_is_used(app, data, make_user):
    client = signed_in(app, make_user(INSPECTOR, locale="ru"))
    fragment = client.get(f"/stats/?{Q1_ARGS}", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and 'id="stats-dashboard"' in text
    assert translated(app, "Placements started by month", "ru") in text
    assert "<svg" in text and "<polyline" in text and "<rect" in text
    assert f"январь {YEAR}" in text.lower()


def test_the_employer_is_refused(app, make_user):
    client = signed_in(app, make_user("employer"))
    for path in ("/stats/", "/stats/export.csv", "/stats/export.xlsx", "/stats/placements"):
        assert client.get(path).status_code == 403
