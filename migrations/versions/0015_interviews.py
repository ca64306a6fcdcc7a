"""interviews: when and where (or by phone) each invited candidate meets the employer; the
inspector's note on a proposal; a work phone on each account

Revision ID: 0015_interviews
Revises: 0014_notifications
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

import portal.models_base

revision = "0015_interviews"
down_revision = "0014_notifications"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "interview",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", portal.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("by_phone", sa.Boolean(), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("booked_by_id", sa.Integer(), nullable=True),
        sa.Column("cancelled_at", portal.models_base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", portal.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("by_phone OR place <> ''", name=op.f("ck_interview_place_or_phone")),
        sa.ForeignKeyConstraint(
            ["booked_by_id"], ["user_account.id"], name=op.f("fk_interview_booked_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"], ["placement.id"], name=op.f("fk_interview_placement_id_placement")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview")),
        sa.UniqueConstraint("placement_id", name=op.f("uq_interview_placement_id")),
    )
    op.create_index("ix_interview_starts_at", "interview", ["starts_at"])
    with op.batch_alter_table("placement") as batch:
        batch.add_column(
            sa.Column("inspector_note", sa.String(length=500), nullable=False, server_default="")
        )
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("phone", sa.String(length=40), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("phone")
    with op.batch_alter_table("placement") as batch:
        batch.drop_column("inspector_note")
    op.drop_index("ix_interview_starts_at", table_name="interview")
    op.drop_table("interview")
