"""Random creates, edits and deletes of what the search indexes, committed as a web request
would (shared by the in-process tests and the worker processes)."""

import random
from datetime import date, time

import sqlalchemy as sa

from portal.candidates.models import Candidate
from portal.database import write_transaction
from portal.employers.models import Employer, Vacancy
from portal.extensions import db
from portal.reference.models import District, Occupation

TITLES = [
    "Швея",
    "Тігінші",
    "Сварщик",
    "Дәнекерлеуші",
    "Каменщик",
    "Кірпіш қалаушы",
    "Повар",
    "Аспаз",
    "Грузчик",
    "Жүк тиеуші",
    "Бетонщик",
    "Наубайшы",
    "Пекарь",
    "tigınşı",
]
WORDS = [
    "спецодежда",
    "цех",
    "жұмыс",
    "ауысым",
    "смена",
    "пошив",
    "металл",
    "есік",
    "двери",
    "кірпіш",
    "бетон",
    "нан",
    "тамақ",
    "жатақхана",
    "общежитие",
    "оқыту",
    "обучение",
]
NAMES = [
    "Серік Ахметов",
    "Дмитрий Волков",
    "Айдос Нұрланов",
    "Мария Ким",
    "Ержан Тұрсынов",
    "Қанат Әбенов",
    "Наталья Орлова",
    "Асхат Жақыпов",
    "Gulnara Seitova",
    "Олег Миронов",
]


class Changes:
    def __init__(self, seed: int, tag: int = 0):
        self.rng = random.Random(seed)
        self.tag = tag  # keeps unique codes apart between processes
        self.serial = 0
        self.occupations = db.session.scalars(sa.select(Occupation.id)).all()
        self.districts = db.session.execute(sa.select(District.id, District.region_id)).all()

    def _number(self, width: int) -> str:
        self.serial += 1
        return f"{self.tag}{self.serial:0{width - 1}d}"[-width:]

    def _text(self, n: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(n))

    def _owned(self, model):
        """Rows this instance made (another process's rows are left alone)."""
        mine = Employer.email == f"w{self.tag}@changes.kz"
        if model is Employer:
            return mine
        if model is Vacancy:
            return Vacancy.employer_id.in_(sa.select(Employer.id).where(mine))
        return Candidate.code.startswith(f"K-{self.tag}")

    def _pick(self, model):
        ids = db.session.scalars(
            sa.select(model.id).where(self._owned(model)).order_by(model.id)
        ).all()
        return db.session.get(model, self.rng.choice(ids)) if ids else None

    def employer(self) -> Employer:
        district_id, region_id = self.rng.choice(self.districts)
        employer = Employer(
            bin=self._number(12),
            name_ru=f"ТОО «{self.rng.choice(TITLES)}»",
            name_kk=self.rng.choice([None, f"«{self.rng.choice(WORDS)}» ЖШС"]),
            kind="sme",
            region_id=region_id,
            district_id=district_id,
            status=self.rng.choice(["pending", "approved"]),
            email=f"w{self.tag}@changes.kz",
        )
        db.session.add(employer)
        return employer

    def vacancy(self) -> Vacancy | None:
        employer = self._pick(Employer)
        if employer is None:
            return None
        vacancy = Vacancy(
            employer_id=employer.id,
            occupation_id=self.rng.choice(self.occupations),
            title_ru=self.rng.choice(TITLES),
            title_kk=self.rng.choice([None, self.rng.choice(TITLES)]),
            description_ru=self._text(5),
            district_id=self.rng.choice(self.districts)[0],
            places=self.rng.randint(1, 5),
            sphere_code="manufacturing",
            shift_start=time(self.rng.choice([8, 22])),
            shift_end=time(self.rng.choice([6, 17])),
            with_minors=False,
            near_minors=False,
            status="published",
            starts_on=date(2026, 1, 1),
        )
        db.session.add(vacancy)
        return vacancy

    def candidate(self) -> Candidate:
        district_id, region_id = self.rng.choice(self.districts)
        number = self._number(12)
        candidate = Candidate(
            code=f"K-{self.tag}{self.serial:07d}",
            full_name=self.rng.choice(NAMES),
            iin=number,
            status="released",
            region_id=region_id,
            district_id=district_id,
            skills=self._text(3),
            offences_recorded=True,
        )
        candidate.occupations = [
            db.session.get(Occupation, o) for o in self.rng.sample(self.occupations, 2)
        ]
        db.session.add(candidate)
        return candidate

    def edit(self) -> None:
        choice = self.rng.randrange(7)
        if choice == 0 and (vacancy := self._pick(Vacancy)):
            vacancy.title_ru = self.rng.choice(TITLES) + " " + self._text(1)
        elif choice == 1 and (vacancy := self._pick(Vacancy)):
            vacancy.occupation_id = self.rng.choice(self.occupations)
            vacancy.status = self.rng.choice(["published", "closed"])
        elif choice == 2 and (candidate := self._pick(Candidate)):
            candidate.full_name = self.rng.choice(NAMES)
            candidate.skills = self._text(2)
        elif choice == 3 and (candidate := self._pick(Candidate)):
            candidate.occupations = [db.session.get(Occupation, self.rng.choice(self.occupations))]
            candidate.district_id, candidate.region_id = self.rng.choice(self.districts)
        elif choice == 4 and (employer := self._pick(Employer)):
            employer.name_ru = f"ТОО «{self.rng.choice(TITLES)} {self._text(1)}»"
        elif choice == 5 and (employer := self._pick(Employer)):
            db.session.execute(
                sa.update(Vacancy)
                .where(Vacancy.employer_id == employer.id)
                .values(description_ru=self._text(4))
            )
        elif choice == 6 and (vacancy := self._pick(Vacancy)):
            vacancy.district_id = self.rng.choice(self.districts)[0]

    def delete(self) -> None:
        choice = self.rng.randrange(3)
        if choice == 0 and (vacancy := self._pick(Vacancy)):
            db.session.delete(vacancy)
        elif choice == 1 and (candidate := self._pick(Candidate)):
            db.session.delete(candidate)
        elif choice == 2 and (employer := self._pick(Employer)):
            # A bulk ORM DELETE (Employer.vacancies is write-only: no unit-of-work delete).
            if not db.session.scalar(
                sa.select(Vacancy.id).where(Vacancy.employer_id == employer.id)
            ):
                db.session.execute(sa.delete(Employer).where(Employer.id == employer.id))

    def step(self) -> None:
        """One to three changes in one write transaction (committed at its end)."""
        with write_transaction():
            for _ in range(self.rng.randint(1, 3)):
                action = self.rng.choices(
                    [self.employer, self.vacancy, self.candidate, self.edit, self.delete],
                    weights=[1, 3, 3, 4, 2],
                )[0]
                action()
                db.session.flush()
