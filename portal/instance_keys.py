"""Keys that must never be constants: from the environment, or (development only) made once at
random in instance/ and reused, so `make run` works on a fresh machine without a shared key."""

import os
import secrets
import tempfile

from cryptography.fernet import Fernet

# setting → how a new random key is made
KEYS = {
    "SECRET_KEY": lambda: secrets.token_hex(32),
    "TOTP_ENCRYPTION_KEY": lambda: Fernet.generate_key().decode(),
    # Encryption at rest (portal/data_crypto.py): Fernet keys, newest first; the IIN's hash key.
    "DATA_ENCRYPTION_KEYS": lambda: Fernet.generate_key().decode(),
    "DATA_HASH_KEY": lambda: secrets.token_hex(32),
}
MIN_SECRET_KEY_LENGTH = 32


def instance_key(instance_path: str, name: str, make) -> str:
    """The key in instance/<name> (mode 0600), written at random the first time.

    Written to a temporary file and linked into place, so that two processes starting at once
    agree on one key (the second link fails and that process reads the first one's key)."""
    path = os.path.join(instance_path, name.lower())
    if not os.path.exists(path):
        fd, temporary = tempfile.mkstemp(dir=instance_path)  # mkstemp creates it 0600
        try:
            with os.fdopen(fd, "w") as file:
                file.write(make())
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    with open(path) as file:
        return file.read().strip()


def fill_keys(settings: dict, instance_path: str) -> None:
    """Production refuses to start without its keys; development makes its own in instance/."""
    production = settings["ENV_NAME"] == "production"
    for name, make in KEYS.items():
        if settings.get(name):
            continue
        if production:
            raise RuntimeError(f"{name} must be set in production (PORTAL_ENV=production).")
        settings[name] = instance_key(instance_path, name, make)
    if production and len(settings["SECRET_KEY"]) < MIN_SECRET_KEY_LENGTH:
        raise RuntimeError(f"SECRET_KEY must have at least {MIN_SECRET_KEY_LENGTH} characters.")
