"""retention and the person's rights: when a record was anonymised (and why: its retention
period ended, or the person asked for erasure), the birth year kept in place of the birth
date, and the person's correction requests with their outcome

Revision ID: 0021_retention
Revises: 0020_productions
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

import portal.models_base

revision = "0021_retention"
down_revision = "0020_productions"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("candidate") as batch:
        batch.add_column(
            sa.Column("anonymised_at", portal.models_base.UTCDateTime(timezone=True), nullable=True)
        )
        batch.add_column(sa.Column("anonymised_kind", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("birth_year", sa.Integer(), nullable=True))
        batch.create_index(op.f("ix_candidate_anonymised_at"), ["anonymised_at"])
        batch.create_check_constraint(
            op.f("ck_candidate_anonymised_kind"),
            "anonymised_kind IS NULL OR anonymised_kind IN ('retention', 'erasure')",
        )
    op.create_table(
        "correction_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("asked", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", portal.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("outcome IN ('corrected', 'refused')",
                           name=op.f("ck_correction_request_outcome")),
        sa.CheckConstraint("outcome = 'corrected' OR reason != ''",
                           name=op.f("ck_correction_request_refusal_reason")),
        sa.ForeignKeyConstraint(["candidate_id"], ["candidate.id"], ondelete="CASCADE",
                                name=op.f("fk_correction_request_candidate_id_candidate")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user_account.id"],
                                name=op.f("fk_correction_request_recorded_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correction_request")),
    )
    op.create_index(op.f("ix_correction_request_candidate_id"), "correction_request",
                    ["candidate_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_correction_request_candidate_id"), table_name="correction_request")
    op.drop_table("correction_request")
    with op.batch_alter_table("candidate") as batch:
        batch.drop_constraint(op.f("ck_candidate_anonymised_kind"), type_="check")
        batch.drop_index(op.f("ix_candidate_anonymised_at"))
        batch.drop_column("birth_year")
        batch.drop_column("anonymised_kind")
        batch.drop_column("anonymised_at")
