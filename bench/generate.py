"""A realistic bilingual data set for benchmarks, inserted in bulk (Core executemany).

Default sizes follow docs/design.md "Targets": 5,000 employers, 20,000 vacancies, 100,000 candidates
(1–3% with an offence against minors, 5% under supervision). Deterministic for a given seed.
"""

import random
from datetime import date, time, timedelta

import sqlalchemy as sa

from portal.candidates.models import (
    Candidate,
    Offence,
    Supervision,
    candidate_contraindication,
    candidate_occupation,
)
from portal.employers.models import Employer, Vacancy, vacancy_condition, vacancy_place_type
from portal.extensions import db
from portal.reference.identifiers import complete
from portal.reference.models import District, Institution, Occupation

FIRST_NAMES = [
    "Серік",
    "Айдос",
    "Ерлан",
    "Дмитрий",
    "Мария",
    "Асхат",
    "Наталья",
    "Қанат",
    "Олег",
    "Гүлнар",
    "Бекзат",
    "Виктор",
    "Айгүл",
    "Сергей",
    "Нұрлан",
    "Елена",
]
LAST_NAMES = [
    "Ахметов",
    "Волков",
    "Нұрланов",
    "Ким",
    "Тұрсынов",
    "Шевченко",
    "Әбенов",
    "Орлова",
    "Сейдахметов",
    "Миронов",
    "Жақыпов",
    "Петренко",
    "Омаров",
    "Ли",
]
SPHERES = (
    ["manufacturing"] * 6
    + ["construction"] * 3
    + ["catering", "trade", "agriculture", "services", "education", "upbringing"]
)
SHIFTS = (
    [(time(8), time(17))] * 6
    + [(time(9), time(18))] * 3
    + [(time(22), time(6)), (time(14), time(23))]
)
OFFENCES = (
    ["other"] * 60
    + ["drugs"] * 12
    + ["intentional_harm"] * 8
    + ["murder"] * 3
    + ["sexual"] * 2
    + ["sexual_minors"] * 2
    + ["public_health_morality"] * 2
)


def _iin(rng: random.Random, used: set[str]) -> str:
    """A valid IIN not in `used` (a random birth date, sex digit and serial)."""
    while True:
        born = date(1960, 1, 1) + timedelta(days=rng.randrange(16_000))
        number = complete(
            born.strftime("%y%m%d") + str(rng.choice([3, 4, 5])) + f"{rng.randrange(10_000):04d}"
        )
        if number is not None and number not in used:
            used.add(number)
            return number


