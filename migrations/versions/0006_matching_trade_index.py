"""matching: index candidates' trades by occupation, then candidate (covering)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26

"""
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("candidate_occupation", schema=None) as batch_op:
        batch_op.drop_index("ix_candidate_occupation_occupation_id")
        batch_op.create_index("ix_candidate_occupation_holders", ["occupation_id", "candidate_id"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("candidate_occupation", schema=None) as batch_op:
        batch_op.drop_index("ix_candidate_occupation_holders")
        batch_op.create_index("ix_candidate_occupation_occupation_id", ["occupation_id"],
                              unique=False)
