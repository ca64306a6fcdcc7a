"""Candidate records kept by inspectors: offences, court bans, supervision, medical limits,
and the history of the person's consent."""

from datetime import date, datetime, time

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from portal import clock
from portal.candidates.vocabulary import (
    CANDIDATE_STATUS_LABELS,  # noqa: F401  (imported from here by older callers)
    CANDIDATE_STATUSES,
    CONSENT_KINDS,
    CONSENT_METHODS,
    WITHDRAWAL,
)
from portal.data_crypto import EncryptedText, keyed_hash
from portal.extensions import db
from portal.models_base import UTCDateTime, one_of
from portal.reference import criminal_code

candidate_occupation = sa.Table(
    "candidate_occupation",
    db.metadata,
    sa.Column("candidate_id", sa.ForeignKey("candidate.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("occupation_id", sa.ForeignKey("occupation.id"), primary_key=True),
    # Matching finds the people with a trade of the vacancy's group from this index alone.
    sa.Index("ix_candidate_occupation_holders", "occupation_id", "candidate_id"),
)
# Working conditions the candidate's medical opinion rules out.
candidate_contraindication = sa.Table(
    "candidate_contraindication",
    db.metadata,
    sa.Column("candidate_id", sa.ForeignKey("candidate.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("condition_code", sa.ForeignKey("working_condition.code"), primary_key=True),
)
supervision_place = sa.Table(
    "supervision_place",
    db.metadata,
    sa.Column(
        "supervision_id", sa.ForeignKey("supervision.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("place_type_code", sa.ForeignKey("place_type.code"), primary_key=True),
)


def _hash_of_inserted(context) -> str:
    """An insert that names no hash (a Core insert) gets the one of the IIN it inserts."""
    return keyed_hash(context.get_current_parameters()["iin"])


class Candidate(db.Model):
    __tablename__ = "candidate"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    # What employers see instead of a name (e.g. "K-4F7Q2M").
    code: so.Mapped[str] = so.mapped_column(sa.String(12), unique=True)
    # Encrypted at rest (portal/data_crypto.py): SQL neither compares nor sorts these.
    full_name: so.Mapped[str] = so.mapped_column(EncryptedText)
    iin: so.Mapped[str] = so.mapped_column(EncryptedText)
    # The IIN's keyed hash, for uniqueness and exact lookup (identity.has_iin); set with `iin`.
    iin_hash: so.Mapped[str] = so.mapped_column(
        sa.String(64), unique=True, default=_hash_of_inserted
    )
    birth_date: so.Mapped[date | None]
    status: so.Mapped[str] = so.mapped_column(sa.String(20), index=True)
    institution_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("institution.id"), index=True
    )
    release_date: so.Mapped[date | None]
    # Scope: the region whose inspectors keep the record; residence is a district of it or not.
    region_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("region.id"))
    district_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("district.id"), index=True)
    education: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    skills: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    languages: so.Mapped[str] = so.mapped_column(sa.String(100), default="")
    housing: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    programme_notes: so.Mapped[str] = so.mapped_column(EncryptedText, default="")
    available_from: so.Mapped[date | None]
    # The state the consent history (ConsentEvent) left, for lists and SQL filters; written
    # only with an entry of that history, by portal/candidates/consent.py.
    consent: so.Mapped[bool] = so.mapped_column(default=False)
    # False until an inspector has filled the offence section: the rules then fail closed.
    offences_recorded: so.Mapped[bool] = so.mapped_column(default=False)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=clock.now)
    updated_at: so.Mapped[datetime] = so.mapped_column(
        UTCDateTime, default=clock.now, onupdate=clock.now
    )
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id"))
    # Set when the person's identity was removed (portal/candidates/anonymise.py): at the end of
    # the retention period ("retention") or on the person's request ("erasure"). The record
    # then keeps only what the statistics count; its birth date survives as the year.
    anonymised_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime, index=True)
    anonymised_kind: so.Mapped[str | None] = so.mapped_column(sa.String(10))
    birth_year: so.Mapped[int | None]

    institution = so.relationship("Institution", lazy="joined")
    region = so.relationship("Region")
    district = so.relationship("District", lazy="joined")
    occupations = so.relationship("Occupation", secondary=candidate_occupation, lazy="selectin")
    contraindications = so.relationship(
        "WorkingCondition", secondary=candidate_contraindication, lazy="selectin"
    )
    offences: so.Mapped[list["Offence"]] = so.relationship(
        back_populates="candidate", cascade="all, delete-orphan", lazy="selectin"
    )
    activity_bans: so.Mapped[list["ActivityBan"]] = so.relationship(
        back_populates="candidate", cascade="all, delete-orphan", lazy="selectin"
    )
    supervision: so.Mapped["Supervision | None"] = so.relationship(
        back_populates="candidate", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def shown_name(self) -> str:
        """The name as pages show it: an anonymised record has none left."""
        return self.full_name if self.anonymised_at is None else str(_l("Anonymised record"))

    __table_args__ = (
        # An inspector's list (their region, in id order) reads its page off this index
        # instead of sorting the region's thousands of records for each page.
        sa.Index("ix_candidate_region_list", "region_id", "id"),
        one_of("status", CANDIDATE_STATUSES),
        sa.CheckConstraint("length(iin_hash) = 64", name="iin_hash_length"),
        sa.CheckConstraint(
            "anonymised_kind IS NULL OR anonymised_kind IN ('retention', 'erasure')",
            name="anonymised_kind",
        ),
        # Someone in custody belongs to an institution.
        sa.CheckConstraint(
            "status NOT IN ('min_security', 'pre_release') OR institution_id IS NOT NULL",
            name="custody_institution",
        ),
    )


@sa.event.listens_for(Candidate.iin, "set")
def _hash_with_iin(candidate: Candidate, value: str | None, _old, _initiator) -> None:
    candidate.iin_hash = None if value is None else keyed_hash(value)


def _article_key_of_inserted(context) -> str:
    """An insert that names no key (a Core insert) gets the one of the code and article it
    inserts."""
    values = context.get_current_parameters()
    return criminal_code.article_key(values.get("code"), values.get("article"))


class Offence(db.Model):
    """One conviction. The article, its part and a regraded record's old category are encrypted
    at rest (portal/data_crypto.py): a leaked database file does not say who was convicted
    under which article. The category stays in clear: the rules filter on it in SQL."""

    __tablename__ = "offence"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    candidate_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("candidate.id", ondelete="CASCADE"), index=True
    )
    # Derived from the code, article, part and victim's age (reference/criminal_code.py).
    category_code: so.Mapped[str] = so.mapped_column(sa.ForeignKey("offence_category.code"))
    code: so.Mapped[str | None] = so.mapped_column(sa.String(4))  # "2014" or "1997"; None: old
    article: so.Mapped[str] = so.mapped_column(EncryptedText, default="")  # Criminal Code article
    part: so.Mapped[str] = so.mapped_column(EncryptedText, default="")
    # The code and article's keyed hash, by which a correction of the table finds the offences
    # of an article (criminal_code.article_key); set with `code` and `article`.
    article_key: so.Mapped[str] = so.mapped_column(
        sa.String(64), index=True, default=_article_key_of_inserted
    )
    minor_victim: so.Mapped[bool | None]  # asked where the victim's age decides; None: unknown
    # The inspector confirmed that an article the table does not list is outside its chapters.
    outside_listed: so.Mapped[bool] = so.mapped_column(default=False)
    # The category a record had before it was derived from its article (to be looked at).
    regraded_from: so.Mapped[str | None] = so.mapped_column(EncryptedText)
    convicted_on: so.Mapped[date | None]

    candidate: so.Mapped[Candidate] = so.relationship(back_populates="offences")
    category = so.relationship("OffenceCategory", lazy="joined")

    __table_args__ = (
        # The few offences to look at again, which the candidate list counts on every showing.
        sa.Index(
            "ix_offence_regraded",
            "candidate_id",
            postgresql_where=sa.text("regraded_from IS NOT NULL"),
            sqlite_where=sa.text("regraded_from IS NOT NULL"),
        ),
    )


@sa.event.listens_for(Offence.code, "set")
def _key_with_code(offence: Offence, value: str | None, _old, _initiator) -> None:
    offence.article_key = criminal_code.article_key(value, offence.article)


@sa.event.listens_for(Offence.article, "set")
def _key_with_article(offence: Offence, value: str | None, _old, _initiator) -> None:
    offence.article_key = criminal_code.article_key(offence.code, value)


class ActivityBan(db.Model):
    """A court ban on a post or activity; `until` is the last day, NULL for life."""

    __tablename__ = "activity_ban"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    candidate_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("candidate.id", ondelete="CASCADE"), index=True
    )
    activity_code: so.Mapped[str] = so.mapped_column(sa.ForeignKey("activity.code"))
    until: so.Mapped[date | None]

    candidate: so.Mapped[Candidate] = so.relationship(back_populates="activity_bans")
    activity = so.relationship("Activity", lazy="joined")


