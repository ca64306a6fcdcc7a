"""notifications: what each user is told, the e-mail outbox the worker sends, each user's
e-mail choices; withdrawals gain the portal's own "no answer" reason (a code, no schema change)

Revision ID: 0014_notifications
Revises: 0012_totp
Create Date: 2026-12-01

"""

import sqlalchemy as sa
from alembic import op

import portal.models_base

revision = "0014_notifications"
down_revision = "0012_totp"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("object_type", sa.String(length=30), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("created_at", portal.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", portal.models_base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("dedupe", sa.String(length=80), nullable=True),
        sa.Column("digest_pending", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_notification_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
        sa.UniqueConstraint("user_id", "dedupe", name=op.f("uq_notification_user_id_dedupe")),
    )
    op.create_index("ix_notification_user_unread", "notification", ["user_id", "read_at"])
    op.create_index(
        "ix_notification_digest",
        "notification",
        ["user_id"],
        postgresql_where=sa.text("digest_pending"),
        sqlite_where=sa.text("digest_pending"),
    )
    op.create_table(
        "mail_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", portal.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", portal.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", portal.models_base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("state IN ('pending', 'sent')", name=op.f("ck_mail_outbox_state")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_mail_outbox_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_outbox")),
    )
    op.create_index("ix_mail_outbox_due", "mail_outbox", ["state", "next_attempt_at"])
    op.create_table(
        "notification_setting",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.Boolean(), nullable=False),
        sa.Column("email_off", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_notification_setting_user_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_setting")),
    )


def downgrade():
    op.drop_table("notification_setting")
    op.drop_index("ix_mail_outbox_due", table_name="mail_outbox")
    op.drop_table("mail_outbox")
    op.drop_index("ix_notification_digest", table_name="notification")
    op.drop_index("ix_notification_user_unread", table_name="notification")
    op.drop_table("notification")
