"""Realistic bilingual data for benchmarks, inserted in bulk (Core executemany, explicit ids).

    insert_employers(conn, n, rng) -> ids
    insert_vacancies(conn, n, rng, employer_ids) -> ids
    insert_candidates(conn, n, rng) -> ids
    generate(conn, employers=5_000, vacancies=20_000, candidates=100_000, seed=2026)

Mix after the seed document: sewing, bricks, welding, concrete, cooks, bakers, loaders and
drivers dominate; titles are typed in Russian only, Kazakh only or both; people have Kazakh
and Russian names. Offences against minors as the official figures for the first half of 2021
give them: 1,854 of 29,061 people in institutions (6.4%), 311 of 32,025 on the probation
register (1.0%); 5% are under supervision, 3% have no offence record filled in yet.
Vacancies in education and upbringing involve minors; night shifts, heavy work and alcohol
give the rules something to exclude on. The caller's database must be migrated and hold the
reference data; the rows are added after the largest id. Deterministic for a given seed.
"""

import random
from datetime import date, time, timedelta

import sqlalchemy as sa

from portal import clock
from portal.candidates.models import (
    Candidate,
    Offence,
    Supervision,
    candidate_contraindication,
    candidate_occupation,
)
from portal.data_crypto import EncryptedText
from portal.employers.models import Employer, Vacancy, vacancy_condition, vacancy_place_type
from portal.reference.identifiers import complete
from portal.reference.models import District, Institution, Occupation