def generate(
    candidates: int = 100_000, vacancies: int = 20_000, employers: int = 5_000, seed: int = 2026
) -> None:
    rng = random.Random(seed)
    districts = db.session.execute(sa.select(District.id, District.region_id, District.kato)).all()
    occupations = db.session.scalars(sa.select(Occupation.id)).all()
    institutions = db.session.execute(sa.select(Institution.id, Institution.region_id)).all()

    employer_rows = []
    for n in range(employers):
        district_id, region_id, _kato = rng.choice(districts)
        employer_rows.append(
            dict(
                bin=complete(f"21014{n:06d}"),  # None when these digits admit no check digit
                name_ru=f"ТОО «Предприятие {n}»",
                name_kk=f"«Кәсіпорын {n}» ЖШС",
                kind=rng.choice(["sme"] * 9 + ["rse_branch"]),
                region_id=region_id,
                district_id=district_id,
                headcount=rng.randrange(5, 500),
                status="approved",
            )
        )
    employer_rows = [r for r in employer_rows if r["bin"]]
    db.session.execute(sa.insert(Employer), employer_rows)
    employer_ids = db.session.scalars(sa.select(Employer.id)).all()

    vacancy_rows, condition_rows, place_rows = [], [], []
    first_vacancy = (db.session.scalar(sa.select(sa.func.max(Vacancy.id))) or 0) + 1
    for n in range(vacancies):
        shift = rng.choice(SHIFTS)
        sphere = rng.choice(SPHERES)
        minors = sphere in ("education", "upbringing")
        vacancy_rows.append(
            dict(
                employer_id=rng.choice(employer_ids),
                occupation_id=rng.choice(occupations),
                title_ru=f"Вакансия {n}",
                title_kk=f"Бос орын {n}",
                district_id=rng.choice(districts)[0],
                places=rng.randrange(1, 20),
                wage=rng.randrange(100, 400) * 1000,
                shift_start=shift[0],
                shift_end=shift[1],
                sphere_code=sphere,
                with_minors=minors,
                near_minors=minors or rng.random() < 0.03,
                status="published",
                starts_on=date(2026, 12, 1) + timedelta(days=rng.randrange(90)),
                closes_on=date(2027, 6, 1),
                travel=rng.random() < 0.05,
                alcohol=rng.random() < 0.02,
            )
        )
        vacancy_id = first_vacancy + n
        if shift[0] > shift[1]:
            condition_rows.append(dict(vacancy_id=vacancy_id, condition_code="night"))
        if rng.random() < 0.2:
            condition_rows.append(dict(vacancy_id=vacancy_id, condition_code="heavy"))
        if minors:
            place_rows.append(dict(vacancy_id=vacancy_id, place_type_code="child_facility"))
    db.session.execute(sa.insert(Vacancy), vacancy_rows)
    if condition_rows:
        db.session.execute(sa.insert(vacancy_condition), condition_rows)
    if place_rows:
        db.session.execute(sa.insert(vacancy_place_type), place_rows)

    first_candidate = (db.session.scalar(sa.select(sa.func.max(Candidate.id))) or 0) + 1
    rows, trades, offences, supervisions, contra = [], [], [], [], []
    used_iins = set(db.session.scalars(sa.select(Candidate.iin)))
    for n in range(candidates):
        candidate_id = first_candidate + n
        status = rng.choice(
            [
                "min_security",
                "pre_release",
                "released",
                "released",
                "probation",
                "probation",
                "probation",
            ]
        )
        district_id, region_id, kato = rng.choice(districts)
        institution = (
            rng.choice(institutions) if status in ("min_security", "pre_release") else None
        )
        recorded = rng.random() < 0.97
        rows.append(
            dict(
                code=f"B-{n:07d}",
                full_name=f"{rng.choice(LAST_NAMES)} {rng.choice(FIRST_NAMES)}",
                iin=_iin(rng, used_iins),
                birth_date=date(1960, 1, 1) + timedelta(days=rng.randrange(17_000)),
                status=status,
                institution_id=institution[0] if institution else None,
                release_date=date(2027, 1, 1) + timedelta(days=rng.randrange(365))
                if institution
                else None,
                region_id=region_id,
                district_id=district_id,
                skills=rng.choice(
                    ["Швейное дело", "Сварка", "Кладка кирпича", "Тігін", "Погрузка", ""]
                ),
                consent=rng.random() < 0.9,
                offences_recorded=recorded,
            )
        )
        for occupation_id in rng.sample(occupations, rng.randrange(1, 3)):
            trades.append(dict(candidate_id=candidate_id, occupation_id=occupation_id))
        if recorded and rng.random() < 0.85:
            offences.append(dict(candidate_id=candidate_id, category_code=rng.choice(OFFENCES)))
        if rng.random() < 0.05:
            supervisions.append(
                dict(
                    candidate_id=candidate_id,
                    curfew_from=time(22),
                    curfew_to=time(6),
                    permitted_area=kato[:2],
                    no_alcohol=True,
                    no_contact_minors=rng.random() < 0.3,
                    until=date(2028, 1, 1),
                )
            )
        if rng.random() < 0.05:
            contra.append(dict(candidate_id=candidate_id, condition_code="heavy"))
    for start in range(0, len(rows), 10_000):
        db.session.execute(sa.insert(Candidate), rows[start : start + 10_000])
    db.session.execute(sa.insert(candidate_occupation), trades)
    db.session.execute(sa.insert(Offence), offences)
    if supervisions:
        db.session.execute(sa.insert(Supervision), supervisions)
    if contra:
        db.session.execute(sa.insert(candidate_contraindication), contra)
    db.session.commit()
