"""A production: an employer's site on the land of a penitentiary institution."""

from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from portal import clock
from portal.extensions import db
from portal.models_base import UTCDateTime


class Production(db.Model):
    """An SME's (or an RSE branch's) site at an institution. Its workers are not a link of their
    own: they are the people in work in the employer's vacancies open to the institution's
    prisoners (`vacancy_institution`), so one site per employer and institution."""

    __tablename__ = "production"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    employer_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("employer.id"), index=True)
    institution_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("institution.id"), index=True)
    area_m2: so.Mapped[int]  # the land transferred, whole square metres
    transferred_on: so.Mapped[date]  # the day the land was transferred: the production opened
    products: so.Mapped[str] = so.mapped_column(sa.String(500), default="")
    places: so.Mapped[int] = so.mapped_column(default=0)  # workplaces for prisoners
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=clock.now)
    updated_at: so.Mapped[datetime] = so.mapped_column(
        UTCDateTime, default=clock.now, onupdate=clock.now
    )

    employer = so.relationship("Employer", lazy="joined")
    institution = so.relationship("Institution", lazy="joined")

    __table_args__ = (
        sa.UniqueConstraint("employer_id", "institution_id"),
        sa.CheckConstraint("area_m2 > 0", name="area_positive"),
        sa.CheckConstraint("places >= 0", name="places_not_negative"),
    )
