"""Every figure of the dashboard against values computed by hand from tests/stats/dataset.py
(on SQLite and PostgreSQL): Q1 of the dataset's YEAR, "today" AS_OF (26 Nov of YEAR)."""

from datetime import date
from types import SimpleNamespace

import pytest

from portal.auth.models import ADMIN, AKIMAT, INSPECTOR
from portal.stats import figures, tables
from portal.stats.filters import Filters
from tests.helpers import KARAGANDA, district, region
from tests.stats import dataset
from tests.stats.dataset import AS_OF, YEAR

Q1 = Filters(date(YEAR, 1, 1), date(YEAR, 3, 31))


def flow(filters: Filters, user) -> figures.Flow:
    return figures.flow_and_retention(filters, user, AS_OF)[0]


@pytest.fixture
def data(make_employer, make_vacancy, make_candidate):
    return dataset.build(make_employer, make_vacancy, make_candidate)


@pytest.fixture
def akimat(make_user):
    return make_user(AKIMAT)  # Astana, whole region


def test_flow_for_the_akimat_counts_the_territorys_vacancies(data, akimat):
    # started: 1, 2, 4; ended: 2, 3; in work on 31 Mar: c1, c4, c5 (9 and 10 are Karaganda's)
    assert flow(Q1, akimat) == figures.Flow(started=3, ended=2, in_work=3)


def test_flow_for_an_inspector_counts_the_records_they_see(data, make_user):
    inspector = make_user(INSPECTOR)  # Astana records: c9's job in Karaganda counts, k1 not
    assert flow(Q1, inspector) == figures.Flow(started=4, ended=2, in_work=4)
    admin = make_user(ADMIN)
    assert flow(Q1, admin) == figures.Flow(started=5, ended=2, in_work=5)


@pytest.mark.parametrize(
    "narrow, expected",
    [
        ({"district_id": "711310000"}, (2, 2, 1)),
        ({"employer_kind": "rse_branch"}, (1, 0, 2)),
        ({"status": "probation"}, (1, 1, 1)),
        ({"group": "71"}, (1, 0, 2)),
        ({"group": "75"}, (2, 2, 1)),
        ({"district_id": "354000000"}, (0, 0, 0)),  # another territory's district: nothing
    ],
)
def test_each_filter_narrows_the_flow(data, akimat, narrow, expected):
    if "district_id" in narrow:
        narrow = {"district_id": district(narrow["district_id"]).id}
    filters = Filters(Q1.start, Q1.end, **narrow)
    assert flow(filters, akimat) == figures.Flow(*expected)


def test_a_district_akimat_sees_only_its_district(data, make_user):
    user = make_user(AKIMAT, district_id=district("711310000").id)
    assert flow(Q1, user) == figures.Flow(started=2, ended=2, in_work=1)


def test_other_region_akimat(data, make_user):
    user = make_user(AKIMAT, region_id=region(KARAGANDA).id)
    assert flow(Q1, user) == figures.Flow(started=2, ended=0, in_work=2)


def test_by_district(data, akimat):
    rows = [
        (r["name_ru"], r["started"], r["ended"], r["in_work"])
        for r in figures.by_district(Q1, akimat)
    ]
    assert rows == [
        (district("711110000").name_ru, 1, 0, 2),
        (district("711310000").name_ru, 2, 2, 1),
    ]


def test_trend_covers_twelve_months_to_the_period_end(data, akimat):
    series = figures.trend(Q1, akimat)
    assert [row["month"] for row in series][0] == date(YEAR - 1, 4, 1)
    assert len(series) == 12 and series[-1]["month"] == date(YEAR, 3, 1)
    hires = {row["month"]: row["started"] for row in series if row["started"]}
    assert hires == {
        date(YEAR - 1, 6, 1): 1,
        date(YEAR - 1, 10, 1): 1,
        date(YEAR, 1, 1): 1,
        date(YEAR, 2, 1): 1,
        date(YEAR, 3, 1): 1,
    }


def test_employment_rate_by_status(data, akimat):
    # residents of Astana with consent; in work on 31 Mar anywhere (c9 works in Karaganda)
    assert figures.employment_rate(Q1, akimat) == [
        {"status": "probation", "able": 3, "in_work": 1},
        {"status": "released", "able": 5, "in_work": 3},
    ]


def test_retention(data, akimat):
    # hired in Q1: 1 (still), 2 (ended 15 Mar), 4 (still); the 12-month mark is in YEAR+1
    assert figures.flow_and_retention(Q1, akimat, AS_OF)[1] == [
        {"months": 3, "hired": 3, "retained": 2},
        {"months": 6, "hired": 3, "retained": 2},
        {"months": 12, "hired": 0, "retained": 0},
    ]


