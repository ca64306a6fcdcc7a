"""matching: index candidates' trades by occupation

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

"""
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("candidate_occupation", schema=None) as batch_op:
        batch_op.create_index("ix_candidate_occupation_occupation_id", ["occupation_id"], unique=False)


def downgrade():
    with op.batch_alter_table("candidate_occupation", schema=None) as batch_op:
        batch_op.drop_index("ix_candidate_occupation_occupation_id")
