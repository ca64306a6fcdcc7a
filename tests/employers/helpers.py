"""Form data for the employer tests: valid by default, each test overrides what it checks."""

from datetime import timedelta

import sqlalchemy as sa

from portal import clock
from portal.auth.models import AuditEntry, User
from portal.employers.models import Employer, Vacancy
from portal.extensions import db
from portal.reference.models import Occupation
from tests.helpers import PASSWORD, district

SEWING_SHOP_BIN = "190540045679"  # May 2019, resident legal entity, head office; valid check digit
RU = {"Accept-Language": "ru"}


def drop_none(data: dict) -> dict:
    return {key: value for key, value in data.items() if value is not None}


def registration_data(**overrides) -> dict:
    return drop_none(
        {
            "name_kk": "«Астана Тігін» ЖШС",
            "name_ru": "ТОО «Астана Тігін»",
            "bin": SEWING_SHOP_BIN,
            "kind": "sme",
            "district_id": district("711310000").id,
            "address": "Сарыарқа ауданы, Өндіріс көшесі, 12",
            "contact_person": "Гүлнар Ахметова",
            "phone": "+7 7172 55 12 40",
            "email": "info@tigin.kz",
            "headcount": "140",
            "workshop_capacity": "120",
            "login_email": "gulnar@tigin.kz",
            "password": PASSWORD,
            "confirm": PASSWORD,
            **overrides,
        }
    )


def occupation_id(code: str = "7533-0") -> int:
    return db.session.scalar(sa.select(Occupation.id).where(Occupation.code == code))


def vacancy_data(**overrides) -> dict:
    """A sewing vacancy with a night shift (22:00-06:00), answered minors and activities
    questions, published."""
    today = clock.today()
    return drop_none(
        {
            "occupation_id": occupation_id(),
            "title_kk": "Тігінші (түнгі ауысым)",
            "title_ru": "Швея (ночная смена)",
            "description_ru": "Пошив спецодежды.",
            "district_id": district("711310000").id,
            "address": "Өндіріс көшесі, 12",
            "places": "5",
            "wage": "210000",
            "shift_start": "22:00",
            "shift_end": "06:00",
            "working_days": ["1", "2", "3", "4", "5"],
            "starts_on": (today + timedelta(days=7)).isoformat(),
            "closes_on": (today + timedelta(days=60)).isoformat(),
            "sphere_code": "manufacturing",
            "condition_codes": ["night"],
            "no_activities": "y",  # the activities question: "None of these"
            "with_minors": "no",
            "near_minors": "no",
            "action": "publish",
            **overrides,
        }
    )


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def counts() -> tuple[int, int, int, int]:
    """Rows of everything a refused form must not write."""
    db.session.expire_all()
    return count(Employer), count(User), count(Vacancy), count(AuditEntry)


def audit(action: str) -> list[AuditEntry]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


def only_vacancy() -> Vacancy:
    db.session.expire_all()
    return db.session.scalars(sa.select(Vacancy)).one()
