"""Keeping productions: each change one transaction, audited with what changed. The employer
must be an approved SME or RSE branch the user sees, the institution one of their scope, and
one production per employer and institution; a refusal writes nothing."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from portal.auth.audit import record
from portal.auth.models import User
from portal.database import write_transaction
from portal.employers.models import INSTITUTION_KINDS, Employer
from portal.employers.scope import employer_filter
from portal.extensions import db
from portal.productions.models import Production
from portal.productions.scope import institution_filter
from portal.reference.models import Institution

LOGGED = ("employer_id", "institution_id", "area_m2", "transferred_on", "products", "places")


class ProductionRefused(Exception):
    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field, self.message = field, message


def employer_choices(user: User, production: Production | None = None) -> list[Employer]:
    """Approved SMEs and RSE branches the user sees; a production's own employer stays a
    choice (it may since have been suspended or moved), so that its other fields can change."""
    offered = sa.and_(
        Employer.kind.in_(INSTITUTION_KINDS), Employer.status == "approved", employer_filter(user)
    )
    if production is not None:
        offered = sa.or_(offered, Employer.id == production.employer_id)
    return list(
        db.session.scalars(
            sa.select(Employer).where(offered).order_by(Employer.name_ru, Employer.id)
        )
    )


def institution_choices(user: User) -> list[Institution]:
    return list(
        db.session.scalars(
            sa.select(Institution).where(institution_filter(user)).order_by(Institution.code)
        )
    )


def _check(values: dict, user: User, production: Production | None) -> None:
    if values["employer_id"] not in {e.id for e in employer_choices(user, production)}:
        raise ProductionRefused("employer_id", _l("Choose one of the options in the list."))
    if values["institution_id"] not in {i.id for i in institution_choices(user)}:
        raise ProductionRefused("institution_id", _l("Choose one of the options in the list."))
    taken = sa.select(Production.id).where(
        Production.employer_id == values["employer_id"],
        Production.institution_id == values["institution_id"],
    )
    if production is not None:
        taken = taken.where(Production.id != production.id)
    if db.session.scalar(taken) is not None:
        raise ProductionRefused(
            "institution_id", _l("This employer already has a production at this institution.")
        )


def _loggable(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def create(values: dict, user: User) -> Production:
    with write_transaction():
        _check(values, user, None)
        production = Production(**values)
        db.session.add(production)
        db.session.flush()
        record(
            "production_created",
            production,
            user=user,
            **{name: _loggable(values[name]) for name in LOGGED},
        )
    return production


def update(production: Production, values: dict, user: User) -> list[str]:
    """Set the fields; returns the names of those that changed."""
    with write_transaction():
        _check(values, user, production)
        changed = {
            name: [_loggable(getattr(production, name)), _loggable(values[name])]
            for name in LOGGED
            if getattr(production, name) != values[name]
        }
        for name in changed:
            setattr(production, name, values[name])
        if changed:
            record("production_updated", production, user=user, changed=changed)
    return sorted(changed)


def delete(production: Production, user: User) -> None:
    with write_transaction():
        record(
            "production_deleted",
            production,
            user=user,
            **{name: _loggable(getattr(production, name)) for name in LOGGED},
        )
        db.session.delete(production)
