"""An administrator's corrections of the names of districts (KATO), occupations (НКЗ) and
institutions, in both languages. One commit each, audited with what changed: the audit log
is each row's history."""

import sqlalchemy as sa

from portal import clock
from portal.auth.audit import record
from portal.auth.models import AuditEntry, User
from portal.database import write_transaction
from portal.extensions import db
from portal.reference.models import District, Institution, Occupation, ReferenceCorrection

KINDS = {"district": District, "occupation": Occupation, "institution": Institution}
FIELDS = ("name_kk", "name_ru")
ACTION = "reference_corrected"
# The actions that are a row's history (retiring.py writes the others).
HISTORY = (
    ACTION,
    "reference_added",
    "reference_retired",
    "reference_restored",
    "criminal_article_saved",
)


def save_names(row, values: dict, by: User) -> dict[str, list]:
    """Set the names; returns what changed, as {field: [old, new]}."""
    with write_transaction():
        changed = {
            name: [getattr(row, name), values[name]]
            for name in FIELDS
            if getattr(row, name) != values[name]
        }
        if changed:
            for name in FIELDS:
                setattr(row, name, values[name])
            mark_corrected(row, by)
            record(ACTION, row, user=by, changed=changed)
    return changed


def mark_corrected(row, by: User) -> None:
    mark = db.session.scalar(
        sa.select(ReferenceCorrection).where(
            ReferenceCorrection.table_name == row.__tablename__,
            ReferenceCorrection.row_id == row.id,
        )
    ) or ReferenceCorrection(table_name=row.__tablename__, row_id=row.id)
    mark.edited_by_id, mark.edited_at = by.id, clock.now()
    db.session.add(mark)


def history(row) -> list[AuditEntry]:
    return db.session.scalars(
        sa.select(AuditEntry)
        .where(
            AuditEntry.action.in_(HISTORY),
            AuditEntry.object_type == row.__tablename__,
            AuditEntry.object_id == row.id,
        )
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    ).all()
