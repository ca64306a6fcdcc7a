"""A small known dataset for the statistics tests; every figure is hand-computed in the tests.

Its dates are in YEAR, the year before the suite's day (and in YEAR-1, written "2025" below for
YEAR 2026), so the placements are history whatever the day; figures "as of" a day are taken on
AS_OF, 26 November of YEAR, where the hand-computed values hold.

Astana (region 710000000): employer A «Альфа» (SME, Сарыарқа 711310000) with vacancy V1 (7533-0),
employer B «Бета» (RSE branch, 711110000) with V2 (7112-0). Karaganda: employer G «Гамма» (SME,
354000000) with V3 (7114-0). Placements (proposal date → state, dates):
  1 c1 released   V1 01-02 → hired 2026-01-10
  2 c2 released   V1 01-20 → hired 2026-02-01, ended 2026-03-15
  3 c3 probation  V1 2025-09-20 → hired 2025-10-01, ended 2026-02-10
  4 c4 probation  V2 03-01 → hired 2026-03-31
  5 c5 released   V2 2025-05-20 → hired 2025-06-01, ended 2026-05-01
  6 c6 released   V2 02-05 → declined (no_experience)
  7 c7 probation  V1 03-10 → proposed
  8 c8 released (no consent) V1 04-02 → interview
  9 c9 released   V3 (Karaganda) 01-25 → hired 2026-02-01
 10 k1 released, a Karaganda resident, V3 01-05 → hired 2026-01-15
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa

from portal.extensions import db
from portal.placements.models import Placement, Quota
from portal.reference.models import Occupation
from tests.helpers import KARAGANDA, TEST_TODAY

YEAR = TEST_TODAY.year - 1
AS_OF = date(YEAR, 11, 26)


def occupation(code: str) -> Occupation:
    return db.session.scalar(sa.select(Occupation).where(Occupation.code == code))


def build(make_employer, make_vacancy, make_candidate) -> dict:
    alpha = make_employer(name_ru="ТОО «Альфа»", district_kato="711310000")
    beta = make_employer(name_ru="РГП «Бета»", kind="rse_branch", district_kato="711110000")
    gamma = make_employer(name_ru="ТОО «Гамма»", district_kato="354000000")
    v1 = make_vacancy(alpha)
    v2 = make_vacancy(beta, occupation_code="7112-0", title_ru="Каменщик")
    v3 = make_vacancy(gamma, occupation_code="7114-0", title_ru="Бетонщик")
    people = {
        "c1": make_candidate(occupations=[occupation("7533-0")]),
        "c2": make_candidate(occupations=[occupation("7533-0")]),
        "c3": make_candidate(status="probation"),
        "c4": make_candidate(status="probation"),
        "c5": make_candidate(),
        "c6": make_candidate(occupations=[occupation("7112-0")]),
        "c7": make_candidate(status="probation", occupations=[occupation("9112-0")]),
        "c8": make_candidate(consent=False),
        "c9": make_candidate(),
        "k1": make_candidate(KARAGANDA),
    }

    def put(who, vacancy, proposed, state, hired=None, ended=None, reason=None):
        db.session.add(
            Placement(
                candidate_id=people[who].id,
                vacancy_id=vacancy.id,
                state=state,
                hired_on=hired,
                ended_on=ended,
                reason_code=reason,
                proposed_at=datetime.combine(proposed, datetime.min.time().replace(hour=6), UTC),
            )
        )

    put("c1", v1, date(YEAR, 1, 2), "hired", date(YEAR, 1, 10))
    put("c2", v1, date(YEAR, 1, 20), "ended", date(YEAR, 2, 1), date(YEAR, 3, 15), "quit")
    put(
        "c3",
        v1,
        date(YEAR - 1, 9, 20),
        "ended",
        date(YEAR - 1, 10, 1),
        date(YEAR, 2, 10),
        "completed",
    )
    put("c4", v2, date(YEAR, 3, 1), "hired", date(YEAR, 3, 31))
    put("c5", v2, date(YEAR - 1, 5, 20), "ended", date(YEAR - 1, 6, 1), date(YEAR, 5, 1), "moved")
    put("c6", v2, date(YEAR, 2, 5), "declined", reason="no_experience")
    put("c7", v1, date(YEAR, 3, 10), "proposed")
    put("c8", v1, date(YEAR, 4, 2), "interview")
    put("c9", v3, date(YEAR, 1, 25), "hired", date(YEAR, 2, 1))
    put("k1", v3, date(YEAR, 1, 5), "hired", date(YEAR, 1, 15))
    for employer, category, value in (
        (alpha, "released", 2),
        (beta, "released", 1),
        (beta, "probation", 3),
        (gamma, "released", 4),
    ):
        db.session.add(
            Quota(
                employer_id=employer.id,
                year=YEAR,
                category=category,
                mode="number",
                value=Decimal(value),
            )
        )
    db.session.commit()
    return {
        "alpha": alpha,
        "beta": beta,
        "gamma": gamma,
        "people": people,
        "vacancies": (v1, v2, v3),
    }
