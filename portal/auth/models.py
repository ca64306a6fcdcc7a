"""Accounts, roles and scopes, and the audit log."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from portal import clock
from portal.extensions import db
from portal.models_base import UTCDateTime, one_of

ADMIN, INSPECTOR, EMPLOYER, AKIMAT = "admin", "inspector", "employer", "akimat"
ROLES = (ADMIN, INSPECTOR, EMPLOYER, AKIMAT)
# Roles that must sign in with a second factor; the others may turn one on.
SECOND_FACTOR_ROLES = (ADMIN, INSPECTOR)
ROLE_LABELS = {
    ADMIN: _l("Administrator"),
    INSPECTOR: _l("Reintegration inspector"),
    EMPLOYER: _l("Employer"),
    AKIMAT: _l("Local executive body (akimat)"),
}
LOCALES = ("kk", "ru")
# scrypt is Werkzeug's default; named here so the choice is explicit and testable.
PASSWORD_METHOD = "scrypt"


class User(db.Model):
    __tablename__ = "user_account"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    email: so.Mapped[str] = so.mapped_column(sa.String(254), unique=True)
    full_name: so.Mapped[str] = so.mapped_column(sa.String(200))
    # A work phone, shown to the employers of the proposals an inspector makes.
    phone: so.Mapped[str] = so.mapped_column(sa.String(40), default="")
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(255))
    role: so.Mapped[str] = so.mapped_column(sa.String(20))
    locale: so.Mapped[str | None] = so.mapped_column(sa.String(5))
    active: so.Mapped[bool] = so.mapped_column(default=True)
    # Part of the Flask-Login id: bumping it ends every session issued before.
    session_version: so.Mapped[int] = so.mapped_column(default=1)
    # Scope: inspector → region (+ institution); akimat → region (+ district); employer → employer.
    region_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("region.id"), index=True)
    district_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("district.id"))
    institution_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("institution.id"))
    employer_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("employer.id", use_alter=True), index=True
    )
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=clock.now)
    last_login_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    # Second factor (portal/auth/second_factor.py): the TOTP secret encrypted with
    # TOTP_ENCRYPTION_KEY, and the last time step used, so a code is accepted once.
    totp_secret: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    totp_last_step: so.Mapped[int | None] = so.mapped_column(sa.BigInteger)
    totp_enrolled_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    region = so.relationship("Region", lazy="joined")
    district = so.relationship("District", lazy="joined")
    institution = so.relationship("Institution", lazy="joined")
    employer = so.relationship("Employer", lazy="joined", foreign_keys=[employer_id])

    __table_args__ = (
        one_of("role", ROLES),
        one_of("locale", LOCALES),
        sa.CheckConstraint(
            "(role <> 'inspector' AND role <> 'akimat') OR region_id IS NOT NULL",
            name="staff_scope_region",
        ),
        sa.CheckConstraint(
            "(role = 'employer') = (employer_id IS NOT NULL)", name="employer_scope"
        ),
    )

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @staticmethod
    def hash_password(password: str) -> str:
        return generate_password_hash(password, method=PASSWORD_METHOD)

    def set_password(self, password: str) -> None:
        self.password_hash = self.hash_password(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def end_other_sessions(self) -> None:
        self.session_version += 1

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS[self.role])

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    @property
    def second_factor_required(self) -> bool:
        return self.role in SECOND_FACTOR_ROLES

    @property
    def has_second_factor(self) -> bool:
        return self.totp_secret is not None


class RecoveryCode(db.Model):
    """A one-use code that stands in for the second factor; only its hash is kept."""

    __tablename__ = "recovery_code"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    code_hash: so.Mapped[str] = so.mapped_column(sa.String(255))
    used_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)


class LoginBackoff(db.Model):
    """Failed sign-ins per typed e-mail (known or not, so it tells nothing about accounts)."""

    __tablename__ = "login_backoff"
    email: so.Mapped[str] = so.mapped_column(sa.String(254), primary_key=True)
    failures: so.Mapped[int] = so.mapped_column(default=0)
    last_failed_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)


class KeptForm(db.Model):
    """What a user had typed into a form when their session ended before it was sent
    (portal/auth/kept_forms.py): shown to that user only, pre-filled, once they sign in again.
    One per user; kept for KEPT_FORM_MINUTES. Never a password, a file or a CSRF token."""

    __tablename__ = "kept_form"
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    path: so.Mapped[str] = so.mapped_column(sa.String(2000))  # the form's page
    sent_to: so.Mapped[str] = so.mapped_column(sa.String(2000))  # the address it was sent to
    fields: so.Mapped[list] = so.mapped_column(sa.JSON)  # [[name, value], …] as sent
    kept_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)


class AuditEntry(db.Model):
    """Append-only record of who did or read what; never updated or deleted by the portal."""

    __tablename__ = "audit_log"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=clock.now, index=True)
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id"), index=True)
    action: so.Mapped[str] = so.mapped_column(sa.String(60), index=True)
    object_type: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    object_id: so.Mapped[int | None]
    ip: so.Mapped[str | None] = so.mapped_column(sa.String(45))
    details: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)

    user = so.relationship(User, lazy="joined")

    __table_args__ = (sa.Index("ix_audit_log_object", "object_type", "object_id"),)


class AuditShown(db.Model):
    """A person a page showed, by the audit row of that read (audit.read): the person's copy
    finds the lists someone appeared in by this table's key, not by reading every row's
    details. Append-only, as the log."""

    __tablename__ = "audit_shown"
    candidate_id: so.Mapped[int] = so.mapped_column(primary_key=True)
    audit_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("audit_log.id", ondelete="CASCADE"), primary_key=True
    )

    entry = so.relationship(AuditEntry)
