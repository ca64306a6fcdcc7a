"""kept forms: what a user typed into a form when their session ended, until they sign in again

Revision ID: 0024_timeout
Revises: 0021_retention
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

import portal.models_base

revision = "0024_timeout"
down_revision = "0021_retention"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "kept_form",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=2000), nullable=False),
        sa.Column("sent_to", sa.String(length=2000), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("kept_at", portal.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE",
                                name=op.f("fk_kept_form_user_id_user_account")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_kept_form")),
    )


def downgrade():
    op.drop_table("kept_form")
