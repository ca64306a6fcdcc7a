"""Quotas: the allowed range is configuration, rounding is one rule, fulfilment counts people."""

from datetime import date
from decimal import Decimal

import pytest

from portal.extensions import db
from portal.placements.models import Placement, Quota
from portal.placements.quotas import QuotaRefused, fulfilment, set_quota, workplaces


@pytest.mark.parametrize(
    "rounding, headcount, percent, expected",
    [
        ("half_up", 150, "1", 2),
        ("half_up", 140, "1", 1),
        ("half_up", 250, "1", 3),
        ("up", 140, "0.5", 1),
        ("down", 190, "1", 1),
        ("up", 0, "1", 0),
    ],
)
def test_percentage_becomes_whole_workplaces(app, make_app, rounding, headcount, percent, expected):
    with make_app(QUOTA_ROUNDING=rounding).app_context():
        quota = Quota(mode="percent", value=Decimal(percent))
        assert workplaces(quota, headcount) == expected


def test_range_comes_from_configuration(app, make_app, make_employer, make_user):
    employer = make_employer(headcount=300)
    akimat = make_user("akimat")
    with pytest.raises(QuotaRefused):
        set_quota(employer, 2026, "released", "percent", Decimal("2"), akimat)
    with make_app(QUOTA_PERCENT_MAX=3.0).app_context():
        quota = set_quota(
            db.session.merge(employer),
            2026,
            "released",
            "percent",
            Decimal("2"),
            db.session.merge(akimat),
        )
        assert workplaces(quota, 300) == 6
        db.session.rollback()


@pytest.mark.parametrize(
    "mode, value",
    [("number", "-1"), ("number", "1.5"), ("number", "301"), ("percent", "0.1"), ("share", "1")],
)
def test_invalid_quotas_are_refused(app, make_employer, make_user, mode, value):
    with pytest.raises(QuotaRefused):
        set_quota(
            make_employer(headcount=300),
            2026,
            "released",
            mode,
            Decimal(value),
            make_user("akimat"),
        )


def test_setting_again_replaces(app, make_employer, make_user):
    employer, akimat = make_employer(headcount=300), make_user("akimat")
    set_quota(employer, 2026, "released", "number", Decimal(2), akimat)
    set_quota(employer, 2026, "released", "number", Decimal(3), akimat)
    db.session.commit()
    assert db.session.query(Quota).count() == 1


def test_fulfilment_counts_people_in_work_during_the_year(
    app, make_employer, make_user, make_vacancy, make_candidate
):
    employer = make_employer(headcount=300)
    akimat = make_user("akimat")
    set_quota(employer, 2026, "released", "number", Decimal(3), akimat)
    set_quota(employer, 2026, "probation", "percent", Decimal("1"), akimat)
    vacancy = make_vacancy(employer, places=10)
    other_employer_vacancy = make_vacancy(title_ru="Чужая")

    def placement(candidate, state, hired_on, ended_on=None, vacancy=vacancy):
        db.session.add(
            Placement(
                candidate_id=candidate.id,
                vacancy_id=vacancy.id,
                state=state,
                hired_on=hired_on,
                ended_on=ended_on,
            )
        )

    released = [make_candidate(status="released") for _ in range(4)]
    placement(released[0], "hired", date(2026, 3, 1))  # counts
    placement(released[1], "ended", date(2025, 6, 1), date(2026, 2, 1))  # worked into 2026: counts
    placement(released[2], "ended", date(2025, 1, 1), date(2025, 12, 31))  # ended before: no
    placement(released[3], "hired", date(2027, 1, 10))  # starts after the year: no
    placement(released[0], "hired", date(2026, 3, 1), vacancy=other_employer_vacancy)  # elsewhere
    on_probation = make_candidate(status="probation")
    placement(on_probation, "hired", date(2026, 5, 5))
    placement(make_candidate(status="probation"), "proposed", None)  # not in work
    db.session.commit()

    result = {f.category: f for f in fulfilment([employer], 2026)}
    assert (result["released"].quota, result["released"].filled, result["released"].due) == (
        3,
        2,
        1,
    )
    assert (result["probation"].quota, result["probation"].filled, result["probation"].due) == (
        3,
        1,
        2,
    )
