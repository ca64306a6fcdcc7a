"""Adding and retiring districts (KATO), occupations (НКЗ), institutions and entries of the
Criminal Code table. A retired row stays on the records that name it (and reads as before)
but is no longer offered for new ones: the forms' choices, the import and new offences
leave it out. Each change in write_transaction(), audited: the audit log is each row's history."""

from collections.abc import Iterable

import sqlalchemy as sa

from portal import clock
from portal.auth.audit import record
from portal.auth.models import User
from portal.database import write_transaction
from portal.extensions import db
from portal.reference.corrections import mark_corrected
from portal.reference.models import CriminalArticle, District, Institution, Occupation

RETIRABLE = {
    "district": District,
    "occupation": Occupation,
    "institution": Institution,
    "criminal-article": CriminalArticle,
}
ADDABLE = ("district", "occupation", "institution")  # Criminal Code entries: articles.py


def offered(model, keep: Iterable[int | None] = ()):
    """The rows a form offers for a new choice: those in use, and those in `keep` (what the
    record being edited already names, so that it can be saved unchanged)."""
    keep = [id_ for id_ in keep if id_ is not None]
    in_use = model.retired_at.is_(None)
    return sa.or_(in_use, model.id.in_(keep)) if keep else in_use


def set_retired(row, retired: bool, by: User) -> bool:
    """Retire a row or put it back in use; False if it already was so."""
    with write_transaction():
        if row.retired == retired:
            return False
        row.retired_at = clock.now() if retired else None
        record("reference_retired" if retired else "reference_restored", row, user=by)
    return True


def add_row(model, values: dict, by: User):
    """A new row, marked as the administrator's (so `flask reference load` leaves it as they
    wrote it, should the seed ever list its code)."""
    with write_transaction():
        row = model(**values)
        db.session.add(row)
        db.session.flush()
        mark_corrected(row, by)
        record("reference_added", row, user=by, values=values)
    return row
