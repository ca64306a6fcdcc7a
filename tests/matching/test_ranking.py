"""Ranking: the best match first, each term explained, only eligible people in scope."""

from datetime import date

import sqlalchemy as sa

from portal.candidates.models import Offence
from portal.extensions import db
from portal.matching.ranking import (
    MAX_WITHOUT_TRADE,
    POINTS,
    explain,
    ranked_candidates,
    ranked_page,
)
from portal.reference.models import Occupation
from tests.helpers import KARAGANDA, district, region

ON = date(2026, 11, 26)


def occupation(code: str) -> Occupation:
    return db.session.scalar(sa.select(Occupation).where(Occupation.code == code))


def test_order_and_explanation(app, make_user, make_vacancy, make_candidate):
    inspector = make_user("inspector")
    vacancy = make_vacancy(occupation_code="7533-0", starts_on=date(2027, 1, 1))
    make_candidate(
        full_name="Дәл", occupations=[occupation("7533-0")], skills="Швейное дело, раскрой"
    )
    make_candidate(
        full_name="Топ", occupations=[occupation("7533-0")], district_id=district("711110000").id
    )
    nothing = make_candidate(
        full_name="Жоқ", occupations=[occupation("9333-0")], available_from=date(2027, 6, 1)
    )
    offender = make_candidate(
        full_name="Тыйым",
        occupations=[occupation("7533-0")],
        skills="швея",
        offences=[Offence(category_code="sexual_minors")],
    )
    no_consent = make_candidate(
        full_name="Келісімсіз", consent=False, occupations=[occupation("7533-0")]
    )
    elsewhere = make_candidate(
        full_name="Басқа", region_id=region(KARAGANDA).id, occupations=[occupation("7533-0")]
    )

    rows = [
        explain(row, vacancy)
        for row in db.session.execute(ranked_candidates(vacancy, inspector, ON))
    ]
    names = [r.candidate.full_name for r in rows]
    # The sexual offence against minors does not bar a sewing job with no minors: offender ranks.
    assert names == ["Дәл", "Тыйым", "Топ", "Жоқ"]
    best = rows[0]
    assert (
        best.score
        == POINTS["occupation_code"] + POINTS["skills"] + POINTS["district"] + POINTS["available"]
    )
    assert dict(best.terms) == {"occupation_code": 30, "skills": 5, "district": 10, "available": 5}
    assert dict(rows[2].terms) == {"occupation_code": 30, "region": 5, "available": 5}
    assert dict(rows[3].terms) == {"district": 10}
    assert no_consent.full_name not in names and elsewhere.full_name not in names
    assert offender.id in {r.candidate.id for r in rows} and nothing.id == rows[3].candidate.id
    # The terms named in Python add up to the score the database sorted by.
    assert all(r.score == sum(points for _term, points in r.terms) for r in rows)


def test_excluded_people_never_rank(app, make_user, make_vacancy, make_candidate):
    inspector = make_user("inspector")
    kindergarten = make_vacancy(
        title_ru="Повар детского сада",
        sphere_code="upbringing",
        with_minors=True,
        occupation_code="5120-0",
    )
    make_candidate(full_name="Тыйым", offences=[Offence(category_code="sexual_minors")])
    make_candidate(full_name="Белгісіз", offences_recorded=False)
    fine = make_candidate(full_name="Таза")
    rows = db.session.execute(ranked_candidates(kindergarten, inspector, ON)).all()
    assert [r.Candidate.id for r in rows] == [fine.id]


def test_a_page_is_the_full_rankings_page(app, make_user, make_vacancy, make_candidate):
    """ranked_page reads exactly the rows of the full ranking, page by page: from the people with
    a trade of the vacancy's group alone while they outscore everyone else, from everyone after."""
    inspector = make_user("inspector")
    vacancy = make_vacancy(occupation_code="7533-0", starts_on=date(2027, 1, 1))
    trades = [[occupation("7533-0")], [occupation("7531-0")], [occupation("9333-0")], []]
    for n in range(16):
        make_candidate(
            full_name=f"Адам {n}",
            occupations=trades[n % 4],
            skills="Швейное дело" if n % 3 else "",
            district_id=district("711110000").id if n % 2 else vacancy.district_id,
        )
    full = db.session.execute(ranked_candidates(vacancy, inspector, ON)).all()
    assert full[0].score > MAX_WITHOUT_TRADE >= full[-1].score  # both ways to a page are used
    ranking_queries = []

    def seen(_conn, _cursor, statement, *_args):
        ranking_queries.extend(["ranking"] if "ORDER BY score" in statement else [])

    sa.event.listen(db.engine, "before_cursor_execute", seen)
    try:
        for limit in (1, 3, 5):
            for offset in range(len(full) + 1):
                page = ranked_page(vacancy, inspector, ON, limit, offset)
                assert [(r.Candidate.id, r.score) for r in page] == [
                    (r.Candidate.id, r.score) for r in full[offset : offset + limit]
                ]
        ranking_queries.clear()
        ranked_page(vacancy, inspector, ON, 3)
        assert ranking_queries == ["ranking"]  # the first page needed no full ranking
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", seen)
