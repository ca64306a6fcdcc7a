"""Which employers and vacancies a user may see: the one place this is decided."""

import sqlalchemy as sa

from portal.auth.models import ADMIN, AKIMAT, EMPLOYER, INSPECTOR, User
from portal.employers.models import Employer, Vacancy
from portal.reference.models import District


def employer_filter(user: User) -> sa.ColumnElement[bool]:
    if user.role == ADMIN:
        return sa.true()
    if user.role == EMPLOYER:
        return Employer.id == user.employer_id
    if user.role == INSPECTOR:
        return Employer.region_id == user.region_id
    if user.role == AKIMAT:
        if user.district_id is not None:
            return Employer.district_id == user.district_id
        return Employer.region_id == user.region_id
    return sa.false()  # fail closed: an unknown role sees nothing


def vacancy_filter(user: User) -> sa.ColumnElement[bool]:
    """Employers see their own; staff see vacancies whose workplace lies in their territory."""
    if user.role == ADMIN:
        return sa.true()
    if user.role == EMPLOYER:
        return Vacancy.employer_id == user.employer_id
    if user.role == AKIMAT and user.district_id is not None:
        return Vacancy.district_id == user.district_id
    if user.role in (INSPECTOR, AKIMAT):
        in_region = sa.select(District.id).where(District.region_id == user.region_id)
        return Vacancy.district_id.in_(in_region)
    return sa.false()


def visible_employers(user: User) -> sa.Select:
    return sa.select(Employer).where(employer_filter(user))


def visible_vacancies(user: User) -> sa.Select:
    return sa.select(Vacancy).where(vacancy_filter(user))
