"""list indexes: the candidate list of a region read in id order off an index, and the
offences whose category was corrected (counted on every showing of the list) indexed apart

Revision ID: 0030_list_indexes
Revises: 0028_import_jobs
Create Date: 2026-12-02

"""
import sqlalchemy as sa
from alembic import op

revision = "0030_list_indexes"
down_revision = "0028_import_jobs"
branch_labels = None
depends_on = None

REGRADED = sa.text("regraded_from IS NOT NULL")


def upgrade():
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.drop_index("ix_candidate_region_id")
        batch_op.create_index("ix_candidate_region_list", ["region_id", "id"], unique=False)
    with op.batch_alter_table("offence", schema=None) as batch_op:
        batch_op.create_index("ix_offence_regraded", ["candidate_id"], unique=False,
                              postgresql_where=REGRADED, sqlite_where=REGRADED)


def downgrade():
    with op.batch_alter_table("offence", schema=None) as batch_op:
        batch_op.drop_index("ix_offence_regraded")
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.drop_index("ix_candidate_region_list")
        batch_op.create_index("ix_candidate_region_id", ["region_id"], unique=False)
