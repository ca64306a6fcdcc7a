"""criminal code: the articles of both codes and their categories; offences keep code, part
and the victim's age, their category derived; old rows regraded where the article is graver

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

import portal.models_base
from portal.reference.criminal_code import (
    ArticleRow,
    derive,
    graver,
    primary,
    split_article,
)
from portal.reference.criminal_code_seed import CRIMINAL_ARTICLES

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "criminal_article",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=4), nullable=False),
        sa.Column("article", sa.String(length=8), nullable=False),
        sa.Column("part", sa.String(length=8), nullable=False),
        sa.Column("name_kk", sa.String(length=400), nullable=False),
        sa.Column("name_ru", sa.String(length=400), nullable=False),
        sa.Column("category_code", sa.String(length=40), nullable=False),
        sa.Column("victim_age_decides", sa.Boolean(), nullable=False),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("edited_by_id", sa.Integer(), nullable=True),
        sa.Column("edited_at", portal.models_base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("code IN ('2014', '1997')", name=op.f("ck_criminal_article_code")),
        sa.ForeignKeyConstraint(["category_code"], ["offence_category.code"],
                                name=op.f("fk_criminal_article_category_code_offence_category")),
        sa.ForeignKeyConstraint(["edited_by_id"], ["user_account.id"],
                                name=op.f("fk_criminal_article_edited_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_criminal_article")),
        sa.UniqueConstraint("code", "article", "part",
                            name=op.f("uq_criminal_article_code_article_part")),
    )
    with op.batch_alter_table("offence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code", sa.String(length=4), nullable=True))
        batch_op.add_column(sa.Column("part", sa.String(length=8), nullable=False,
                                      server_default=""))
        batch_op.add_column(sa.Column("minor_victim", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("outside_listed", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column("regraded_from", sa.String(length=40), nullable=True))
    _regrade_existing_offences()


def _regrade_existing_offences():
    """Old rows have a category picked by hand and the article as free text, with no code: a
    row whose article is graver under either code (the victim's age unknown: a minor) takes
    the graver category, and keeps the one it had in regraded_from for the inspector to see.
    The table itself is filled by `flask reference load`; this reads the seed it loads."""
    rows = {code: [] for code in ("2014", "1997")}
    for code, article, part, category, victim_age, *_rest in CRIMINAL_ARTICLES:
        rows[code].append(ArticleRow(code, article, part, category, victim_age))
    offence = sa.table(
        "offence",
        sa.column("id", sa.Integer),
        sa.column("category_code", sa.String),
        sa.column("article", sa.String),
        sa.column("regraded_from", sa.String),
    )
    conn = op.get_bind()
    for offence_id, stored, text in conn.execute(
        sa.select(offence.c.id, offence.c.category_code, offence.c.article)
    ).all():
        article, part = split_article(text)
        found = stored
        for code_rows in rows.values():
            derived = derive(code_rows, article, part)
            if derived is not None:
                found = graver(found, primary(derived))
        if found != stored:
            conn.execute(
                offence.update()
                .where(offence.c.id == offence_id)
                .values(category_code=found, regraded_from=stored)
            )


def downgrade():
    with op.batch_alter_table("offence", schema=None) as batch_op:
        batch_op.drop_column("regraded_from")
        batch_op.drop_column("outside_listed")
        batch_op.drop_column("minor_victim")
        batch_op.drop_column("part")
        batch_op.drop_column("code")
    op.drop_table("criminal_article")
