"""stats: covering indexes for the dashboard's aggregates over placements

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26

"""
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

STATS_COLUMNS = ["vacancy_id", "state", "hired_on", "ended_on", "proposed_at", "candidate_id",
                 "reason_code"]


def upgrade():
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.create_index("ix_placement_stats", STATS_COLUMNS, unique=False)
        batch_op.create_index("ix_placement_candidate_work",
                              ["candidate_id", "state", "hired_on", "ended_on"], unique=False)


def downgrade():
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.drop_index("ix_placement_candidate_work")
        batch_op.drop_index("ix_placement_stats")
