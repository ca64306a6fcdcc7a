"""What akimats see of a count of people: the one module that decides it (docs/statistics.md).

Inspectors and administrators see exact numbers for their scope. For akimats:
- zero stays 0 (it reveals nobody); 1–4 reads "fewer than 5";
- every other count is randomly rounded to a multiple of 5 (unbiased: 7 becomes 10 with
  probability 2/5, else 5), the way statistics offices publish small-area tables. The draw is
  not random per request but a keyed hash of the cell's identity: what is counted, over which
  period, territory and filters. The same cell reached by any path (the district filter or the
  district table's row, a month filter or the trend's month) is the same identity and shows the
  same value on every page and export, so asking again, or by another route, tells nothing new.
  Totals are rounded on their own, so a total minus the other cells gives back no small count.
- a share (%) is worked out from the rounded counts, never from the exact ones.
"""

import hashlib
import hmac
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l

from portal.auth.models import AKIMAT, User

THRESHOLD = 5
BASE = 5  # rounding base: what a shown count is a multiple of
FEWER_THAN = _l("fewer than %(n)d", n=THRESHOLD)
HIDDEN = _l("hidden")

CellKey = tuple[tuple[str, str], ...]


def cell_key(filters, user: User, measure: str, **narrowing) -> CellKey:
    """A count's identity: the territory, what is counted, the period and every filter, with
    the cell's own narrowing (its row: a district, a status, a month) merged into the filters
    as the list behind the figure would be asked for it."""
    period = narrowing.pop("period", None)
    if period is not None:  # the trend's month: its own period, whatever the filters say
        from portal.stats.filters import period_bounds

        start, end = period_bounds(period, date.fromisoformat(narrowing.pop("on")))
    elif "year" in narrowing:  # quotas count the calendar year, whatever the period
        start, end = None, None
    else:
        start, end = (filters.start, filters.end) if filters is not None else (None, None)
    given = {
        "region": user.region_id,
        "district": filters.district_id if filters is not None else None,
        "kind": filters.employer_kind if filters is not None else None,
        "status": filters.status if filters is not None else None,
        "group": filters.group if filters is not None else None,
        "start": start,
        "end": end,
        "measure": measure,
    }
    if user.district_id is not None:
        given["district"] = user.district_id  # a district akimat's every count is its district
    narrowing.pop("list", None)
    if "code" in narrowing:
        given["group"] = narrowing.pop("code")
    given.update(narrowing)
    return tuple(sorted((name, str(value)) for name, value in given.items() if value is not None))


def _draw(key: CellKey) -> float:
    """A number in [0, 1) fixed for the cell: HMAC of its identity under the app's secret key,
    so that nobody without the key can tell which way a cell was rounded."""
    secret = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(secret, repr(key).encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def suppressed(count: int | None, user: User) -> bool:
    """True when `user` must not see this count at all: 1–4 people, to akimat users."""
    return user.role == AKIMAT and count is not None and 0 < count < THRESHOLD


def shown(count: int | None, user: User, key: CellKey | None = None):
    """The count as the user may see it: exact to staff; to akimats 0, "fewer than 5", or the
    count randomly rounded to base 5 by the cell's identity `key`."""
    if user.role != AKIMAT or count is None or count == 0:
        return count
    if count < THRESHOLD:
        return FEWER_THAN
    remainder = count % BASE
    if remainder == 0 or key is None:  # a key is given for every count of people (tables.py)
        return count - remainder
    return count - remainder + (BASE if _draw(key) < remainder / BASE else 0)


def share(part, whole) -> float | None:
    """A percentage of two counts as shown, or None when either is not a number or the whole
    is zero."""
    if not isinstance(part, int) or not isinstance(whole, int) or isinstance(part, bool):
        return None
    if not whole:
        return None
    return round(100 * part / whole, 1)


def column(counts: list[int], user: User, keys: list[CellKey | None] | None = None) -> list:
    """A column whose total is shown elsewhere (districts, months, quotas), as the user may see
    it: small counts read "fewer than 5"; when only one is small, the next smallest is hidden
    too, so the small one cannot be worked out by subtracting the others from the total."""
    keys = keys or [None] * len(counts)
    cells = [shown(count, user, key) for count, key in zip(counts, keys, strict=True)]
    hidden_cells = [suppressed(count, user) for count in counts]
    if hidden_cells.count(True) == 1:
        others = [(count, i) for i, count in enumerate(counts) if not hidden_cells[i] and count]
        if others:
            cells[min(others)[1]] = HIDDEN
    return cells


def hidden(cell) -> bool:
    """True for a cell shown as "fewer than 5" or "hidden"."""
    return cell is FEWER_THAN or cell is HIDDEN


def derived(quotas: list[int], basis: list, total_quota: int) -> tuple[list, object]:
    """Places still due, from the places filled as shown (`basis`): the quota less the filled,
    never below 0, and its total. A cell is hidden where its basis is; the total is hidden as
    soon as one cell is, because with the "never below 0" the total and the shown cells can
    give a hidden count back, however many cells are hidden with it (quotas 1 and 10, filled 3
    and 2: due 0 and 8, so the second filled 2). Worked out from the shown filled counts, the
    column tells nothing the filled column does not."""
    cells = [
        HIDDEN if hidden(filled) else max(quota - (filled or 0), 0)
        for quota, filled in zip(quotas, basis, strict=True)
    ]
    if any(map(hidden, basis)):
        return cells, HIDDEN
    return cells, sum(cells) if cells else max(total_quota, 0)
