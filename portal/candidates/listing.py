"""The candidate list: the user's scope, then the filters of the list page."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from portal.auth.models import User
from portal.candidates.identity import identifier
from portal.candidates.models import Candidate
from portal.candidates.scope import candidate_filter
from portal.database import among
from portal.extensions import db
from portal.reference.models import Occupation
from portal.search.service import candidate_ids


def candidate_list_query(user: User, filters: dict) -> sa.Select:
    """Candidates in `user`'s scope matching `filters` (CandidateFilterForm.filters())."""
    query = (
        sa.select(Candidate)
        .where(candidate_filter(user))
        # Names are encrypted (portal/data_crypto.py), so SQL cannot sort by them: the list
        # runs in the order records were entered, and the search box finds a name.
        .order_by(Candidate.id)
        # The list shows the person and trades only; the sections must not load row by row.
        .options(
            so.raiseload(Candidate.offences),
            so.raiseload(Candidate.activity_bans),
            so.raiseload(Candidate.supervision),
            so.raiseload(Candidate.contraindications),
            so.defer(Candidate.programme_notes, raiseload=True),  # encrypted, not listed
        )
    )
    if filters.get("status"):
        query = query.where(Candidate.status == filters["status"])
    if filters.get("district"):
        query = query.where(Candidate.district_id == filters["district"])
    if filters.get("trade"):
        query = query.where(Candidate.occupations.any(Occupation.id == filters["trade"]))
    if filters.get("consent") in ("yes", "no"):
        query = query.where(Candidate.consent.is_(filters["consent"] == "yes"))
    if filters.get("unrecorded"):
        query = query.where(Candidate.offences_recorded.is_(False))
    if filters.get("q"):
        query = query.where(_matches(user, filters["q"]))
    return query


def _matches(user: User, text: str) -> sa.ColumnElement[bool]:
    """The code or the whole IIN exactly; otherwise what the search box finds (names in
    Cyrillic or Latin, prefixes, trades) or a part of the code as typed. Names are encrypted:
    the search index is what finds them."""
    exact = identifier(text)
    if exact is not None:
        return exact
    found = candidate_ids(user, text)
    return sa.or_(
        among(Candidate.id, found, db.session.get_bind().dialect.name) if found else sa.false(),
        sa.func.lower(Candidate.code).contains(text.lower(), autoescape=True),
    )
