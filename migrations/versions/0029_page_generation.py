"""page generation: one counter every write transaction increments, the key of the pages
each worker keeps in memory (portal/page_cache.py)

Revision ID: 0029_page_generation
Revises: 0026_article_hash
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

revision = "0029_page_generation"
down_revision = "0026_article_hash"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "page_generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_generation")),
    )
    op.bulk_insert(table, [{"id": 1, "n": 0}])


def downgrade():
    op.drop_table("page_generation")
