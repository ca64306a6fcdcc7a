"""Bilingual reference data: territories (KATO), occupations (НКЗ), vocabularies, institutions."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from portal.extensions import db
from portal.models_base import BilingualName, UTCDateTime, one_of

CRIMINAL_CODES = ("2014", "1997")


class Retirable:
    """A row an administrator may retire: it stays readable on the records that name it and
    is no longer offered for new ones (reference/retiring.py)."""

    retired_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


class Region(BilingualName, db.Model):
    __tablename__ = "region"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    kato: so.Mapped[str] = so.mapped_column(sa.String(9), unique=True)
    name_kk: so.Mapped[str] = so.mapped_column(sa.String(120))
    name_ru: so.Mapped[str] = so.mapped_column(sa.String(120))

    districts: so.WriteOnlyMapped["District"] = so.relationship(back_populates="region")

    __table_args__ = (sa.CheckConstraint("length(kato) = 9", name="kato_length"),)


class District(Retirable, BilingualName, db.Model):
    __tablename__ = "district"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    region_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("region.id"), index=True)
    kato: so.Mapped[str] = so.mapped_column(sa.String(9), unique=True)
    name_kk: so.Mapped[str] = so.mapped_column(sa.String(120))
    name_ru: so.Mapped[str] = so.mapped_column(sa.String(120))

    region: so.Mapped[Region] = so.relationship(back_populates="districts")

    __table_args__ = (sa.CheckConstraint("length(kato) = 9", name="kato_length"),)


class OccupationGroup(BilingualName, db.Model):
    """НКЗ major (1 digit), sub-major (2) and minor (3) groups, for grouping in statistics."""

    __tablename__ = "occupation_group"
    code: so.Mapped[str] = so.mapped_column(sa.String(3), primary_key=True)
    name_kk: so.Mapped[str] = so.mapped_column(sa.String(200))
    name_ru: so.Mapped[str] = so.mapped_column(sa.String(200))


class Occupation(Retirable, BilingualName, db.Model):
    """An occupation of НК РК 01-2017 (e.g. 7533-0); the first four digits are the unit group."""

    __tablename__ = "occupation"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(6), unique=True)
    name_kk: so.Mapped[str] = so.mapped_column(sa.String(200))
    name_ru: so.Mapped[str] = so.mapped_column(sa.String(200))

    @property
    def unit_group(self) -> str:
        return self.code[:4]

    @property
    def minor_group(self) -> str:
        return self.code[:3]


class _Term(BilingualName):
    """A controlled vocabulary entry: a stable English code and labels in both languages."""

    code: so.Mapped[str] = so.mapped_column(sa.String(40), primary_key=True)
    name_kk: so.Mapped[str] = so.mapped_column(sa.String(300))
    name_ru: so.Mapped[str] = so.mapped_column(sa.String(300))
    position: so.Mapped[int] = so.mapped_column(default=0)


class OffenceCategory(_Term, db.Model):
    __tablename__ = "offence_category"


class Sphere(_Term, db.Model):
    __tablename__ = "sphere"


class Activity(_Term, db.Model):
    __tablename__ = "activity"


class WorkingCondition(_Term, db.Model):
    __tablename__ = "working_condition"


class PlaceType(_Term, db.Model):
    __tablename__ = "place_type"


SECURITY_LEVELS = ("minimum", "medium", "maximum", "mixed")


class Institution(Retirable, BilingualName, db.Model):
    """A penitentiary institution; its minimum-security prisoners work on approved sites only."""

    __tablename__ = "institution"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(40), unique=True)
    name_kk: so.Mapped[str] = so.mapped_column(sa.String(200))
    name_ru: so.Mapped[str] = so.mapped_column(sa.String(200))
    security_level: so.Mapped[str] = so.mapped_column(sa.String(20))
    region_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("region.id"), index=True)
    district_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("district.id"))

    region: so.Mapped[Region] = so.relationship()

    __table_args__ = (one_of("security_level", SECURITY_LEVELS),)


class CriminalArticle(Retirable, BilingualName, db.Model):
    """An article of the 2014 or the 1997 Criminal Code — or one of its parts, where the part
    decides — and the offence category it is (reference/criminal_code.py reads the table)."""

    __tablename__ = "criminal_article"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(4))
    article: so.Mapped[str] = so.mapped_column(sa.String(8))
    part: so.Mapped[str] = so.mapped_column(sa.String(8), default="")  # "" = whole article
    name_kk: so.Mapped[str] = so.mapped_column(sa.String(400))
    name_ru: so.Mapped[str] = so.mapped_column(sa.String(400))
    category_code: so.Mapped[str] = so.mapped_column(sa.ForeignKey("offence_category.code"))
    # Against a minor only where the victim was one (arts. 120, 121): the form asks.
    victim_age_decides: so.Mapped[bool] = so.mapped_column(default=False)
    needs_review: so.Mapped[bool] = so.mapped_column(default=True)  # not confirmed by a lawyer
    note: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    # Set when an administrator corrects the row: `flask reference load` then leaves it alone.
    edited_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id"))
    edited_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    category = so.relationship("OffenceCategory", lazy="joined")

    __table_args__ = (
        sa.UniqueConstraint("code", "article", "part"),
        one_of("code", CRIMINAL_CODES),
    )


class ReferenceCorrection(db.Model):
    """That an administrator corrected a district, occupation or institution (last by whom,
    when), so that `flask reference load` leaves its names as corrected; what changed is in
    the audit log. A table of its own: the reference tables keep their shape."""

    __tablename__ = "reference_correction"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    table_name: so.Mapped[str] = so.mapped_column(sa.String(40))
    row_id: so.Mapped[int]
    edited_by_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user_account.id"))
    edited_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)

    __table_args__ = (sa.UniqueConstraint("table_name", "row_id"),)


class LegalBasisText(db.Model):
    """A rule's legal basis as an administrator wrote it, in both languages, in place of the
    text shipped with the portal (matching/legal_basis.py); its history is in the audit log."""

    __tablename__ = "legal_basis_text"
    key: so.Mapped[str] = so.mapped_column(sa.String(40), primary_key=True)
    text_kk: so.Mapped[str] = so.mapped_column(sa.String(400))
    text_ru: so.Mapped[str] = so.mapped_column(sa.String(400))
    edited_by_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user_account.id"))
    edited_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
