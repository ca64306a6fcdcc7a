"""search outbox: changes the search index must follow

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26

Existing vacancies, candidates and employers are queued as upserts, so an index built by
replaying the outbox from the start holds everything already in the database.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('op', sa.String(length=6), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('vacancy', 'candidate', 'employer')", name=op.f('ck_search_outbox_kind')),
    sa.CheckConstraint("op IN ('upsert', 'delete')", name=op.f('ck_search_outbox_op')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_outbox'))
    )
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_outbox_created_at'), ['created_at'], unique=False)

    for kind, table in (("employer", "employer"), ("vacancy", "vacancy"), ("candidate", "candidate")):
        op.execute(
            "INSERT INTO search_outbox (kind, object_id, op, created_at) "
            f"SELECT '{kind}', id, 'upsert', CURRENT_TIMESTAMP FROM {table} ORDER BY id"
        )


def downgrade():
    with op.batch_alter_table('search_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_outbox_created_at'))

    op.drop_table('search_outbox')
