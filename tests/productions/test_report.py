"""The report's figures, hand-computed from tests/productions/dataset.py, beside the
statistics dashboard where both count the same people; its exports; akimats' suppression."""

import csv
import io

import pytest
from openpyxl import load_workbook

from portal.auth.models import ADMIN, AKIMAT, EMPLOYER, INSPECTOR
from portal.productions import report
from portal.stats import tables
from portal.stats.filters import Filters
from portal.stats.suppression import FEWER_THAN, HIDDEN
from tests.helpers import KARAGANDA, institution, region, sign_in, translated
from tests.productions import dataset


@pytest.fixture
def data(make_employer, make_vacancy, make_candidate):
    return dataset.build(make_employer, make_vacancy, make_candidate)


def summary(app, user, today) -> dict:
    with app.test_request_context():
        found = report.build(user, today)
    return {str(label): value for label, value in found[0].rows}, found


def rows(table) -> list[list]:
    return [list(row) for row in table.rows]


def test_an_administrator_reads_the_figures_computed_by_hand(app, data, make_user, today):
    """Able to work in custody: c1, c2, c3, c4, c7 (ЕЦ-166/11; c7's medical limit rules out
    heavy work only), c5 (ЕЦ-166/4), k1 (АК-159/24) = 7; in paid work c1, c2, c4, k1 = 4 (c5's
    job ended yesterday; c6 is released). RSE branches: Бета, worker c2. SMEs on institution
    land: Альфа and Гамма, 1,300 m², workers c1, c6 (P1) and k1 (P3); c4's job is outside.
    Opened this year: P2 and P3, workers c2 and k1."""
    figures, found = summary(app, make_user(ADMIN), today)
    assert list(figures.values()) == [7, 4, 57.1, 1, 1, 2, 1300, 3, 2, 2]
    _summary, by_institution, by_region, branches, sites = found
    # By region (KATO: Karaganda 35…, Astana 71…), then by code.
    assert [(row[0].split()[0], *row[2:]) for row in rows(by_institution)] == [
        ("АК-159/24", 1, 1, 100.0),
        ("ЕЦ-166/11", 5, 3, 60.0),
        ("ЕЦ-166/4", 1, 0, 0.0),
    ]
    regions = {row[0]: row[1:] for row in rows(by_region)}
    with app.test_request_context():
        astana, karaganda = region("710000000").name, region(KARAGANDA).name
    assert regions == {astana: [6, 3, 50.0], karaganda: [1, 1, 100.0]}
    assert [row[2:] for row in rows(branches)] == [[50, 1]]
    workers = {row[5]: (row[3], row[6], row[7]) for row in rows(sites)}
    assert workers == {"Спецодежда": (1000, 20, 2), "Кирпич": (500, 10, 1), "Бетон": (300, 5, 1)}


def test_people_in_work_match_the_dashboard(app, data, make_user, today):
    """The dashboard on today alone: people in work of each custody status, and at RSE branches,
    are the report's people in paid work and workers at RSE branches."""
    admin = make_user(ADMIN)
    figures, _found = summary(app, admin, today)
    with app.test_request_context():

        def in_work(**narrowing) -> int:
            dashboard = tables.build(Filters(today, today, **narrowing), admin, today)
            return dashboard[0].rows[2][1]  # "People in work at the end of the period"

        custody = in_work(status="min_security") + in_work(status="pre_release")
        branches = in_work(employer_kind="rse_branch")
    values = list(figures.values())
    assert custody == values[1] == 4
    assert branches == values[4] == 1


