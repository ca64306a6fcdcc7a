"""import jobs: an uploaded file's rows (encrypted) checked and imported by the background
worker, with the job's state and progress

Revision ID: 0028_import_jobs
Revises: 0029_page_generation
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

import portal.data_crypto
import portal.models_base

revision = "0028_import_jobs"
down_revision = "0029_page_generation"
branch_labels = None
depends_on = None

STATES = ("waiting_check", "checking", "waiting_import", "importing", "checked", "imported",
          "cancelled", "expired", "failed")


def upgrade():
    op.create_table(
        "import_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=True),
        sa.Column("total_rows", sa.Integer(), nullable=False),
        sa.Column("rows_done", sa.Integer(), nullable=False),
        sa.Column("rows_bad", sa.Integer(), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=True),
        sa.Column("refused", sa.Boolean(), nullable=False),
        sa.Column("created_at", portal.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", portal.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", portal.models_base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", portal.models_base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(sa.column("state").in_(STATES), name=op.f("ck_import_job_state")),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"],
                                name=op.f("fk_import_job_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_job")),
    )
    op.create_index(op.f("ix_import_job_user_id"), "import_job", ["user_id"], unique=False)
    op.create_table(
        "import_row",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("raw", portal.data_crypto.EncryptedText(), nullable=False),
        sa.Column("problems", portal.data_crypto.EncryptedText(), nullable=True),
        sa.Column("bad", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["import_job.id"],
                                name=op.f("fk_import_row_job_id_import_job"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_row")),
        sa.UniqueConstraint("job_id", "number", name=op.f("uq_import_row_job_id_number")),
    )
    op.create_index("ix_import_row_job_id_bad_number", "import_row", ["job_id", "bad", "number"],
                    unique=False)


def downgrade():
    op.drop_index("ix_import_row_job_id_bad_number", table_name="import_row")
    op.drop_table("import_row")
    op.drop_index(op.f("ix_import_job_user_id"), table_name="import_job")
    op.drop_table("import_job")
