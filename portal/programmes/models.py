"""The programme of a record: one per person, its assessment items and its steps.

A step's state "done" carries the day it was done (steps done on time: done_on <= due_on);
"not possible" carries the reason. Overdue is not stored: due before today, neither done nor
not possible (`overdue`).
"""

from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from portal import clock
from portal.extensions import db
from portal.models_base import UTCDateTime, in_user_language, one_of
from portal.reference.models import _Term

ASSESSMENT_AREAS = {
    "health": _l("Health and ability to work"),
    "education": _l("Education and qualifications"),
    "housing": _l("Housing on release"),
    "identity_card": _l("Identity card"),
    "bank_account": _l("Bank account"),
    "cv": _l("CV"),
    "work_record": _l("Work record"),
    "family": _l("Family and dependants"),
    "other": _l("Other barriers"),
}
ASSESSMENT_STATES = {
    "not_assessed": _l("Not assessed"),
    "no_need": _l("No need"),
    "needs_help": _l("Needs help"),
    "done": _l("Done"),
}
NOT_ASSESSED = "not_assessed"

PLANNED, IN_PROGRESS, DONE, NOT_POSSIBLE = "planned", "in_progress", "done", "not_possible"
STEP_STATES = {
    PLANNED: _l("Planned"),
    IN_PROGRESS: _l("In progress"),
    DONE: _l("Done"),
    NOT_POSSIBLE: _l("Not possible"),
}
CLOSED = (DONE, NOT_POSSIBLE)  # a closed step is never overdue


class ProgrammeService(_Term, db.Model):
    """A service responsible for steps (labour placement inspectors, medical staff, NGOs…)."""

    __tablename__ = "programme_service"


class Programme(db.Model):
    __tablename__ = "programme"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    candidate_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("candidate.id", ondelete="CASCADE"), unique=True
    )
    # The template it was started from (portal/programmes/step_templates.py), or None.
    template_code: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    started_on: so.Mapped[date]
    started_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=clock.now)
    updated_at: so.Mapped[datetime] = so.mapped_column(
        UTCDateTime, default=clock.now, onupdate=clock.now
    )

    candidate = so.relationship("Candidate")
    started_by = so.relationship("User", lazy="joined")
    assessments: so.Mapped[list["Assessment"]] = so.relationship(
        back_populates="programme",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="Assessment.position",
    )
    steps: so.Mapped[list["ProgrammeStep"]] = so.relationship(
        back_populates="programme",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="[ProgrammeStep.due_on, ProgrammeStep.id]",
    )


class Assessment(db.Model):
    """One area of the person's needs, as assessed on `on_date`."""

    __tablename__ = "programme_assessment"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    programme_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("programme.id", ondelete="CASCADE")
    )
    area: so.Mapped[str] = so.mapped_column(sa.String(20))
    position: so.Mapped[int] = so.mapped_column(default=0)
    state: so.Mapped[str] = so.mapped_column(sa.String(20), default=NOT_ASSESSED)
    on_date: so.Mapped[date | None]
    note: so.Mapped[str] = so.mapped_column(sa.Text, default="")

    programme: so.Mapped[Programme] = so.relationship(back_populates="assessments")

    __table_args__ = (
        sa.UniqueConstraint("programme_id", "area"),
        one_of("area", tuple(ASSESSMENT_AREAS)),
        one_of("state", tuple(ASSESSMENT_STATES)),
    )


class ProgrammeStep(db.Model):
    __tablename__ = "programme_step"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    programme_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    # The template step it came from (None: added by hand); its title is copied in both languages.
    template_step: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    title_kk: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    title_ru: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    service_code: so.Mapped[str] = so.mapped_column(sa.ForeignKey("programme_service.code"))
    due_on: so.Mapped[date]
    state: so.Mapped[str] = so.mapped_column(sa.String(20), default=PLANNED)
    done_on: so.Mapped[date | None]
    reason: so.Mapped[str] = so.mapped_column(sa.Text, default="")  # why not possible
    outcome: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=clock.now)
    updated_at: so.Mapped[datetime] = so.mapped_column(
        UTCDateTime, default=clock.now, onupdate=clock.now
    )

    programme: so.Mapped[Programme] = so.relationship(back_populates="steps")
    service = so.relationship("ProgrammeService", lazy="joined")

    __table_args__ = (
        one_of("state", tuple(STEP_STATES)),
        sa.CheckConstraint("state <> 'done' OR done_on IS NOT NULL", name="done_has_date"),
        sa.CheckConstraint("state <> 'not_possible' OR reason <> ''", name="not_possible_reason"),
        sa.CheckConstraint("title_kk <> '' OR title_ru <> ''", name="has_title"),
        # The home page's lists: open steps by due date.
        sa.Index("ix_programme_step_open_due", "state", "due_on"),
    )

    @property
    def title(self) -> str:
        return in_user_language(self.title_kk, self.title_ru)

    def is_overdue(self, today: date) -> bool:
        return self.state not in CLOSED and self.due_on < today


def overdue(today: date) -> sa.ColumnElement[bool]:
    """The SQL form of ProgrammeStep.is_overdue."""
    return sa.and_(ProgrammeStep.state.not_in(CLOSED), ProgrammeStep.due_on < today)
