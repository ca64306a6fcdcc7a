"""The search outbox: one row per change that the search index must follow.

Written in the same transaction as the change (portal/search/outbox.py), read by the sync
(portal/search/index.py). Rows are kept after they are applied — every node of a cluster reads
them from its own last applied id — until `flask search prune` removes old ones.
"""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from portal import clock
from portal.extensions import db
from portal.models_base import UTCDateTime, one_of

KINDS = ("vacancy", "candidate", "employer")
OPS = ("upsert", "delete")


class SearchOutbox(db.Model):
    __tablename__ = "search_outbox"
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(10))
    object_id: so.Mapped[int]
    op: so.Mapped[str] = so.mapped_column(sa.String(6))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=clock.now, index=True)

    __table_args__ = (one_of("kind", KINDS), one_of("op", OPS))
