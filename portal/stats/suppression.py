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
