"""consent on record: the history of each grant and withdrawal of a candidate's consent

Every candidate whose bare flag said "consents" gets one grant, marked as recorded before this
history existed (method "migrated", text version "1", dated the record's creation day in
Kazakhstan, recorded now by nobody), so that no consenting person has an empty history.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

"""
from datetime import UTC

import sqlalchemy as sa
from alembic import op

from portal import clock

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# The vocabulary as it is at this revision (portal/candidates/vocabulary.py may grow later).
KINDS = "kind IN ('grant', 'withdrawal')"
METHODS = "method IN ('paper_form', 'in_person', 'electronic_signature', 'migrated')"
BATCH = 1000

candidate = sa.table(
    "candidate",
    sa.column("id", sa.Integer),
    sa.column("consent", sa.Boolean),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
consent_event = sa.table(
    "consent_event",
    sa.column("candidate_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("on_date", sa.Date),
    sa.column("text_version", sa.String),
    sa.column("method", sa.String),
    sa.column("recorded_by_id", sa.Integer),
    sa.column("recorded_at", sa.DateTime(timezone=True)),
)


def upgrade():
    op.create_table(
        "consent_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("text_version", sa.String(length=20), nullable=True),
        sa.Column("method", sa.String(length=30), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(KINDS, name=op.f("ck_consent_event_kind")),
        sa.CheckConstraint(METHODS, name=op.f("ck_consent_event_method")),
        sa.CheckConstraint(
            "kind = 'withdrawal' OR text_version IS NOT NULL",
            name=op.f("ck_consent_event_grant_text_version"),
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"], ["candidate.id"],
            name=op.f("fk_consent_event_candidate_id_candidate"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user_account.id"],
            name=op.f("fk_consent_event_recorded_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_event")),
    )
    with op.batch_alter_table("consent_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consent_event_candidate_id"), ["candidate_id"], unique=False
        )
    migrate_consents(op.get_bind())


def migrate_consents(connection) -> int:
    """One migrated grant for each consenting candidate (none twice); returns how many."""
    now, last_id, written = clock.now(), 0, 0
    already = sa.select(consent_event.c.candidate_id)
    while True:
        rows = connection.execute(
            sa.select(candidate.c.id, candidate.c.created_at)
            .where(
                candidate.c.consent.is_(True),
                candidate.c.id > last_id,
                candidate.c.id.not_in(already),
            )
            .order_by(candidate.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return written
        connection.execute(
            consent_event.insert(),
            [
                {
                    "candidate_id": row.id,
                    "kind": "grant",
                    "on_date": clock.local_date(_aware(row.created_at)),
                    "text_version": "1",
                    "method": "migrated",
                    "recorded_by_id": None,
                    "recorded_at": now,
                }
                for row in rows
            ],
        )
        last_id, written = rows[-1].id, written + len(rows)


def _aware(moment):
    """SQLite returns the stored UTC time without its zone."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def downgrade():
    with op.batch_alter_table("consent_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consent_event_candidate_id"))
    op.drop_table("consent_event")
