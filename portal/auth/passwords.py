"""What a new password must not be: too short, one of the commonly used and breached
passwords, or made of the user's own e-mail or name.

common-passwords.txt.gz is the list Django ships (django/contrib/auth/common-passwords.txt.gz,
BSD licence): the 20,000 most common passwords compiled by Royce Williams from breach corpora
(https://gist.github.com/roycewilliams/226886fd01572964e1431ac8afc999ce), lowercased, one a
line. It is read once per process, from the package: no network.
"""

import gzip
import re
from functools import cache
from importlib import resources

from flask_babel import lazy_gettext as _l

MIN_PASSWORD_LENGTH = 10
# Parts of an e-mail or name shorter than this are too common to refuse ("a", "kz").
MIN_PERSONAL_PART = 3


@cache
def common_passwords() -> frozenset[str]:
    data = resources.files("portal.auth").joinpath("common-passwords.txt.gz").read_bytes()
    return frozenset(gzip.decompress(data).decode().split())


def _normal(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _personal_parts(email: str | None, full_name: str | None) -> set[str]:
    parts = set()
    if email:
        local, _, domain = email.casefold().partition("@")
        parts |= {_normal(local), *(_normal(p) for p in re.split(r"[.\-_+]", local))}
        parts |= {_normal(domain.split(".")[0])}
    if full_name:
        parts |= {_normal(full_name), *(_normal(p) for p in full_name.split())}
    return {p for p in parts if len(p) >= MIN_PERSONAL_PART}


def problem(password: str, *, email: str | None = None, full_name: str | None = None):
    """Why `password` is refused (a message to show), or None when it may be used."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _l("The password must have at least %(min)d characters.", min=MIN_PASSWORD_LENGTH)
    folded = password.casefold()
    squeezed = _normal(password)
    # "Password12!" is "password12" with a symbol: compare the letters and digits too.
    if folded in common_passwords() or squeezed in common_passwords() or len(set(folded)) < 4:
        return _l("This password is one of the most common ones. Choose a less guessable one.")
    if any(part in squeezed for part in _personal_parts(email, full_name)):
        return _l("The password must not contain your e-mail or your name.")
    return None
