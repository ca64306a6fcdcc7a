"""Fixing bad rows on the preview page: each bad row of the page's cells as a form's fields,
the values sent written over the job's stored rows (the next check reads them). The rows are
the user's own file: a value sent for any row of the job is taken (and checked like the
rest); other names are ignored."""

import json
import re
from collections.abc import Mapping

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from portal.candidates.forms import CandidateForm
from portal.extensions import db
from portal.imports.columns import COLUMNS
from portal.imports.models import ImportJob, ImportRow

FIX_ROWS = 20  # bad rows a preview page shows, each a form of up to 13 fields
MAX_CELL = 1000  # longer than any field of the record form: the check refuses it clearly
FIELD = re.compile(r"fix-(\d{1,6})-([a-z_]+)")


def field_name(number: int, column: str) -> str:
    return f"fix-{number}-{column}"


def columns_for(user) -> list[str]:
    """The columns that mean something for this user's rows: those the record form asks
    this user for (the region only for administrators, the institution only where the user
    may choose one)."""
    form = CandidateForm(formdata=MultiDict(), meta={"csrf": False}, user=user)
    skip = {"region"} if "region_id" not in form else set()
    if "institution_id" not in form:
        skip.add("institution")
    return [column for column in COLUMNS if column not in skip]


def apply_fixes(job: ImportJob, sent: Mapping) -> int:
    """Write the `fix-<row>-<column>` values `sent` over the job's stored rows (by the file's
    row numbers), in the caller's transaction; returns how many rows changed."""
    by_row: dict[int, dict[str, str]] = {}
    for name, value in sent.items():
        match = FIELD.fullmatch(name)
        if match and match[2] in COLUMNS:
            by_row.setdefault(int(match[1]), {})[match[2]] = value.strip()[:MAX_CELL]
    if not by_row:
        return 0
    stored = db.session.scalars(
        sa.select(ImportRow).where(ImportRow.job_id == job.id, ImportRow.number.in_(by_row))
    )
    changed = 0
    for row in stored:
        raw = json.loads(row.raw)
        new = {**raw, **by_row[row.number]}
        if {k: v for k, v in new.items() if v} != {k: v for k, v in raw.items() if v}:
            row.raw = json.dumps(new, ensure_ascii=False)
            changed += 1
    return changed
