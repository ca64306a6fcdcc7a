"""retention checks: an inspector's follow-up of a hire at 3, 6 and 12 months

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('retention_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('milestone', sa.Integer(), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=False),
    sa.Column('still_employed', sa.Boolean(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('milestone IN (3, 6, 12)', name=op.f('ck_retention_check_milestone')),
    sa.ForeignKeyConstraint(['placement_id'], ['placement.id'], name=op.f('fk_retention_check_placement_id_placement')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_retention_check_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_check')),
    sa.UniqueConstraint('placement_id', 'milestone', name=op.f('uq_retention_check_placement_id_milestone'))
    )


def downgrade():
    op.drop_table('retention_check')
