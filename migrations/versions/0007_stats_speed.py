"""stats: index the people in work, and the vacancies of a district, for the dashboard

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26

"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

STARTED = sa.text("state IN ('hired', 'ended')")


def upgrade():
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.create_index("ix_placement_working", ["candidate_id", "hired_on", "ended_on"],
                              unique=False, postgresql_where=STARTED, sqlite_where=STARTED)
    with op.batch_alter_table("vacancy", schema=None) as batch_op:
        batch_op.create_index("ix_vacancy_district_stats", ["district_id", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("vacancy", schema=None) as batch_op:
        batch_op.drop_index("ix_vacancy_district_stats")
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.drop_index("ix_placement_working")
