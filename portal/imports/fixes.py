"""Fixing bad rows on the preview page: each bad row's cells as a form's fields, the values
sent written over the signed rows, then every row checked again. The rows are the user's own
file: a value sent for any row of it is taken (and checked like the rest); other names are
ignored."""

import re
from collections.abc import Mapping

from portal.imports.columns import COLUMNS

FIX_ROWS = 50  # 50 rows x 13 columns stays under the 1,000 form fields a request may carry
MAX_CELL = 1000  # longer than any field of the record form: the check refuses it clearly
FIELD = re.compile(r"fix-(\d{1,6})-([a-z_]+)")


def field_name(number: int, column: str) -> str:
    return f"fix-{number}-{column}"


def columns_for(checker) -> list[str]:
    """The columns that mean something for this user's rows (the region only for
    administrators, the institution only where the user may choose one)."""
    skip = {"region"} if "region_id" not in checker.form else set()
    if "institution_id" not in checker.form:
        skip.add("institution")
    return [column for column in COLUMNS if column not in skip]


def offered(rows) -> list:
    """The rows with problems the preview lets the user fix."""
    return [row for row in rows if row.problems][:FIX_ROWS]


def apply_fixes(raw_rows: list[dict], sent: Mapping) -> int:
    """Write the `fix-<row>-<column>` values `sent` over `raw_rows` (by the file's row
    numbers); returns how many rows changed."""
    changed = set()
    for name, value in sent.items():
        match = FIELD.fullmatch(name)
        if not match or match[2] not in COLUMNS:
            continue
        index = int(match[1]) - 2  # the header is row 1
        value = value.strip()[:MAX_CELL]
        if 0 <= index < len(raw_rows) and raw_rows[index].get(match[2], "") != value:
            raw_rows[index][match[2]] = value
            changed.add(index)
    return len(changed)
