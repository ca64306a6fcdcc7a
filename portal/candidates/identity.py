"""How a candidate is named outside the record: a random pseudonymous code, a masked IIN."""

import re
import secrets

import sqlalchemy as sa

from portal.auth.models import INSPECTOR, User
from portal.candidates.models import Candidate
from portal.data_crypto import keyed_hash
from portal.extensions import db

# No 0/O or 1/I: the code is read out over the phone and copied by hand.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 6
MASK = "•" * 8


def new_code() -> str:
    """A fresh "K-7F3Q2M": random, so it says nothing about the IIN, the id or the order."""
    while True:
        code = "K-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.scalar(sa.select(Candidate.id).where(Candidate.code == code)) is None:
            return code


TYPED_CODE = re.compile(r"K-?([0-9A-Z]{5,6})")


def identifier(text: str) -> sa.ColumnElement[bool] | None:
    """A typed code («K-4RUK2F», «к 4ruk2f») or a whole IIN (digits in any groups) as the
    exact condition that finds its one record; None for anything else. A part of an IIN is no
    identifier, so the masked IIN in the lists cannot be completed by searching digit by digit."""
    digits = "".join(text.split())
    if digits.isdigit() and len(digits) == 12:
        return has_iin(digits)
    code = TYPED_CODE.fullmatch("".join(text.split()).upper().replace("К", "K"))
    return Candidate.code == f"K-{code[1]}" if code else None


def has_iin(iin: str) -> sa.ColumnElement[bool]:
    """The one way to find a record by its IIN: the IIN is encrypted, its keyed hash is not
    (and is unique), so an exact IIN is found by its hash and a part of one not at all."""
    return Candidate.iin_hash == keyed_hash(iin)


def mask_iin(iin: str | None) -> str:
    """ "•••••••• 1307": only the last four digits, enough to tell two records apart."""
    return f"{MASK} {iin[-4:]}" if iin else ""


def shown_iin(candidate: Candidate, user: User) -> str:
    """The IIN in full for the record's own inspectors, masked for everyone else (admins too).

    The caller loaded `candidate` through candidate_filter(user), so an inspector who holds it
    is one of the record's inspectors.
    """
    return candidate.iin if user.role == INSPECTOR else mask_iin(candidate.iin)


def iin_holder(iin: str, except_id: int | None = None) -> int | None:
    """The id of another record with this IIN, in any scope, or None. The caller tells the
    user only what their scope lets them know (CandidateForm.validate_iin)."""
    query = sa.select(Candidate.id).where(has_iin(iin))
    if except_id is not None:
        query = query.where(Candidate.id != except_id)
    return db.session.scalar(query)