class Supervision(db.Model):
    """Administrative supervision ordered by a court; applies up to and including `until`."""

    __tablename__ = "supervision"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    candidate_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("candidate.id", ondelete="CASCADE"), unique=True
    )
    curfew_from: so.Mapped[time | None]  # local time; may cross midnight
    curfew_to: so.Mapped[time | None]
    permitted_area: so.Mapped[str | None] = so.mapped_column(sa.String(9))  # KATO prefix
    no_alcohol: so.Mapped[bool] = so.mapped_column(default=False)
    no_contact_minors: so.Mapped[bool] = so.mapped_column(default=False)
    until: so.Mapped[date | None]

    candidate: so.Mapped[Candidate] = so.relationship(back_populates="supervision")
    prohibited_places = so.relationship("PlaceType", secondary=supervision_place, lazy="selectin")

    __table_args__ = (
        sa.CheckConstraint("(curfew_from IS NULL) = (curfew_to IS NULL)", name="curfew_complete"),
    )


class ConsentEvent(db.Model):
    """A grant or withdrawal of a person's consent to be proposed to employers; append-only.

    `on_date` is the local day the person gave or withdrew it (their statement's date);
    `recorded_at` and `recorded_by` say when and by whom it was entered here. A grant names the
    version of the text agreed to (portal/candidates/consent_texts.py); a withdrawal, the
    version it withdraws (none when no grant is on record).
    """

    __tablename__ = "consent_event"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    candidate_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("candidate.id", ondelete="CASCADE"), index=True
    )
    kind: so.Mapped[str] = so.mapped_column(sa.String(10))
    on_date: so.Mapped[date]
    text_version: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    method: so.Mapped[str] = so.mapped_column(sa.String(30))
    recorded_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id"))
    recorded_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=clock.now)

    recorded_by = so.relationship("User", lazy="joined")

    __table_args__ = (
        one_of("kind", tuple(CONSENT_KINDS)),
        one_of("method", tuple(CONSENT_METHODS)),
        sa.CheckConstraint(
            f"kind = '{WITHDRAWAL}' OR text_version IS NOT NULL", name="grant_text_version"
        ),
    )


CORRECTION_OUTCOMES = {
    "corrected": _l("Corrected"),
    "refused": _l("Refused"),
}


class CorrectionRequest(db.Model):
    """A person's request to correct their record (Law "On personal data", art. 24): what they
    asked, the day they asked, and what was done — corrected, or refused with the reason.
    Kept on the record and listed in the person's copy."""

    __tablename__ = "correction_request"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    candidate_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("candidate.id", ondelete="CASCADE"), index=True
    )
    requested_on: so.Mapped[date]
    asked: so.Mapped[str] = so.mapped_column(sa.Text)
    outcome: so.Mapped[str] = so.mapped_column(sa.String(10))
    reason: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    recorded_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id"))
    recorded_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=clock.now)

    recorded_by = so.relationship("User", lazy="joined")

    __table_args__ = (
        one_of("outcome", tuple(CORRECTION_OUTCOMES)),
        sa.CheckConstraint("outcome = 'corrected' OR reason != ''", name="refusal_reason"),
    )