def test_an_inspector_counts_their_region_only(app, data, make_user, today):
    """Astana's inspector: ЕЦ-166/11 and ЕЦ-166/4 (able 6, in work 3); P1 and P2: one SME,
    1,000 m², workers c1 and c6; opened this year P2 with c2; Бета with c2."""
    figures, found = summary(app, make_user(INSPECTOR), today)
    assert list(figures.values()) == [6, 3, 50.0, 1, 1, 1, 1000, 2, 1, 1]
    assert len(found[4].rows) == 2
    bound = make_user(INSPECTOR, institution_id=institution("ЕЦ-166/4").id)
    figures, found = summary(app, bound, today)
    assert list(figures.values()) == [1, 0, 0.0, 1, 1, 0, 0, 0, 0, 0]
    assert found[4].rows == []


def test_an_akimat_sees_small_counts_suppressed(app, data, make_user, today):
    """Astana's akimat: 6 able (rounded to 5 or 10), 3 in work ("fewer than 5", no share);
    the institutions' column hides its one small count's neighbour; land and productions are
    not people and stay exact."""
    figures, found = summary(app, make_user(AKIMAT), today)
    values = list(figures.values())
    assert values[0] in (5, 10)
    assert values[1] is FEWER_THAN and values[2] is None
    assert values[5:7] == [1, 1000] and values[8] == 1
    assert values[4] is FEWER_THAN and values[7] is FEWER_THAN
    able = [row[2] for row in found[1].rows]
    assert able.count(FEWER_THAN) == 1 and able.count(HIDDEN) == 1
    again, _found = summary(app, make_user(AKIMAT), today)
    assert again == figures  # the same cell, the same draw


def test_the_exports_carry_the_page_figures(app, data, make_user, today):
    client = app.test_client()
    sign_in(client, make_user(ADMIN, locale="ru"))
    page = client.get("/productions/report")
    assert page.status_code == 200
    assert "57,1" in page.get_data(as_text=True)
    plain = client.get("/productions/report.csv")
    assert plain.headers["Content-Disposition"].endswith('.csv"')
    lines = list(csv.reader(io.StringIO(plain.data.decode("utf-8-sig"))))
    label = translated(app, "Of them in paid work", "ru")
    assert [label, "4"] in lines
    assert [translated(app, "Share in paid work, %", "ru"), "57.1"] in lines
    excel = client.get("/productions/report.csv?excel=1")
    assert "-excel.csv" in excel.headers["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(excel.data.decode("utf-8-sig")), delimiter=";"))
    assert [translated(app, "Share in paid work, %", "ru"), "57,1"] in lines
    book = load_workbook(io.BytesIO(client.get("/productions/report.xlsx").data), read_only=True)
    assert len(book.worksheets) == 5
    first = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    assert [label, 4] in first


def test_an_akimat_export_holds_no_small_count(app, data, make_user):
    client = app.test_client()
    sign_in(client, make_user(AKIMAT, locale="kk"))
    text = client.get("/productions/report.csv").data.decode("utf-8-sig")
    small = translated(app, FEWER_THAN, "kk")
    lines = list(csv.reader(io.StringIO(text)))
    for label in (
        "Of them in paid work",
        "Workers at RSE branches",
        "Workers at SMEs on institution land",
    ):
        assert [translated(app, label, "kk"), small] in lines
    (p1,) = [line for line in lines if "Спецодежда" in line]
    assert p1[-1] == small  # its two workers


@pytest.mark.parametrize("path", ["/productions/report", "/productions/report.csv"])
def test_employers_are_refused_the_report(app, make_user, path):
    client = app.test_client()
    sign_in(client, make_user(EMPLOYER))
    assert client.get(path).status_code == 403


def test_the_statistics_page_links_to_the_report(app, make_user):
    client = app.test_client()
    sign_in(client, make_user(AKIMAT))
    assert 'href="/productions/report"' in client.get("/stats/").get_data(as_text=True)


def test_an_empty_report_says_so(app, make_user):
    client = app.test_client()
    sign_in(client, make_user(INSPECTOR, region_id=region(KARAGANDA).id))
    page = client.get("/productions/report").get_data(as_text=True)
    assert page.count(translated(app, "Nothing to count here yet.")) == 4  # all but the summary
