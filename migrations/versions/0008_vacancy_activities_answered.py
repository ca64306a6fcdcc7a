"""vacancy: whether the employer answered the activities question

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

A vacancy with declared activities has answered it; any other is unanswered until its employer
ticks activities or "none of these" (or its occupation implies activities, checked in the code).
"""
from alembic import op
import sqlalchemy as sa


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

vacancy = sa.table("vacancy", sa.column("id", sa.Integer), sa.column("activities_answered", sa.Boolean))
vacancy_activity = sa.table("vacancy_activity", sa.column("vacancy_id", sa.Integer))


def upgrade():
    # A plain constant default lets SQLite add the column in place. An expression (sa.false())
    # would make batch mode copy the table, and with foreign keys on, dropping the old copy
    # deletes the rows that cascade from it (the vacancy's activities, conditions…). The default
    # stays: a row written without the column is unanswered, which fails closed.
    with op.batch_alter_table("vacancy", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("activities_answered", sa.Boolean(), nullable=False, server_default="0")
        )
    op.execute(
        vacancy.update()
        .where(sa.exists().where(vacancy_activity.c.vacancy_id == vacancy.c.id))
        .values(activities_answered=True)
    )


def downgrade():
    # In place on SQLite too (ALTER TABLE … DROP COLUMN, SQLite 3.35+): no copy of the table.
    with op.batch_alter_table("vacancy", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("activities_answered")
