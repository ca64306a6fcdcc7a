"""Demo history for the statistics dashboard: people placed over the last 15 months in Astana and
Karaganda, with their placements' history and this year's quotas. Deterministic and idempotent
(a second load finds the people by their codes and adds nothing)."""

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from portal import clock
from portal.candidates.consent import loaded_grant
from portal.candidates.identity import has_iin
from portal.candidates.models import Candidate
from portal.employers.models import Employer, Vacancy
from portal.extensions import db
from portal.placements.models import Placement, PlacementEvent, Quota
from portal.reference.identifiers import complete
from portal.reference.models import District, Occupation, Region

NAMES = [
    "Арман Сәрсенов",
    "Ирина Белова",
    "Данияр Оспанов",
    "Сергей Кузнецов",
    "Ботагөз Әлиева",
    "Мақсат Тоқтаров",
    "Андрей Павлов",
    "Жанар Есенова",
    "Руслан Ибраев",
    "Олжас Мұратов",
]
# (region KATO, districts, vacancies by title_ru, statuses) for each territory's people.
TERRITORIES = (
    (
        "710000000",
        ("711110000", "711210000", "711310000", "711410000"),
        (
            "Швея (дневная смена)",
            "Швея-мотористка (ночная смена)",
            "Коптильщик мяса",
            "Пекарь (ночная смена)",
        ),
        48,
    ),
    (
        "350000000",
        ("354000000", "352410000", "351010000"),
        ("Каменщик", "Рабочий кирпичного цеха", "Бетонщик"),
        30,
    ),
)
STATUSES = ["released"] * 5 + ["probation"] * 4 + ["min_security", "pre_release"]
DECLINES = ["no_experience", "failed_interview", "no_show", "schedule_mismatch", "position_filled"]
ENDS = ["completed", "quit", "dismissed", "moved", "health"]
QUOTAS = (
    ("21024001234", "released", 8),
    ("21024001234", "probation", 6),
    ("18114003456", "released", 2),
    ("16044006789", "probation", 2),
    ("98074100011", "released", 10),
    ("98074100011", "probation", 6),
    ("15034002345", "probation", 2),
)


def _iin(rng: random.Random) -> str:
    while True:
        born = date(1970, 1, 1) + timedelta(days=rng.randrange(12_000))
        number = complete(born.strftime("%y%m%d") + "3" + f"{rng.randrange(10_000):04d}")
        if number and not db.session.scalar(sa.select(Candidate.id).where(has_iin(number))):
            return number


def load_history(today: date | None = None) -> None:
    if db.session.scalar(sa.select(Candidate.id).where(Candidate.code == "K-20001")):
        return
    today = today or clock.today()
    rng = random.Random(2021)
    vacancies = {v.title_ru: v for v in db.session.scalars(sa.select(Vacancy))}
    districts = {d.kato: d for d in db.session.scalars(sa.select(District))}
    regions = {r.kato: r for r in db.session.scalars(sa.select(Region))}
    number = 20_000
    for region, places, titles, people in TERRITORIES:
        for _ in range(people):
            number += 1
            status = rng.choice(STATUSES)
            vacancy = vacancies[rng.choice(titles)]
            person = Candidate(
                code=f"K-{number}",
                full_name=rng.choice(NAMES),
                iin=_iin(rng),
                birth_date=date(1985, 1, 1),
                status=status,
                institution_id=None,
                region_id=regions[region].id,
                district_id=districts[rng.choice(places)].id,
                offences_recorded=True,
                skills="",
                languages="kk, ru",
                occupations=[db.session.get(Occupation, vacancy.occupation_id)],
            )
            if status in ("min_security", "pre_release"):
                person.status = "released"  # custody needs an institution: keep the demo simple
            db.session.add(person)
            db.session.flush()
            if rng.random() < 0.9:
                loaded_grant(person, today - timedelta(days=30 + number % 365))
            _placement(rng, person, vacancy, today)
    employers = {e.bin[:11]: e for e in db.session.scalars(sa.select(Employer))}
    for bin11, category, value in QUOTAS:
        employer = employers.get(bin11)
        if employer is not None and not db.session.scalar(
            sa.select(Quota.id).where(
                Quota.employer_id == employer.id,
                Quota.year == today.year,
                Quota.category == category,
            )
        ):
            db.session.add(
                Quota(
                    employer_id=employer.id,
                    year=today.year,
                    category=category,
                    mode="number",
                    value=Decimal(value),
                )
            )
    db.session.flush()


def _placement(rng: random.Random, person: Candidate, vacancy: Vacancy, today: date) -> None:
    proposed = today - timedelta(days=rng.randrange(20, 460))
    outcome = rng.choice(["hired"] * 4 + ["ended"] * 3 + ["declined"] * 3 + ["interview"])
    hired_on = ended_on = reason = None
    if outcome in ("hired", "ended"):
        hired_on = proposed + timedelta(days=rng.randrange(6, 40))
        if outcome == "ended":
            ended_on = hired_on + timedelta(days=rng.randrange(30, 300))
            if ended_on >= today:
                outcome, ended_on = "hired", None
            else:
                reason = rng.choice(ENDS)
    elif outcome == "declined":
        reason = rng.choice(DECLINES)
    moment = datetime.combine(proposed, time(5), UTC)
    placement = Placement(
        candidate_id=person.id,
        vacancy_id=vacancy.id,
        state=outcome,
        proposed_at=moment,
        hired_on=hired_on,
        ended_on=ended_on,
        reason_code=reason,
    )
    db.session.add(placement)
    db.session.flush()
    path = {
        "hired": ("proposed", "interview", "hired"),
        "declined": ("proposed", "declined"),
        "ended": ("proposed", "interview", "hired", "ended"),
        "interview": ("proposed", "interview"),
    }[outcome]
    previous = None
    for step, state in enumerate(path):
        on_date = {"hired": hired_on, "ended": ended_on}.get(state)
        at = datetime.combine(on_date, time(5), UTC) if on_date else moment + timedelta(days=step)
        db.session.add(
            PlacementEvent(
                placement_id=placement.id,
                from_state=previous,
                to_state=state,
                at=at,
                on_date=on_date,
                reason_code=reason if state == outcome else None,
            )
        )
        previous = state
