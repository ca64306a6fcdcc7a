"""placement history: the hire that made a proposal obsolete as a reference (caused_by_id), and
the rules that excluded a person as a list of codes (rule_codes), no longer written into the
note ("hired:<id>", "code,code"); existing notes are converted

Revision ID: 0023_caused_by
Revises: 0024_timeout
Create Date: 2026-12-01

"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0023_caused_by"
down_revision = "0024_timeout"
branch_labels = None
depends_on = None

event = sa.table(
    "placement_event",
    sa.column("id", sa.Integer),
    sa.column("to_state", sa.String),
    sa.column("reason_code", sa.String),
    sa.column("user_id", sa.Integer),
    sa.column("note", sa.Text),
    sa.column("caused_by_id", sa.Integer),
    sa.column("rule_codes", sa.JSON(none_as_null=True)),
)
placement = sa.table("placement", sa.column("id", sa.Integer))
HIRED = re.compile(r"hired:(\d+)")
CODES = re.compile(r"[a-z0-9_]+(,[a-z0-9_]+)*")


def upgrade():
    with op.batch_alter_table("placement_event") as batch:
        batch.add_column(sa.Column("caused_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("rule_codes", sa.JSON(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_placement_event_caused_by_id_placement"), "placement", ["caused_by_id"], ["id"]
        )
    convert_notes(op.get_bind())


def convert_notes(conn) -> int:
    """Move the references and codes out of the notes; returns how many events changed."""
    changed = 0
    existing = set(conn.scalars(sa.select(placement.c.id)))
    # Obsolete because of a hire: the lifecycle wrote "hired:<id>" and nothing else.
    for row in conn.execute(
        sa.select(event.c.id, event.c.note).where(
            event.c.to_state == "obsolete", event.c.note.like("hired:%")
        )
    ).all():
        match = HIRED.fullmatch(row.note)
        if match and int(match.group(1)) in existing:
            conn.execute(
                event.update()
                .where(event.c.id == row.id)
                .values(caused_by_id=int(match.group(1)), note="")
            )
            changed += 1
    # Withdrawn by the portal (no user) as ineligible: the note held the rule codes only.
    for row in conn.execute(
        sa.select(event.c.id, event.c.note).where(
            event.c.to_state == "withdrawn",
            event.c.reason_code == "ineligible",
            event.c.user_id.is_(None),
            event.c.note != "",
        )
    ).all():
        if CODES.fullmatch(row.note):
            conn.execute(
                event.update()
                .where(event.c.id == row.id)
                .values(rule_codes=row.note.split(","), note="")
            )
            changed += 1
    return changed


def downgrade():
    restore_notes(op.get_bind())
    with op.batch_alter_table("placement_event") as batch:
        batch.drop_constraint(op.f("fk_placement_event_caused_by_id_placement"), type_="foreignkey")
        batch.drop_column("rule_codes")
        batch.drop_column("caused_by_id")


def restore_notes(conn) -> None:
    """The notes as 0017 wrote them, from the columns."""
    for row in conn.execute(
        sa.select(event.c.id, event.c.caused_by_id, event.c.rule_codes).where(
            sa.or_(event.c.caused_by_id.is_not(None), event.c.rule_codes.is_not(None))
        )
    ).all():
        note = f"hired:{row.caused_by_id}" if row.caused_by_id else ",".join(row.rule_codes or [])
        conn.execute(
            event.update()
            .where(event.c.id == row.id)
            .values(note=note, caused_by_id=None, rule_codes=None)
        )
