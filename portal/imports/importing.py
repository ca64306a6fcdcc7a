"""Importing the checked rows: every record in the caller's one transaction, or none."""

from collections.abc import Callable

from portal.auth.audit import record
from portal.auth.models import User
from portal.candidates.models import Offence
from portal.candidates.records import add_candidate
from portal.extensions import db
from portal.imports.checking import Row
from portal.imports.models import ImportJob
from portal.reference import criminal_code
from portal.reference.models import Occupation

PROGRESS_EVERY = 100  # rows between two reports of the progress


def import_rows(
    user: User, job: ImportJob, rows: list[Row], progress: Callable[[int], None]
) -> list[int]:
    """Create a record for each row (its trades, offences with their derived categories, and
    first consent) inside the caller's write_transaction(); the ids created. Rows with
    problems are not passed. `progress(rows done)` is told every PROGRESS_EVERY rows."""
    created, derived = [], {}  # one derivation per distinct offence of the file
    with db.session.no_autoflush:  # one flush a record (add_candidate's)
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
            if len(created) % PROGRESS_EVERY == 0:
                progress(len(created))
    record(
        "candidates_imported",
        job,
        user=user,
        imported=len(created),
        file_rows=job.total_rows,
        candidates=created,
    )
    return created
