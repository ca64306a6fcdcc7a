"""reference admin: retired districts, occupations, institutions and Criminal Code entries
(kept for old records, not offered for new ones), and the rules' legal-basis texts as an
administrator edited them

Revision ID: 0025_reference_admin
Revises: 0022_encryption
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

import portal.models_base

revision = "0025_reference_admin"
down_revision = "0022_encryption"
branch_labels = None
depends_on = None

RETIRABLE = ("district", "occupation", "institution", "criminal_article")


def upgrade():
    for table in RETIRABLE:  # ADD COLUMN, not a batch: SQLite would copy tables others refer to
        op.add_column(
            table, sa.Column("retired_at", portal.models_base.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "legal_basis_text",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("text_kk", sa.String(length=400), nullable=False),
        sa.Column("text_ru", sa.String(length=400), nullable=False),
        sa.Column("edited_by_id", sa.Integer(), nullable=False),
        sa.Column("edited_at", portal.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["edited_by_id"], ["user_account.id"],
                                name=op.f("fk_legal_basis_text_edited_by_id_user_account")),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_legal_basis_text")),
    )


def downgrade():
    op.drop_table("legal_basis_text")
    for table in RETIRABLE:
        # In place on SQLite too (DROP COLUMN, SQLite 3.35+): no copy of a referred-to table.
        with op.batch_alter_table(table, recreate="never") as batch:
            batch.drop_column("retired_at")
