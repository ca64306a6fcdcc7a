"""Placements (a candidate put to a vacancy, followed to a job), their history, and quotas."""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
import sqlalchemy.orm as so

from portal import clock
from portal.data_crypto import EncryptedText
from portal.extensions import db
from portal.models_base import UTCDateTime, one_of
from portal.placements.vocabulary import PLACEMENT_STATES

QUOTA_CATEGORIES = ("released", "probation")
QUOTA_MODES = ("number", "percent")


class Placement(db.Model):
    __tablename__ = "placement"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    candidate_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("candidate.id"), index=True)
    vacancy_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("vacancy.id"), index=True)
    state: so.Mapped[str] = so.mapped_column(sa.String(20), default="proposed", index=True)
    part_time: so.Mapped[bool] = so.mapped_column(default=False)
    proposed_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=clock.now)
    proposed_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id"))
    hired_on: so.Mapped[date | None]
    ended_on: so.Mapped[date | None]
    reason_code: so.Mapped[str | None] = so.mapped_column(sa.String(40))  # decline/end/withdraw
    updated_at: so.Mapped[datetime] = so.mapped_column(
        UTCDateTime, default=clock.now, onupdate=clock.now
    )
    # Incremented by every transition, so a stale page's action is refused.
    version: so.Mapped[int] = so.mapped_column(default=1)
    # The inspector's short note to the employer (the employer reads it on the proposal).
    inspector_note: so.Mapped[str] = so.mapped_column(sa.String(500), default="")

    candidate = so.relationship("Candidate", lazy="joined")
    vacancy = so.relationship("Vacancy", lazy="joined")
    proposed_by = so.relationship("User", lazy="select", foreign_keys=[proposed_by_id])
    interview = so.relationship("Interview", lazy="select", uselist=False, viewonly=True)

    def earliest_start(self, today: date) -> date:
        """The hire form's start date: not before today, the vacancy's start or the day the
        person is available (an earlier one asks to confirm: HireForm.warnings)."""
        return max(today, self.vacancy.starts_on or today, self.candidate.available_from or today)

    __table_args__ = (
        one_of("state", PLACEMENT_STATES),
        sa.CheckConstraint(
            "state NOT IN ('hired', 'ended') OR hired_on IS NOT NULL", name="hired_on"
        ),
        sa.CheckConstraint("ended_on IS NULL OR ended_on >= hired_on", name="end_after_start"),
        sa.Index("ix_placement_vacancy_state", "vacancy_id", "state"),
        # The statistics read placements by vacancy (a territory) and by person (in work?)
        # from these indexes alone, never from the rows.
        sa.Index(
            "ix_placement_stats",
            "vacancy_id",
            "state",
            "hired_on",
            "ended_on",
            "proposed_at",
            "candidate_id",
            "reason_code",
        ),
        sa.Index("ix_placement_candidate_work", "candidate_id", "state", "hired_on", "ended_on"),
        # Is a person in work on a day? Only started placements can say yes: a small index
        # that a territory's few thousand people are looked up in, one by one.
        sa.Index(
            "ix_placement_working",
            "candidate_id",
            "hired_on",
            "ended_on",
            postgresql_where=sa.text("state IN ('hired', 'ended')"),
            sqlite_where=sa.text("state IN ('hired', 'ended')"),
        ),
    )


class Interview(db.Model):
    """The interview a placement's employer booked: when, where (or by phone), a note. Moving
    it changes this row; cancelling it stamps `cancelled_at`. One per placement."""

    __tablename__ = "interview"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    placement_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("placement.id"), unique=True)
    starts_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, index=True)
    by_phone: so.Mapped[bool] = so.mapped_column(default=False)
    place: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    note: so.Mapped[str] = so.mapped_column(sa.String(500), default="")
    booked_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id"))
    cancelled_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    updated_at: so.Mapped[datetime] = so.mapped_column(
        UTCDateTime, default=clock.now, onupdate=clock.now
    )

    __table_args__ = (sa.CheckConstraint("by_phone OR place <> ''", name="place_or_phone"),)


class PlacementEvent(db.Model):
    """One transition of a placement; append-only."""

    __tablename__ = "placement_event"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    placement_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("placement.id"), index=True)
    from_state: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    to_state: so.Mapped[str] = so.mapped_column(sa.String(20))
    at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=clock.now, index=True)
    on_date: so.Mapped[date | None]  # the day the step took effect (hire or end date)
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id"))
    reason_code: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    note: so.Mapped[str] = so.mapped_column(sa.Text, default="")  # what the person wrote
    # Obsolete: the placement whose hire made this one moot.
    caused_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("placement.id"))
    # Withdrawn as "ineligible" by the portal: the codes of the rules that excluded the person.
    rule_codes: so.Mapped[list[str] | None] = so.mapped_column(sa.JSON(none_as_null=True))

    __table_args__ = (one_of("to_state", PLACEMENT_STATES),)


class Quota(db.Model):
    """An akimat's quota of workplaces for one employer, year and category."""

    __tablename__ = "quota"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    employer_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("employer.id"), index=True)
    year: so.Mapped[int]
    category: so.Mapped[str] = so.mapped_column(sa.String(20))
    mode: so.Mapped[str] = so.mapped_column(sa.String(10))
    value: so.Mapped[Decimal] = so.mapped_column(sa.Numeric(7, 2))
    set_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id"))
    set_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=clock.now)

    __table_args__ = (
        sa.UniqueConstraint("employer_id", "year", "category"),
        one_of("category", QUOTA_CATEGORIES),
        one_of("mode", QUOTA_MODES),
        sa.CheckConstraint("value >= 0", name="value_not_negative"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
    )


RETENTION_MILESTONES = (3, 6, 12)  # months after the start date


class RetentionCheck(db.Model):
    """An inspector's check that a hired person still works there, 3, 6 or 12 months on."""

    __tablename__ = "retention_check"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    placement_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("placement.id"))
    milestone: so.Mapped[int]
    checked_on: so.Mapped[date]
    still_employed: so.Mapped[bool]
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user_account.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=clock.now)

    __table_args__ = (
        # Also the index for "the checks of this placement" (placement_id leads).
        sa.UniqueConstraint("placement_id", "milestone"),
        sa.CheckConstraint(
            f"milestone IN ({', '.join(map(str, RETENTION_MILESTONES))})", name="milestone"
        ),
    )


class WorkplaceCheck(db.Model):
    """Probation's check of a person's place of work: on a day, an inspector went (or rang)
    and found the person at work or not, with a note (encrypted at rest: portal/data_crypto.py).
    Staff only: employers never see these."""

    __tablename__ = "workplace_check"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    placement_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("placement.id"))
    checked_on: so.Mapped[date]
    found_at_work: so.Mapped[bool]
    note: so.Mapped[str] = so.mapped_column(EncryptedText, default="")
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user_account.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=clock.now)

    recorded_by = so.relationship("User", lazy="joined")

    __table_args__ = (
        # A placement's checks newest first, and the last one of each placement, from the index.
        sa.Index("ix_workplace_check_latest", "placement_id", "checked_on", "id"),
    )
