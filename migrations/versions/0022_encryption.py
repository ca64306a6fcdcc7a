"""encryption at rest: candidates' names, IINs and programme notes encrypted (Fernet, the keys of
DATA_ENCRYPTION_KEYS read as the app reads them), the IIN's keyed hash for uniqueness and lookup;
the words typed to find a person sealed in the audit log

Revision ID: 0022_encryption
Revises: 0023_caused_by
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op
from flask import current_app

from portal import data_crypto
from portal.auth import audit

revision = "0022_encryption"
down_revision = "0023_caused_by"
branch_labels = None
depends_on = None

ENCRYPTED = ("full_name", "iin", "programme_notes")
BATCH = 500
candidate = sa.table(
    "candidate",
    sa.column("id", sa.Integer),
    *(sa.column(name, sa.Text) for name in ENCRYPTED),
    sa.column("iin_hash", sa.String),
)

audit_log = sa.table("audit_log", sa.column("id", sa.Integer), sa.column("details", sa.JSON))


def _convert_audit(conn, holding: str, change) -> None:
    """The audit rows whose details mention `holding`, through `change(details)`."""
    last = 0
    while True:
        rows = conn.execute(
            sa.select(audit_log.c.id, audit_log.c.details)
            .where(audit_log.c.id > last, sa.cast(audit_log.c.details, sa.Text).contains(holding))
            .order_by(audit_log.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        for row in rows:
            details = change(row.details)
            if details != row.details:
                conn.execute(
                    sa.update(audit_log).where(audit_log.c.id == row.id).values(details=details)
                )
        last = rows[-1].id


def _convert(conn, change) -> None:
    """Every candidate row's encrypted columns through `change(row) -> values`, in batches."""
    last = 0
    while True:
        rows = conn.execute(
            sa.select(candidate.c.id, *(candidate.c[name] for name in ENCRYPTED))
            .where(candidate.c.id > last)
            .order_by(candidate.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        for row in rows:
            conn.execute(sa.update(candidate).where(candidate.c.id == row.id).values(change(row)))
        last = rows[-1].id


def _sealer(keys):
    return lambda details: audit.sealed(details, keys) if isinstance(details, dict) else details


def upgrade():
    keys = data_crypto.keyring(current_app.config)
    op.add_column("candidate", sa.Column("iin_hash", sa.String(length=64), nullable=True))
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_candidate_iin"), type_="unique")
        batch_op.drop_constraint(batch_op.f("ck_candidate_iin_length"), type_="check")
        # A Fernet token is about 1.4 times the text's UTF-8 bytes plus 76 characters.
        batch_op.alter_column("full_name", type_=sa.Text(), existing_nullable=False)
        batch_op.alter_column("iin", type_=sa.Text(), existing_nullable=False)

    def encrypt(row):
        values = {name: keys.encrypt(getattr(row, name)) for name in ENCRYPTED}
        return {**values, "iin_hash": keys.keyed_hash(row.iin)}

    _convert(op.get_bind(), encrypt)
    for word in audit.TYPED:
        _convert_audit(op.get_bind(), f'"{word}"', _sealer(keys))
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.alter_column("iin_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_candidate_iin_hash"), ["iin_hash"])
        batch_op.create_check_constraint(
            batch_op.f("ck_candidate_iin_hash_length"), "length(iin_hash) = 64"
        )


def downgrade():
    keys = data_crypto.keyring(current_app.config)
    _convert(op.get_bind(), lambda row: {n: keys.decrypt(getattr(row, n)) for n in ENCRYPTED})
    _convert_audit(op.get_bind(), f'"{audit.SEALED}"', lambda details: audit.opened(details, keys))
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_candidate_iin_hash_length"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_candidate_iin_hash"), type_="unique")
        batch_op.drop_column("iin_hash")
        batch_op.alter_column("full_name", type_=sa.String(length=200), existing_nullable=False)
        batch_op.alter_column("iin", type_=sa.String(length=12), existing_nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_candidate_iin"), ["iin"])
        batch_op.create_check_constraint(batch_op.f("ck_candidate_iin_length"), "length(iin) = 12")
