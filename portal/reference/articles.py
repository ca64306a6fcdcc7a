"""An administrator's corrections of the Criminal Code table, and what follows from them.

The offences entered under a corrected article take the category the table now gives (and
keep the old one in regraded_from for their inspectors to see); open proposals the new
category excludes are withdrawn, as after any change of a record. One commit each.
"""

import sqlalchemy as sa

from portal import clock
from portal.auth.audit import record
from portal.auth.models import User
from portal.database import write_transaction
from portal.extensions import db
from portal.reference import criminal_code
from portal.reference.models import CriminalArticle

FIELDS = ("name_kk", "name_ru", "category_code", "victim_age_decides", "needs_review", "note")
KEY_FIELDS = ("code", "article", "part")


def article_taken(code: str, article: str, part: str) -> bool:
    return (
        db.session.scalar(
            sa.select(CriminalArticle.id).where(
                CriminalArticle.code == code,
                CriminalArticle.article == article,
                CriminalArticle.part == part,
            )
        )
        is not None
    )


def save_article(row: CriminalArticle | None, values: dict, by: User) -> CriminalArticle:
    """Add an entry (row None; `values` carries its code, article and part too) or correct
    one; audited with what changed, then every offence of the article is derived again."""
    with write_transaction():
        created = row is None
        if created:
            row = CriminalArticle(**{name: values[name] for name in KEY_FIELDS})
            db.session.add(row)
        changed = {
            name: [getattr(row, name), values[name]]
            for name in FIELDS
            if getattr(row, name) != values[name]
        }
        for name in FIELDS:
            setattr(row, name, values[name])
        row.edited_by_id, row.edited_at = by.id, clock.now()
        db.session.flush()
        record(
            "criminal_article_saved",
            row,
            user=by,
            created=created,
            key=[row.code, row.article, row.part],
            changed=changed,
        )
        _derive_offences_again(row.code, row.article)
    return row


def _derive_offences_again(code: str, article: str) -> None:
    from portal.candidates.models import Offence
    from portal.placements.lifecycle import withdraw_ineligible
    from portal.placements.models import Placement

    offences = db.session.scalars(
        sa.select(Offence).where(
            Offence.code == code, Offence.article_key == criminal_code.article_key(code, article)
        )
    ).all()
    rows, regraded = criminal_code.rows_of(code, article, with_retired=True), set()
    for offence in offences:
        found = criminal_code.derive(rows, article, offence.part, offence.minor_victim)
        derived = criminal_code.primary(found) if found is not None else criminal_code.OTHER
        if derived != offence.category_code:
            record(
                "offence_regraded",
                offence.candidate,
                offence_id=offence.id,
                category=[offence.category_code, derived],
            )
            offence.regraded_from, offence.category_code = offence.category_code, derived
            regraded.add(offence.candidate_id)
    if regraded:
        db.session.flush()
        withdraw_ineligible(Placement.candidate_id.in_(regraded), clock.today())