CHUNK = 5_000
# Occupations the seed's workshops hire for, with their weight (others weigh 1).
COMMON_TRADES = {
    "7533-0": 30,
    "8153-1": 15,
    "7531-0": 4,
    "8153-0": 6,
    "7112-0": 20,
    "8181-0": 8,
    "7212-1": 15,
    "7212-0": 8,
    "7214-1": 8,
    "7114-0": 12,
    "8114-0": 6,
    "5120-0": 12,
    "3434-0": 2,
    "7512-0": 8,
    "7511-1": 5,
    "9333-0": 15,
    "8322-0": 6,
    "8332-0": 6,
    "8344-0": 3,
    "8331-0": 2,
    "9112-0": 10,
    "7115-0": 6,
    "7522-0": 5,
    "9329-0": 8,
}
MALE = {
    "kk": [
        "Серік",
        "Айдос",
        "Ерлан",
        "Қанат",
        "Асхат",
        "Бекзат",
        "Нұрлан",
        "Ержан",
        "Бауыржан",
        "Дәурен",
        "Марат",
        "Талғат",
        "Әділет",
        "Жандос",
        "Ғалым",
        "Мұрат",
        "Арман",
        "Руслан",
        "Санжар",
        "Бақыт",
    ],
    "ru": [
        "Дмитрий",
        "Сергей",
        "Олег",
        "Виктор",
        "Андрей",
        "Алексей",
        "Игорь",
        "Николай",
        "Владимир",
        "Павел",
        "Евгений",
        "Юрий",
    ],
}
FEMALE = {
    "kk": [
        "Айгүл",
        "Гүлнар",
        "Әлия",
        "Дана",
        "Жанар",
        "Салтанат",
        "Мәдина",
        "Ақмарал",
        "Гүлжан",
        "Назерке",
    ],
    "ru": ["Мария", "Наталья", "Елена", "Ольга", "Ирина", "Татьяна", "Светлана", "Юлия"],
}
SURNAMES = {
    "kk": [
        "Ахметов",
        "Қасымов",
        "Нұрланов",
        "Тұрсынов",
        "Жақыпов",
        "Әбенов",
        "Сейітов",
        "Омаров",
        "Серікбаев",
        "Жұмабаев",
        "Төлеуов",
        "Қыдырбаев",
        "Мұқанов",
        "Оспанов",
        "Ержанов",
        "Сейдахметов",
        "Байжанов",
        "Құрманов",
        "Бекқалиев",
        "Әлімов",
        "Смағұлов",
        "Ысқақов",
        "Рахымжанов",
        "Дүйсенов",
        "Есенов",
    ],
    "ru": [
        "Волков",
        "Орлов",
        "Миронов",
        "Шевченко",
        "Ковальчук",
        "Петренко",
        "Иванов",
        "Смирнов",
        "Кузнецов",
        "Попов",
        "Соколов",
        "Лебедев",
        "Фёдоров",
        "Морозов",
        "Ким",
        "Ли",
        "Пак",
        "Цой",
    ],
}
QUALIFIERS = {
    "ru": [
        "",
        "",
        " (дневная смена)",
        " (ночная смена)",
        " в цех",
        " на производство",
        " с обучением",
        " вахтовым методом",
    ],
    "kk": [
        "",
        "",
        " (күндізгі ауысым)",
        " (түнгі ауысым)",
        " цехқа",
        " өндіріске",
        " оқытумен",
        " вахталық әдіспен",
    ],
}
DESCRIPTIONS = {
    "ru": [
        "Работа на производстве при учреждении.",
        "Предоставляется спецодежда.",
        "Обучение на рабочем месте.",
        "Общежитие рядом с цехом.",
        "Оплата два раза в месяц.",
        "Официальное оформление по трудовому договору.",
        "Горячее питание на смене.",
        "Опыт работы приветствуется, но не обязателен.",
        "Доставка до места работы служебным транспортом.",
    ],
    "kk": [
        "Мекеме жанындағы өндірісте жұмыс.",
        "Арнайы киім беріледі.",
        "Жұмыс орнында оқыту.",
        "Цехтың жанында жатақхана бар.",
        "Жалақы айына екі рет төленеді.",
        "Еңбек шарты бойынша ресми рәсімдеу.",
        "Ауысымда ыстық тамақ беріледі.",
        "Жұмыс тәжірибесі құпталады, бірақ міндетті емес.",
        "Жұмыс орнына қызметтік көлікпен жеткізу.",
    ],
}
SKILLS = {
    "ru": [
        "опыт работы {n} года",
        "работа на станках",
        "ручной труд",
        "погрузка",
        "уборка помещений",
        "ремонт оборудования",
        "работа в бригаде",
        "водительские права категории B",
        "знание техники безопасности",
    ],
    "kk": [
        "{n} жыл жұмыс тәжірибесі",
        "станоктарда жұмыс",
        "қол еңбегі",
        "жүк тиеу",
        "үй-жайларды жинау",
        "жабдықты жөндеу",
        "бригадада жұмыс",
        "B санатты жүргізуші куәлігі",
        "қауіпсіздік техникасын білу",
    ],
}
SHIFTS = (
    [(time(8), time(17))] * 6
    + [(time(9), time(18))] * 3
    + [(time(22), time(6)), (time(14), time(23))]
)
SPHERES = (
    ["manufacturing"] * 8
    + ["construction"] * 3
    + ["catering", "trade", "services", "agriculture", "education", "upbringing"]
)
WITH_MINORS = ("education", "upbringing")
# Offences other than against minors (no figures for these: a plausible mix).
OFFENCES = (
    ["other"] * 60
    + ["drugs"] * 12
    + ["intentional_harm"] * 8
    + ["murder"] * 3
    + ["sexual"] * 2
    + ["public_health_morality"] * 2
)
# Share of offences against minors by status (the 2021 figures above). The released are counted
# as the probation register is: both live outside institutions, and no total is published for them.
AGAINST_MINORS = {
    "min_security": 1_854 / 29_061,
    "pre_release": 1_854 / 29_061,
    "released": 311 / 32_025,
    "probation": 311 / 32_025,
}


def _next_id(conn, model) -> int:
    return (conn.execute(sa.select(sa.func.max(model.id))).scalar() or 0) + 1


def _insert(conn, table, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        conn.execute(table.insert(), rows[start : start + CHUNK])


def _reset_sequence(conn, model) -> None:
    """Explicit ids leave PostgreSQL's sequence behind; later ORM inserts need it moved on."""
    if conn.dialect.name == "postgresql":
        table = model.__table__.name
        conn.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        )


def _numbers(conn, column, prefix: str):
    """Valid 12-digit IINs/BINs starting with `prefix`, in order, after those already used.
    IINs are encrypted (portal/data_crypto.py): their largest is found after decryption."""
    if isinstance(column.type, EncryptedText):
        values = conn.execute(sa.select(column)).scalars()
        used = max((v for v in values if v.startswith(prefix)), default=None)
    else:
        query = sa.select(sa.func.max(column)).where(column.like(f"{prefix}%"))
        used = conn.execute(query).scalar()
    serial = int(used[len(prefix) : 11]) + 1 if used else 0
    while True:
        found = complete(f"{prefix}{serial:0{11 - len(prefix)}d}")
        if found is not None:
            yield found
        serial += 1