def test_pipeline_median_and_declines(data, akimat):
    states, declines = figures.proposals(Q1, akimat)
    assert sorted((r["state"], r["count"]) for r in states) == [
        ("declined", 1),
        ("ended", 1),
        ("hired", 2),
        ("proposed", 1),
    ]
    assert figures.median_days_to_hire(Q1, akimat) == 12  # 8, 12, 30 days
    assert declines == [{"reason": "no_experience", "count": 1}]


def test_median_of_an_even_number_is_the_mean_of_the_middle_two(data, make_user):
    admin = make_user(ADMIN)  # 8, 7 (c9: 25 Jan → 1 Feb), 10 (k1), 12, 30 → 10; without k1
    assert figures.median_days_to_hire(Q1, admin) == 10
    assert figures.median_days_to_hire(Q1, make_user(INSPECTOR)) == 10  # 7, 8, 12, 30


def test_quotas_below_quota_first(data, akimat):
    found = figures.quotas(Q1, akimat)
    rows = [
        (r["employer"].name_ru, r["category"], r["quota"], r["filled"], r["due"])
        for r in found["rows"]
    ]
    assert rows == [
        ("РГП «Бета»", "probation", 3, 1, 2),
        ("РГП «Бета»", "released", 1, 1, 0),
        ("ТОО «Альфа»", "released", 2, 2, 0),
    ]
    assert (found["year"], found["quota"], found["filled"], found["due"]) == (YEAR, 6, 4, 2)


def test_vacancies_by_group(data, akimat):
    # open places: V1 and V2, 2 each, group 7; available today (not in work): c2, c6 (7), c7 (9)
    rows = [
        (r["code"], r["places"], r["candidates"])
        for r in figures.vacancies_by_group(Q1, akimat, AS_OF)
    ]
    assert rows == [("7", 4, 2), ("9", 0, 1)]
    narrowed = Filters(Q1.start, Q1.end, group="7")
    assert [
        (r["code"], r["places"], r["candidates"])
        for r in figures.vacancies_by_group(narrowed, akimat, AS_OF)
    ] == [("71", 2, 1), ("75", 2, 1)]


def test_a_lone_small_count_takes_the_next_smallest_with_it(make_user):
    """With the total shown elsewhere, one hidden count could be worked out by subtraction."""
    from portal.stats.suppression import FEWER_THAN, HIDDEN, column

    akimat, inspector = make_user(AKIMAT), make_user(INSPECTOR)
    assert column([20, 3, 9, 0], akimat) == [20, FEWER_THAN, HIDDEN, 0]
    assert column([20, 3, 2, 9], akimat) == [20, FEWER_THAN, FEWER_THAN, 5]  # base 5
    assert column([20, 3, 0], akimat) == [HIDDEN, FEWER_THAN, 0]
    assert column([20, 3, 9], inspector) == [20, 3, 9]


def quota_rows(*quota_filled) -> dict:
    rows = [
        {
            "employer": SimpleNamespace(id=n, name=f"E{n}"),
            "category": "released",
            "quota": quota,
            "filled": filled,
            "due": max(quota - filled, 0),
        }
        for n, (quota, filled) in enumerate(quota_filled)
    ]
    return {
        "year": YEAR,
        "rows": rows,
        **{key: sum(row[key] for row in rows) for key in ("quota", "filled", "due")},
    }


def test_the_still_due_total_gives_no_hidden_count_back(app, make_user):
    """Quotas 1 and 10, filled 3 and 2: due 0 and 8. With the totals 11 and 5 shown, a total
    due of 8 would tell that the second employer filled 2 (the first's due is 0 whatever it
    filled, being at least 1); so the total due is hidden once any filled cell is."""
    from portal.stats.suppression import FEWER_THAN, HIDDEN

    found = quota_rows((1, 3), (10, 2))
    with app.test_request_context():
        akimat = tables.quota_table(found, make_user(AKIMAT))
        inspector = tables.quota_table(found, make_user(INSPECTOR))
        shown_all = tables.quota_table(quota_rows((8, 6), (10, 7)), make_user(AKIMAT))
    assert [row[2:] for row in akimat.rows] == [
        [1, FEWER_THAN, HIDDEN],
        [10, FEWER_THAN, HIDDEN],
        [11, 5, HIDDEN],
    ]
    assert [row[2:] for row in inspector.rows] == [[1, 3, 0], [10, 2, 8], [11, 5, 8]]
    # Filled 6, 7 and 13 are shown rounded to base 5, and the places due follow what is shown.
    [one, two, total] = [row[2:] for row in shown_all.rows]
    assert one[0] == 8 and two[0] == 10 and total[0] == 18
    assert {one[1], two[1], total[1]} <= {5, 10, 15}
    assert one[2] == max(8 - one[1], 0) and two[2] == max(10 - two[1], 0)
    assert total[2] == one[2] + two[2]
