"""The "fewer than 5" rule: the one function that decides what a small count looks like."""

from flask_babel import lazy_gettext as _l

from portal.auth.models import AKIMAT, User

THRESHOLD = 5
FEWER_THAN = _l("fewer than %(n)d", n=THRESHOLD)


def suppressed(count: int | None, user: User) -> bool:
    """True when `user` must not see this count: 1–4 people, to akimat users (inspectors and
    administrators see exact numbers for their scope; zero reveals nobody)."""
    return user.role == AKIMAT and count is not None and 0 < count < THRESHOLD


def shown(count: int | None, user: User):
    """The count as the user may see it: the number, or the translated "fewer than 5"."""
    return FEWER_THAN if suppressed(count, user) else count


def share(part: int | None, whole: int | None, user: User) -> float | None:
    """A percentage, or None when either side is suppressed or the whole is zero."""
    if not whole or suppressed(part, user) or suppressed(whole, user):
        return None
    return round(100 * (part or 0) / whole, 1)


HIDDEN = _l("hidden")


def column(counts: list[int], user: User) -> list:
    """A column whose total is shown elsewhere (districts, months, quotas), as the user may see
    it: small counts read "fewer than 5"; when only one is small, the next smallest is hidden
    too, so the small one cannot be worked out by subtracting the others from the total."""
    hidden = [suppressed(count, user) for count in counts]
    if hidden.count(True) == 1:
        others = [(count, i) for i, count in enumerate(counts) if not hidden[i] and count > 0]
        if others:
            return [
                HIDDEN if i == min(others)[1] else shown(count, user)
                for i, count in enumerate(counts)
            ]
    return [shown(count, user) for count in counts]


def hidden(cell) -> bool:
    """True for a cell shown as "fewer than 5" or "hidden"."""
    return cell is FEWER_THAN or cell is HIDDEN


def derived(values: list[int], basis: list, total: int) -> tuple[list, object]:
    """A column computed from another, as shown by `column`, but not by a sum — places still
    due are the quota less the places filled, never below 0 — and its total. A cell is hidden
    where its basis is; the total is hidden as soon as one cell is, because with the "never
    below 0" the total and the shown cells can give a hidden count back, however many cells
    are hidden with it (quotas 1 and 10, filled 3 and 2: due 0 and 8, so the second filled 2)."""
    cells = [HIDDEN if hidden(cell) else value for value, cell in zip(values, basis, strict=True)]
    return cells, HIDDEN if any(map(hidden, basis)) else total
