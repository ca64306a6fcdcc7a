"""The second factor: TOTP (RFC 6238, 30-second steps, 6 digits) and one-use recovery codes.

Secrets are stored encrypted with TOTP_ENCRYPTION_KEY (Fernet); a code is accepted for the
step before, the current one and the next (clock drift), and only for a step later than the
last one used, so a code seen over a shoulder cannot be replayed. Recovery codes are stored as
password hashes and each works once. These functions add to the session; the operations of
auth/accounts.py run them inside their transactions.
"""

import hmac
import secrets

import pyotp
import segno
import sqlalchemy as sa
from cryptography.fernet import Fernet
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from portal import clock
from portal.auth.models import RecoveryCode, User
from portal.extensions import db

STEP_SECONDS = 30
ISSUER = "Reintegration portal"
RECOVERY_CODES = 10
# No 0/o, 1/l/i: a code copied from paper is read back right. 10 of 31 signs ≈ 49 bits.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 10


def _fernet() -> Fernet:
    return Fernet(current_app.config["TOTP_ENCRYPTION_KEY"])


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth:// URI as an inline SVG QR code (no script, no image request)."""
    return segno.make(uri, error="m").svg_inline(scale=5)


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _normal(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def is_totp_code(code: str) -> bool:
    code = _normal(code)
    return len(code) == 6 and code.isdigit()


def matching_step(secret: str, code: str, after: int | None) -> int | None:
    """The time step (now ± 1) whose code is `code` and which is later than `after`."""
    code = _normal(code)
    now = int(clock.timestamp()) // STEP_SECONDS
    totp = pyotp.TOTP(secret)
    for step in (now - 1, now, now + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def verify_totp(user: User, code: str) -> bool:
    """The user's current code, never used before: accepted and remembered as used."""
    step = matching_step(decrypt(user.totp_secret), code, user.totp_last_step)
    if step is None:
        return False
    user.totp_last_step = step
    return True


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        for _ in range(RECOVERY_CODES)
    ]
    for code in codes:
        db.session.add(RecoveryCode(user_id=user.id, code_hash=generate_password_hash(code)))
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def enrol(user: User, secret: str, step: int) -> list[str]:
    """Turn the factor on with a secret the user has just proved; returns the recovery codes,
    the only time they are ever shown."""
    user.totp_secret = encrypt(secret)
    user.totp_last_step = step
    user.totp_enrolled_at = clock.now()
    return _new_recovery_codes(user)


def matching_recovery_code(user: User, code: str) -> int | None:
    """The id of the user's unused recovery code that `code` is, or None."""
    code = _normal(code)
    unused = db.session.execute(
        sa.select(RecoveryCode.id, RecoveryCode.code_hash).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )
    for code_id, code_hash in unused:
        if check_password_hash(code_hash, code):
            return code_id
    return None


def use_recovery_code(code_id: int) -> bool:
    """Mark the code used; False if it already was (used at the same time elsewhere)."""
    used = (
        sa.update(RecoveryCode)
        .where(RecoveryCode.id == code_id, RecoveryCode.used_at.is_(None))
        .values(used_at=clock.now())
    )
    return db.session.execute(used).rowcount == 1


def unused_recovery_codes(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )


def remove(user: User) -> None:
    """Turn the factor off (an administrator's reset, or an optional factor given up)."""
    user.totp_secret = None
    user.totp_last_step = None
    user.totp_enrolled_at = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
