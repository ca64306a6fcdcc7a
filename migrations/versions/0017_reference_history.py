"""reference corrections: which districts, occupations and institutions an administrator
corrected (last by whom, when), so that reloading the seed keeps the correction; what
changed is in the audit log

Revision ID: 0017_reference_history
Revises: 0016_api_tokens
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

import portal.models_base

revision = "0017_reference_history"
down_revision = "0016_api_tokens"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reference_correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("edited_by_id", sa.Integer(), nullable=False),
        sa.Column("edited_at", portal.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["edited_by_id"], ["user_account.id"],
                                name=op.f("fk_reference_correction_edited_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_correction")),
        sa.UniqueConstraint("table_name", "row_id",
                            name=op.f("uq_reference_correction_table_name_row_id")),
    )


def downgrade():
    op.drop_table("reference_correction")