def _weighted_occupations(conn) -> tuple[list[int], list[int], dict[int, tuple[str, str, str]]]:
    rows = conn.execute(
        sa.select(Occupation.id, Occupation.code, Occupation.name_kk, Occupation.name_ru)
    ).all()
    labels = {row.id: (row.code, row.name_kk, row.name_ru) for row in rows}
    return [row.id for row in rows], [COMMON_TRADES.get(row.code, 1) for row in rows], labels


def insert_employers(conn, n: int, rng: random.Random) -> list[int]:
    districts = conn.execute(sa.select(District.id, District.region_id)).all()
    first = _next_id(conn, Employer)
    bins = _numbers(conn, Employer.bin, "21014")
    words = [
        "Тігін",
        "Құрылыс",
        "Бетон",
        "Металл",
        "Нан",
        "Ет",
        "Консерв",
        "Жиһаз",
        "Кірпіш",
        "Сервис",
        "Дала",
        "Астана",
        "Шығыс",
        "Батыс",
        "Еңбек",
    ]
    rows = []
    for i in range(n):
        district_id, region_id = rng.choice(districts)
        name = f"{rng.choice(words)} {rng.choice(words)} {first + i}"
        rows.append(
            dict(
                id=first + i,
                bin=next(bins),
                name_kk=f"«{name}» ЖШС",
                name_ru=f"ТОО «{name}»",
                kind=rng.choice(["sme"] * 9 + ["rse_branch"]),
                region_id=region_id,
                district_id=district_id,
                headcount=rng.randrange(5, 500),
                status=rng.choice(["approved"] * 9 + ["pending"]),
                address="",
                contact_person="",
                phone="",
                email="",
                created_at=clock.now(),
            )
        )
    _insert(conn, Employer.__table__, rows)
    _reset_sequence(conn, Employer)
    return [row["id"] for row in rows]


def insert_vacancies(conn, n: int, rng: random.Random, employer_ids: list[int]) -> list[int]:
    districts = conn.execute(sa.select(District.id)).scalars().all()
    occupations, weights, labels = _weighted_occupations(conn)
    first = _next_id(conn, Vacancy)
    today = clock.today()
    rows, conditions, places = [], [], []
    for i in range(n):
        occupation_id = rng.choices(occupations, weights)[0]
        _code, label_kk, label_ru = labels[occupation_id]
        languages = rng.choices([("ru",), ("kk",), ("kk", "ru")], [35, 25, 40])[0]
        qualifier = rng.randrange(len(QUALIFIERS["ru"]))
        title = {
            lang: (label_kk if lang == "kk" else label_ru) + QUALIFIERS[lang][qualifier]
            for lang in languages
        }
        description = {lang: " ".join(rng.sample(DESCRIPTIONS[lang], 3)) for lang in languages}
        shift = rng.choice(SHIFTS)
        sphere = rng.choice(SPHERES)
        minors = sphere in WITH_MINORS
        rows.append(
            dict(
                id=first + i,
                employer_id=rng.choice(employer_ids),
                occupation_id=occupation_id,
                title_kk=title.get("kk"),
                title_ru=title.get("ru"),
                description_kk=description.get("kk", ""),
                description_ru=description.get("ru", ""),
                district_id=rng.choice(districts),
                address="",
                places=rng.randrange(1, 30),
                wage=rng.randrange(90, 400) * 1000,
                shift_start=shift[0],
                shift_end=shift[1],
                working_days="12345",
                starts_on=today + timedelta(days=rng.randrange(-60, 60)),
                closes_on=today + timedelta(days=rng.randrange(60, 200)),
                sphere_code=sphere,
                with_minors=minors,
                near_minors=minors or rng.random() < 0.03,
                alcohol=rng.random() < 0.02,
                travel=rng.random() < 0.05,
                status=rng.choices(["published", "draft", "closed"], [80, 10, 10])[0],
                created_at=clock.now(),
                updated_at=clock.now(),
            )
        )
        if shift[0] > shift[1]:
            conditions.append(dict(vacancy_id=first + i, condition_code="night"))
        if rng.random() < 0.2:
            conditions.append(dict(vacancy_id=first + i, condition_code="heavy"))
        if minors:
            places.append(dict(vacancy_id=first + i, place_type_code="child_facility"))
    _insert(conn, Vacancy.__table__, rows)
    _insert(conn, vacancy_condition, conditions)
    _insert(conn, vacancy_place_type, places)
    _reset_sequence(conn, Vacancy)
    return [row["id"] for row in rows]


