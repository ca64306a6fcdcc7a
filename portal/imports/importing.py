"""Importing the checked rows: every record in one transaction, or none."""

from portal.auth.audit import record
from portal.auth.models import User
from portal.candidates.models import Offence
from portal.candidates.records import add_candidate
from portal.database import write_transaction
from portal.extensions import db
from portal.imports.checking import Row
from portal.reference import criminal_code
from portal.reference.models import Occupation


def import_rows(user: User, rows: list[Row], file_rows: int) -> list[int]:
    """Create a record for each row (its trades, offences with their derived categories, and
    first consent) in one transaction; the ids created. Rows with problems are not passed."""
    created, derived = [], {}  # one derivation per distinct offence of the file
    with write_transaction(), db.session.no_autoflush:  # one flush a record (add_candidate's)
        for row in rows:
            values = {
                **row.values,
                "occupations": [db.session.get(Occupation, i) for i in row.occupation_ids],
            }
            if row.offences is not None:
                for offence in row.offences:
                    if offence not in derived:
                        derived[offence] = criminal_code.offence_fields(*offence)
                values["offences"] = [Offence(**derived[offence]) for offence in row.offences]
                values["offences_recorded"] = True
            created.append(add_candidate(user, values, row.consent).id)
        record(
            "candidates_imported",
            user=user,
            imported=len(created),
            file_rows=file_rows,
            candidates=created,
        )
    return created
