"""second factor (TOTP secret, last step, recovery codes) and per-e-mail sign-in back-off;
every session ends, so no one stays signed in on a password alone

Revision ID: 0012_totp
Revises: 0010
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

import portal.models_base

revision = "0012_totp"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("totp_secret", sa.String(255), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
        batch.add_column(
            sa.Column("totp_enrolled_at", portal.models_base.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(255), nullable=False),
        sa.Column("used_at", portal.models_base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_recovery_code_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_code")),
    )
    op.create_index(op.f("ix_recovery_code_user_id"), "recovery_code", ["user_id"])
    op.create_table(
        "login_backoff",
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", portal.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("email", name=op.f("pk_login_backoff")),
    )
    # Sessions signed in before the second factor existed end: staff enrol at their next sign-in.
    op.execute("UPDATE user_account SET session_version = session_version + 1")


def downgrade():
    op.drop_table("login_backoff")
    op.drop_index(op.f("ix_recovery_code_user_id"), table_name="recovery_code")
    op.drop_table("recovery_code")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("totp_enrolled_at")
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_secret")
