"""Cursor pagination: a page of `limit` rows after the cursor, and the cursor of the next.

A cursor is opaque to clients: the last id of the page (lists in id order), or the offset
(lists in a computed order, such as the ranked candidates). A cursor that was not made here
is a 400, never a 500.
"""

import base64
import binascii

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_smorest import abort

from portal.extensions import db

MSG_CURSOR = _l("The cursor is not valid: use %(field)s of a previous page.", field="next_cursor")


def encode(kind: str, number: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{number}".encode()).decode().rstrip("=")


def decode(cursor: str | None, kind: str) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    found_kind, _, number = text.partition(":")
    if found_kind != kind or not number.isdigit() or len(number) > 18:
        abort(400, code="bad_cursor", message=str(MSG_CURSOR))
    return int(number)


def by_id(select: sa.Select, id_column, args: dict) -> dict:
    """Rows of `select` in id order after the cursor."""
    after, limit = decode(args.get("cursor"), "id"), args["limit"]
    rows = db.session.scalars(
        select.where(id_column > after).order_by(id_column).limit(limit + 1)
    ).unique()
    rows = list(rows)
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next_cursor": encode("id", rows[-1].id) if more else None}


def by_offset(read, args: dict) -> dict:
    """`read(limit, offset)` → rows in their own order; the cursor is the next offset."""
    offset, limit = decode(args.get("cursor"), "at"), args["limit"]
    rows = read(limit + 1, offset)
    more = len(rows) > limit
    return {"items": rows[:limit], "next_cursor": encode("at", offset + limit) if more else None}
