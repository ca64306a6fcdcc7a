"""Shared pieces of the candidate tests: a filled-in main form, audit rows, a changed IIN."""

import sqlalchemy as sa

from portal import clock
from portal.auth.models import AuditEntry
from portal.extensions import db
from tests.helpers import district, new_iin


def record_form(**fields) -> dict:
    """What an inspector types on the new-record page (a released person living in Astana)."""
    base = {
        "full_name": "Серік Ахметов",
        "iin": new_iin(),
        "birth_date": "1988-03-14",
        "language_codes": ["kk", "ru"],
        "status": "released",
        "institution_id": "",
        "release_date": "2025-01-10",
        "district_id": str(district("711310000").id),
        "education": "Орта арнаулы",
        "skills": "Тігін машинасы",
        "housing": "Жалдамалы пәтер",
        "available_from": "",
        "programme_notes": "Психологпен кездесу",
        # The first grant of the consent, given as the record is made.
        "initial_consent-given": "y",
        "initial_consent-on_date": clock.today().isoformat(),
        "initial_consent-method": "paper_form",
        "initial_consent-text_version": "1",
    }
    base.update(fields)
    return {key: value for key, value in base.items() if value is not None}


def audit_rows(action: str) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


def bad_checksum(iin: str) -> str:
    return iin[:11] + str((int(iin[11]) + 1) % 10)