def insert_candidates(conn, n: int, rng: random.Random) -> list[int]:
    districts = conn.execute(sa.select(District.id, District.region_id, District.kato)).all()
    institutions = conn.execute(sa.select(Institution.id, Institution.region_id)).all()
    occupations, weights, _labels = _weighted_occupations(conn)
    first = _next_id(conn, Candidate)
    iins = _numbers(conn, Candidate.iin, "80")
    today = clock.today()
    people, trades, offences, supervisions, contraindications = [], [], [], [], []
    for i in range(n):
        candidate_id = first + i
        female = rng.random() < 0.15
        origin = rng.choices(["kk", "ru"], [65, 35])[0]
        given = rng.choice((FEMALE if female else MALE)[origin])
        surname = rng.choice(SURNAMES[origin])
        if female and surname.endswith(("ов", "ев", "ин")):
            surname += "а"
        status = rng.choices(
            ["min_security", "pre_release", "released", "probation"], [25, 10, 30, 35]
        )[0]
        district_id, region_id, kato = rng.choice(districts)
        institution_id = None
        if status in ("min_security", "pre_release"):
            institution_id, region_id = rng.choice(institutions)
        skill_language = rng.choice(["kk", "ru"])
        skills = ", ".join(
            s.format(n=rng.randrange(1, 9)) for s in rng.sample(SKILLS[skill_language], 2)
        )
        recorded = rng.random() < 0.97
        people.append(
            dict(
                id=candidate_id,
                code=f"K-{candidate_id:08d}",
                full_name=f"{given} {surname}",
                iin=next(iins),
                status=status,
                institution_id=institution_id,
                birth_date=date(1965, 1, 1) + timedelta(days=rng.randrange(14_000)),
                release_date=today + timedelta(days=rng.randrange(30, 900))
                if institution_id
                else None,
                region_id=region_id,
                district_id=district_id,
                education="",
                skills=skills,
                languages="kk, ru",
                housing="",
                programme_notes="",
                available_from=today,
                consent=rng.random() < 0.9,
                offences_recorded=recorded,
                created_at=clock.now(),
                updated_at=clock.now(),
            )
        )
        for occupation_id in set(rng.choices(occupations, weights, k=rng.randrange(1, 4))):
            trades.append(dict(candidate_id=candidate_id, occupation_id=occupation_id))
        minors = rng.random() < AGAINST_MINORS[status]
        category = "sexual_minors" if minors else rng.choice(OFFENCES)
        if recorded:
            offences.append(
                dict(
                    candidate_id=candidate_id,
                    category_code=category,
                    article="",
                    convicted_on=today - timedelta(days=rng.randrange(200, 6000)),
                )
            )
        if rng.random() < 0.05:
            supervisions.append(
                dict(
                    candidate_id=candidate_id,
                    curfew_from=time(22),
                    curfew_to=time(6),
                    permitted_area=kato[:2],
                    no_alcohol=rng.random() < 0.5,
                    no_contact_minors=minors,
                    until=today + timedelta(days=rng.randrange(30, 2000)),
                )
            )
        if rng.random() < 0.05:
            contraindications.append(dict(candidate_id=candidate_id, condition_code="heavy"))
    _insert(conn, Candidate.__table__, people)
    _insert(conn, candidate_occupation, trades)
    _insert(conn, Offence.__table__, offences)
    _insert(conn, Supervision.__table__, supervisions)
    _insert(conn, candidate_contraindication, contraindications)
    _reset_sequence(conn, Candidate)
    return [row["id"] for row in people]


def generate(
    conn,
    employers: int = 5_000,
    vacancies: int = 20_000,
    candidates: int = 100_000,
    seed: int = 2026,
) -> dict[str, int]:
    """Insert the whole set in the caller's transaction; returns how many rows of each."""
    rng = random.Random(seed)
    employer_ids = insert_employers(conn, employers, rng)
    insert_vacancies(conn, vacancies, rng, employer_ids)
    insert_candidates(conn, candidates, rng)
    return {"employers": employers, "vacancies": vacancies, "candidates": candidates}
