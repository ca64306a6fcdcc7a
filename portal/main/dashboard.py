"""The figures on each role's home page, counted within the user's scope."""

import sqlalchemy as sa

from portal.auth.models import ADMIN, EMPLOYER, INSPECTOR, User
from portal.candidates.models import Candidate
from portal.candidates.scope import candidate_filter
from portal.employers.models import Employer, Vacancy
from portal.employers.scope import employer_filter, vacancy_filter
from portal.extensions import db


def _count(model, condition) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(condition))


def home_figures(user: User) -> dict[str, int]:
    figures = {
        "employers": _count(Employer, employer_filter(user)),
        "open_vacancies": _count(
            Vacancy, sa.and_(vacancy_filter(user), Vacancy.status == "published")
        ),
    }
    if user.role != EMPLOYER:
        figures["pending_employers"] = _count(
            Employer, sa.and_(employer_filter(user), Employer.status == "pending")
        )
    if user.role in (ADMIN, INSPECTOR):
        figures["candidates"] = _count(Candidate, candidate_filter(user))
    return figures
