"""Which institutions, productions and RSE branches a user's report and pages cover: the one
place this is decided. Inspectors keep the productions of their region's institutions (of
their own institution when bound to one); akimats read their territory's; administrators all."""

import sqlalchemy as sa

from portal.auth.models import ADMIN, AKIMAT, INSPECTOR, User
from portal.productions.models import Production
from portal.reference.models import Institution


def institution_filter(user: User) -> sa.ColumnElement[bool]:
    if user.role == ADMIN:
        return sa.true()
    if user.role == INSPECTOR:
        condition = Institution.region_id == user.region_id
        if user.institution_id is not None:
            condition = sa.and_(condition, Institution.id == user.institution_id)
        return condition
    if user.role == AKIMAT:
        if user.district_id is not None:
            return Institution.district_id == user.district_id
        return Institution.region_id == user.region_id
    return sa.false()  # employers and unknown roles: none


def production_filter(user: User) -> sa.ColumnElement[bool]:
    return Production.institution_id.in_(sa.select(Institution.id).where(institution_filter(user)))
