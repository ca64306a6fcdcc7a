"""Employer organisations and their vacancies."""

from datetime import date, datetime, time

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from portal import clock
from portal.extensions import db
from portal.models_base import UTCDateTime, in_user_language, one_of

EMPLOYER_KINDS = ("sme", "rse_branch", "other")
EMPLOYER_KIND_LABELS = {
    "sme": _l("Small or medium business"),
    "rse_branch": _l("RSE «Еңбек» branch workshop"),
    "other": _l("Other organisation"),
}
# Employers whose workplaces may take prisoners of an institution, and may have a production on
# its land (docs/design.md, "Employers and their workplaces").
INSTITUTION_KINDS = ("rse_branch", "sme")
EMPLOYER_STATUSES = ("pending", "approved", "rejected")
VACANCY_STATUSES = ("draft", "published", "closed")


class Employer(db.Model):
    __tablename__ = "employer"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    bin: so.Mapped[str] = so.mapped_column(sa.String(12), unique=True)
    name_kk: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    name_ru: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    kind: so.Mapped[str] = so.mapped_column(sa.String(20))
    region_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("region.id"), index=True)
    district_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("district.id"), index=True)
    address: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    contact_person: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    phone: so.Mapped[str] = so.mapped_column(sa.String(40), default="")
    email: so.Mapped[str] = so.mapped_column(sa.String(254), default="")
    headcount: so.Mapped[int] = so.mapped_column(default=0)
    # A workshop's places for prisoners (RSE branches, SME productions on institution land).
    workshop_capacity: so.Mapped[int | None]
    status: so.Mapped[str] = so.mapped_column(sa.String(20), default="pending", index=True)
    rejection_reason: so.Mapped[str | None] = so.mapped_column(sa.Text)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=clock.now)
    decided_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    decided_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("user_account.id", use_alter=True)
    )

    region = so.relationship("Region", lazy="joined")
    district = so.relationship("District", lazy="joined")
    vacancies: so.WriteOnlyMapped["Vacancy"] = so.relationship(back_populates="employer")

    __table_args__ = (
        one_of("kind", EMPLOYER_KINDS),
        one_of("status", EMPLOYER_STATUSES),
        sa.CheckConstraint("length(bin) = 12", name="bin_length"),
        sa.CheckConstraint("name_kk IS NOT NULL OR name_ru IS NOT NULL", name="has_name"),
        sa.CheckConstraint("headcount >= 0", name="headcount_not_negative"),
        sa.CheckConstraint(
            "workshop_capacity IS NULL OR workshop_capacity >= 0", name="capacity_not_negative"
        ),
    )

    @property
    def name(self) -> str:
        return in_user_language(self.name_kk, self.name_ru)


vacancy_condition = sa.Table(
    "vacancy_condition",
    db.metadata,
    sa.Column("vacancy_id", sa.ForeignKey("vacancy.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("condition_code", sa.ForeignKey("working_condition.code"), primary_key=True),
)
vacancy_activity = sa.Table(
    "vacancy_activity",
    db.metadata,
    sa.Column("vacancy_id", sa.ForeignKey("vacancy.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("activity_code", sa.ForeignKey("activity.code"), primary_key=True),
)
vacancy_place_type = sa.Table(
    "vacancy_place_type",
    db.metadata,
    sa.Column("vacancy_id", sa.ForeignKey("vacancy.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("place_type_code", sa.ForeignKey("place_type.code"), primary_key=True),
)
# Institutions whose prisoners may work at this vacancy (empty: an outside job).
vacancy_institution = sa.Table(
    "vacancy_institution",
    db.metadata,
    sa.Column("vacancy_id", sa.ForeignKey("vacancy.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("institution_id", sa.ForeignKey("institution.id"), primary_key=True),
)


class Vacancy(db.Model):
    __tablename__ = "vacancy"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    employer_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("employer.id"), index=True)
    occupation_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("occupation.id"), index=True)
    title_kk: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    title_ru: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    description_kk: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    description_ru: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    district_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("district.id"), index=True)
    address: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    places: so.Mapped[int] = so.mapped_column(default=1)
    wage: so.Mapped[int] = so.mapped_column(sa.BigInteger, default=0)  # tenge per month
    # Local (Asia/Almaty) shift times; end before start means the shift crosses midnight.
    shift_start: so.Mapped[time | None]
    shift_end: so.Mapped[time | None]
    working_days: so.Mapped[str] = so.mapped_column(sa.String(7), default="12345")  # ISO weekdays
    starts_on: so.Mapped[date | None]
    closes_on: so.Mapped[date | None]
    sphere_code: so.Mapped[str] = so.mapped_column(sa.ForeignKey("sphere.code"))
    # Required answers with no default: NULL means "not answered", and the rules fail closed.
    with_minors: so.Mapped[bool | None]
    near_minors: so.Mapped[bool | None]
    # The employer's answer to "which activities does the job involve": some ticked, or "none of
    # these". An occupation that implies activities answers it too (vacancies.activities_answered).
    activities_answered: so.Mapped[bool] = so.mapped_column(default=False, server_default="0")
    alcohol: so.Mapped[bool] = so.mapped_column(default=False)
    travel: so.Mapped[bool] = so.mapped_column(default=False)
    status: so.Mapped[str] = so.mapped_column(sa.String(20), default="draft", index=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=clock.now)
    updated_at: so.Mapped[datetime] = so.mapped_column(
        UTCDateTime, default=clock.now, onupdate=clock.now
    )
    published_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    closed_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    employer: so.Mapped[Employer] = so.relationship(back_populates="vacancies", lazy="joined")
    occupation = so.relationship("Occupation", lazy="joined")
    district = so.relationship("District", lazy="joined")
    conditions = so.relationship("WorkingCondition", secondary=vacancy_condition, lazy="selectin")
    activities = so.relationship("Activity", secondary=vacancy_activity, lazy="selectin")
    place_types = so.relationship("PlaceType", secondary=vacancy_place_type, lazy="selectin")
    institutions = so.relationship("Institution", secondary=vacancy_institution, lazy="selectin")

    __table_args__ = (
        one_of("status", VACANCY_STATUSES),
        sa.CheckConstraint("places > 0", name="places_positive"),
        sa.CheckConstraint("wage >= 0", name="wage_not_negative"),
        sa.CheckConstraint("title_kk IS NOT NULL OR title_ru IS NOT NULL", name="has_title"),
        sa.CheckConstraint(
            "closes_on IS NULL OR starts_on IS NULL OR closes_on >= starts_on", name="dates_order"
        ),
        sa.CheckConstraint("(shift_start IS NULL) = (shift_end IS NULL)", name="shift_complete"),
        # A vacancy cannot be published until both minors questions are answered.
        sa.CheckConstraint(
            "status = 'draft' OR (with_minors IS NOT NULL AND near_minors IS NOT NULL)",
            name="minors_answered",
        ),
        # A territory's vacancies by district, from the index alone (the statistics).
        sa.Index("ix_vacancy_district_stats", "district_id", "id"),
    )

    @property
    def title(self) -> str:
        return in_user_language(self.title_kk, self.title_ru)
