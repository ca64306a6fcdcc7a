"""A small known dataset for the productions report; every figure is hand-computed in the tests.

Institutions: ЕЦ-166/11 and ЕЦ-166/4 (Astana), АК-159/24 (Karaganda). Employers: «Альфа» (SME,
Astana) with VA1 open to ЕЦ-166/11 and VA2 an outside job; «Бета» (RSE branch, Astana, a
workshop of 50) with VB open to ЕЦ-166/11; «Гамма» (SME, Karaganda) with VG open to АК-159/24.
Productions: P1 Альфа at ЕЦ-166/11 (1,000 m², last year or before), P2 Бета at ЕЦ-166/11 (500 m²,
today), P3 Гамма at АК-159/24 (300 m², 1 January this year).
People (in work today unless said):
  c1 minimum security, ЕЦ-166/11, VA1        c5 minimum security, ЕЦ-166/4, VA1 ended yesterday
  c2 minimum security, ЕЦ-166/11, VB         c6 released (Astana), VA1
  c3 pre-release, ЕЦ-166/11, no job          c7 minimum security, ЕЦ-166/11, a medical limit
  c4 minimum security, ЕЦ-166/11, VA2           (heavy work), no job
  k1 minimum security, АК-159/24 (Karaganda), VG
"""

from datetime import date, timedelta

from portal import clock
from portal.extensions import db
from portal.placements.models import Placement
from portal.productions.models import Production
from portal.reference.models import WorkingCondition
from tests.helpers import KARAGANDA, institution


def build(make_employer, make_vacancy, make_candidate) -> dict:
    today = clock.today()
    ec11, ec4, ak = institution("ЕЦ-166/11"), institution("ЕЦ-166/4"), institution("АК-159/24")
    alpha = make_employer(name_ru="ТОО «Альфа»", district_kato="711310000")
    beta = make_employer(
        name_ru="РГП «Бета»", kind="rse_branch", district_kato="711110000", workshop_capacity=50
    )
    gamma = make_employer(name_ru="ТОО «Гамма»", district_kato="354000000")
    va1 = make_vacancy(alpha, institutions=[ec11])
    va2 = make_vacancy(alpha, title_ru="Швея на фабрике")
    vb = make_vacancy(beta, occupation_code="7112-0", title_ru="Каменщик", institutions=[ec11])
    vg = make_vacancy(gamma, occupation_code="7114-0", title_ru="Бетонщик", institutions=[ak])

    def custody(where, status="min_security", **fields):
        return make_candidate(
            KARAGANDA if where is ak else "710000000",
            status=status,
            institution_id=where.id,
            **fields,
        )

    heavy = db.session.get(WorkingCondition, "heavy")
    people = {
        "c1": custody(ec11),
        "c2": custody(ec11),
        "c3": custody(ec11, "pre_release"),
        "c4": custody(ec11),
        "c5": custody(ec4),
        "c6": make_candidate(),
        "c7": custody(ec11, contraindications=[heavy]),
        "k1": custody(ak),
    }
    started = today - timedelta(days=40)
    for who, vacancy, ended in (
        ("c1", va1, None),
        ("c2", vb, None),
        ("c4", va2, None),
        ("c5", va1, today - timedelta(days=1)),
        ("c6", va1, None),
        ("k1", vg, None),
    ):
        db.session.add(
            Placement(
                candidate_id=people[who].id,
                vacancy_id=vacancy.id,
                state="ended" if ended else "hired",
                hired_on=started,
                ended_on=ended,
                reason_code="completed" if ended else None,
            )
        )
    productions = {
        "P1": Production(
            employer_id=alpha.id,
            institution_id=ec11.id,
            area_m2=1000,
            transferred_on=today - timedelta(days=400),
            products="Спецодежда",
            places=20,
        ),
        "P2": Production(
            employer_id=beta.id,
            institution_id=ec11.id,
            area_m2=500,
            transferred_on=today,
            products="Кирпич",
            places=10,
        ),
        "P3": Production(
            employer_id=gamma.id,
            institution_id=ak.id,
            area_m2=300,
            transferred_on=date(today.year, 1, 1),
            products="Бетон",
            places=5,
        ),
    }
    db.session.add_all(productions.values())
    db.session.commit()
    return dict(
        people=people,
        productions=productions,
        employers=dict(alpha=alpha, beta=beta, gamma=gamma),
        institutions=dict(ec11=ec11, ec4=ec4, ak=ak),
    )


def site(employer_id: int, code: str = "ЕЦ-166/11") -> Production:
    """A production of the employer at the institution (Astana's by default), committed."""
    production = Production(
        employer_id=employer_id,
        institution_id=institution(code).id,
        area_m2=100,
        transferred_on=clock.today(),
    )
    db.session.add(production)
    db.session.commit()
    return production
