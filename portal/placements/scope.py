"""Which placements a user may see: the one place this is decided.

Employers see the placements on their own vacancies (and of a candidate only what the proposal
pages show); inspectors those of the candidates in their scope; administrators all. Akimats see
figures, never placements.
"""

import sqlalchemy as sa

from portal.auth.models import ADMIN, EMPLOYER, INSPECTOR, User
from portal.candidates.models import Candidate
from portal.candidates.scope import candidate_filter
from portal.employers.models import Vacancy
from portal.employers.scope import vacancy_filter
from portal.placements.models import Placement


def placement_filter(user: User) -> sa.ColumnElement[bool]:
    if user.role == ADMIN:
        return sa.true()
    if user.role == EMPLOYER:
        return Placement.vacancy_id.in_(sa.select(Vacancy.id).where(vacancy_filter(user)))
    if user.role == INSPECTOR:
        return Placement.candidate_id.in_(sa.select(Candidate.id).where(candidate_filter(user)))
    return sa.false()  # fail closed
