"""productions: an employer's site on an institution's land (area, date of transfer,
products, places); its workers are counted from the vacancies open to the institution

Revision ID: 0020_productions
Revises: 0019_programmes
Create Date: 2026-12-01

"""
import sqlalchemy as sa
from alembic import op

import portal.models_base

revision = "0020_productions"
down_revision = "0019_programmes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "production",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("area_m2", sa.Integer(), nullable=False),
        sa.Column("transferred_on", sa.Date(), nullable=False),
        sa.Column("products", sa.String(length=500), nullable=False),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("created_at", portal.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", portal.models_base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("area_m2 > 0", name=op.f("ck_production_area_positive")),
        sa.CheckConstraint("places >= 0", name=op.f("ck_production_places_not_negative")),
        sa.ForeignKeyConstraint(["employer_id"], ["employer.id"],
                                name=op.f("fk_production_employer_id_employer")),
        sa.ForeignKeyConstraint(["institution_id"], ["institution.id"],
                                name=op.f("fk_production_institution_id_institution")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_production")),
        sa.UniqueConstraint("employer_id", "institution_id",
                            name=op.f("uq_production_employer_id_institution_id")),
    )
    with op.batch_alter_table("production", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_production_employer_id"), ["employer_id"])
        batch_op.create_index(batch_op.f("ix_production_institution_id"), ["institution_id"])


def downgrade():
    with op.batch_alter_table("production", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_production_institution_id"))
        batch_op.drop_index(batch_op.f("ix_production_employer_id"))
    op.drop_table("production")
