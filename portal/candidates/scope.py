"""Which candidate records a user may see: the one place this is decided.

Only inspectors (of the record's region, and of its institution when the inspector is bound to
one) and administrators see candidate records; employers and akimats never do.
"""

import sqlalchemy as sa

from portal.auth.models import ADMIN, INSPECTOR, User
from portal.candidates.models import Candidate


def candidate_filter(user: User) -> sa.ColumnElement[bool]:
    if user.role == ADMIN:
        return sa.true()
    if user.role == INSPECTOR:
        condition = Candidate.region_id == user.region_id
        if user.institution_id is not None:
            condition = sa.and_(condition, Candidate.institution_id == user.institution_id)
        return condition
    return sa.false()


def visible_candidates(user: User) -> sa.Select:
    return sa.select(Candidate).where(candidate_filter(user))
