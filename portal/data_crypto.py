"""Encryption at rest of the fields a leak of the database file would expose worst (names, IINs,
free-text notes): Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`), and a keyed hash
of the IIN (HMAC-SHA256) for uniqueness and exact lookup. docs/design.md says which columns.

DATA_ENCRYPTION_KEYS holds Fernet keys, comma-separated, newest first: the newest encrypts, every
one decrypts, so a key is rotated by putting a new one in front, running `flask data reencrypt`,
then dropping the old one. DATA_HASH_KEY keys the IIN's hash.
"""

import hashlib
import hmac
from dataclasses import dataclass

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app, has_app_context

EXTENSION = "data_crypto"
MIN_HASH_KEY_LENGTH = 32


@dataclass(frozen=True)
class Keyring:
    fernet: MultiFernet
    newest: Fernet
    hash_key: bytes

    def encrypt(self, text: str) -> str:
        return self.fernet.encrypt(text.encode()).decode("ascii")

    def decrypt(self, token: str) -> str:
        return self.fernet.decrypt(token.encode("ascii")).decode()

    def rotate(self, token: str) -> str:
        """The same text encrypted with the newest key (unchanged when it already is)."""
        try:
            self.newest.decrypt(token.encode("ascii"))
            return token
        except InvalidToken:
            return self.fernet.rotate(token.encode("ascii")).decode("ascii")

    def keyed_hash(self, text: str) -> str:
        return hmac.new(self.hash_key, text.encode(), hashlib.sha256).hexdigest()


def keyring(settings) -> Keyring:
    """The keys of these settings (the app's config, filled by portal/instance_keys.py); a
    malformed key stops the start with a message naming the setting, never the key."""
    names = [key.strip() for key in (settings.get("DATA_ENCRYPTION_KEYS") or "").split(",")]
    try:
        keys = [Fernet(key) for key in names if key]
    except ValueError:
        raise RuntimeError(
            "DATA_ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64-encoded bytes),"
            " separated by commas, newest first."
        ) from None
    if not keys:
        raise RuntimeError("DATA_ENCRYPTION_KEYS must hold at least one key.")
    hash_key = settings.get("DATA_HASH_KEY") or ""
    if len(hash_key) < MIN_HASH_KEY_LENGTH:
        raise RuntimeError(f"DATA_HASH_KEY must have at least {MIN_HASH_KEY_LENGTH} characters.")
    return Keyring(MultiFernet(keys), keys[0], hash_key.encode())


_last: Keyring | None = None  # for code run outside an app context (one app per process)


def configure(app) -> None:
    global _last
    app.extensions[EXTENSION] = _last = keyring(app.config)


def current() -> Keyring:
    if has_app_context():
        return current_app.extensions[EXTENSION]
    if _last is None:
        raise RuntimeError("No application has configured the data encryption keys.")
    return _last


def keyed_hash(text: str) -> str:
    return current().keyed_hash(text)


class EncryptedText(sa.TypeDecorator):
    """Text stored encrypted, read back as text. SQL cannot compare, sort or search it (each
    write has its own random IV): lookups go through a keyed hash or the search index."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else current().encrypt(value)

    def process_result_value(self, value, dialect):
        return None if value is None else current().decrypt(value)
