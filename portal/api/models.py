"""Personal API tokens: an administrator issues one to a user; the token acts as that user."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from portal import clock
from portal.extensions import db
from portal.models_base import UTCDateTime


class ApiToken(db.Model):
    """Only the SHA-256 of the secret is stored (the secret is shown once, when issued): a
    random 256-bit secret needs no slow hash, and a lookup by its digest is one index read."""

    __tablename__ = "api_token"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user_account.id"), index=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(100))
    digest: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    prefix: so.Mapped[str] = so.mapped_column(sa.String(12))  # shown in lists to tell tokens apart
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=clock.now)
    created_by_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user_account.id"))
    expires_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    revoked_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    revoked_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("user_account.id"))
    last_used_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    user = so.relationship("User", foreign_keys=[user_id], lazy="joined")

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at
