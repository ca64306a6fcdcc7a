"""workplace checks: probation's checks of a person's place of work (the day, found at work
or not, a note), kept per placement for the inspectors

Revision ID: 0018_workplace_checks
Revises: 0017_reference_history
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

import portal.models_base

revision = "0018_workplace_checks"
down_revision = "0017_reference_history"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "workplace_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("found_at_work", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", portal.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["placement_id"], ["placement.id"],
            name=op.f("fk_workplace_check_placement_id_placement"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_workplace_check_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workplace_check")),
    )
    op.create_index(
        "ix_workplace_check_latest", "workplace_check", ["placement_id", "checked_on", "id"]
    )


def downgrade():
    op.drop_index("ix_workplace_check_latest", table_name="workplace_check")
    op.drop_table("workplace_check")
