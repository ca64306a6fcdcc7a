"""offences' articles encrypted: the article, its part and a regraded record's old category
encrypted (the keys of DATA_ENCRYPTION_KEYS, read as the app reads them), with the code and
article's keyed hash by which a correction of the Criminal Code table finds them; workplace
checks' notes encrypted; audit_shown, the people each list showed, filled from the audit log

Revision ID: 0026_article_hash
Revises: 0025_reference_admin
Create Date: 2026-12-01

"""

import sqlalchemy as sa
from alembic import op
from flask import current_app

from portal import data_crypto
from portal.reference.criminal_code import article_key

revision = "0026_article_hash"
down_revision = "0025_reference_admin"
branch_labels = None
depends_on = None

BATCH = 500
# The encrypted columns, each with its type before (for the downgrade) and whether it is NULL-able.
ENCRYPTED = {
    "offence": {
        "article": (sa.String(length=40), False),
        "part": (sa.String(length=8), False),
        "regraded_from": (sa.String(length=40), True),
    },
    "workplace_check": {"note": (sa.String(length=1000), False)},
}
offence = sa.table(
    "offence",
    sa.column("id", sa.Integer),
    sa.column("code", sa.String),
    *(sa.column(name, sa.Text) for name in ENCRYPTED["offence"]),
    sa.column("article_key", sa.String),
)
workplace_check = sa.table(
    "workplace_check",
    sa.column("id", sa.Integer),
    *(sa.column(name, sa.Text) for name in ENCRYPTED["workplace_check"]),
)
TABLES = {"offence": offence, "workplace_check": workplace_check}
audit_log = sa.table("audit_log", sa.column("id", sa.Integer), sa.column("details", sa.JSON))
audit_shown = sa.table(
    "audit_shown", sa.column("candidate_id", sa.Integer), sa.column("audit_id", sa.Integer)
)


def _convert(conn, table, change) -> None:
    """Every row of `table` through `change(row) -> values`, in batches."""
    last = 0
    while True:
        rows = conn.execute(
            sa.select(table).where(table.c.id > last).order_by(table.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        for row in rows:
            conn.execute(sa.update(table).where(table.c.id == row.id).values(change(row)))
        last = rows[-1].id


def _fill_audit_shown(conn) -> None:
    """A row of audit_shown for each person each logged read showed."""
    last = 0
    while True:
        rows = conn.execute(
            sa.select(audit_log.c.id, audit_log.c.details)
            .where(audit_log.c.id > last, sa.cast(audit_log.c.details, sa.Text).contains('"shown"'))
            .order_by(audit_log.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        found = [
            {"candidate_id": person, "audit_id": row.id}
            for row in rows
            if isinstance(row.details, dict)
            for person in sorted(set(row.details.get("shown") or ()))
            if isinstance(person, int)
        ]
        if found:
            conn.execute(sa.insert(audit_shown), found)
        last = rows[-1].id


def _alter_types(table: str, to_text: bool) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for name, (before, nullable) in ENCRYPTED[table].items():
            batch_op.alter_column(
                name,
                type_=sa.Text() if to_text else before,
                existing_type=before if to_text else sa.Text(),
                existing_nullable=nullable,
            )


def upgrade():
    keys = data_crypto.keyring(current_app.config)
    conn = op.get_bind()
    op.add_column("offence", sa.Column("article_key", sa.String(length=64), nullable=True))
    for table in ENCRYPTED:
        # A Fernet token is about 1.4 times the text's UTF-8 bytes plus 76 characters.
        _alter_types(table, to_text=True)

    def encrypted(table: str):
        def change(row) -> dict:
            values = {
                name: None if getattr(row, name) is None else keys.encrypt(getattr(row, name))
                for name in ENCRYPTED[table]
            }
            if table == "offence":
                values["article_key"] = article_key(row.code, row.article, keys)
            return values

        return change

    for table in ENCRYPTED:
        _convert(conn, TABLES[table], encrypted(table))
    with op.batch_alter_table("offence", schema=None) as batch_op:
        batch_op.alter_column("article_key", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_index(batch_op.f("ix_offence_article_key"), ["article_key"], unique=False)
    op.create_table(
        "audit_shown",
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["audit_id"],
            ["audit_log.id"],
            name=op.f("fk_audit_shown_audit_id_audit_log"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("candidate_id", "audit_id", name=op.f("pk_audit_shown")),
    )
    _fill_audit_shown(conn)


def downgrade():
    keys = data_crypto.keyring(current_app.config)
    conn = op.get_bind()
    op.drop_table("audit_shown")

    def decrypted(table: str):
        return lambda row: {
            name: None if getattr(row, name) is None else keys.decrypt(getattr(row, name))
            for name in ENCRYPTED[table]
        }

    for table in ENCRYPTED:
        _convert(conn, TABLES[table], decrypted(table))
    with op.batch_alter_table("offence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offence_article_key"))
        batch_op.drop_column("article_key")
    for table in ENCRYPTED:
        _alter_types(table, to_text=False)
