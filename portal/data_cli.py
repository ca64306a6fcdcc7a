"""`flask data reencrypt`: every encrypted value rewritten with the newest key, after a rotation.

Rotating a key: put the new one first in DATA_ENCRYPTION_KEYS (the old ones after it) and
restart — new writes use the new key and old values still read — then run this command; once
it reports nothing left under an old key, the old keys may be dropped. It also rewrites the
keyed hashes (of the IINs, of the offences' articles) with the current DATA_HASH_KEY. Each
batch is its own transaction, so it can run while the portal serves, and again after an
interruption.
"""

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from portal import data_crypto
from portal.auth import audit
from portal.auth.models import AuditEntry
from portal.database import write_transaction
from portal.extensions import db
from portal.reference import criminal_code

data_cli = AppGroup("data", help="Encryption at rest of the personal data.")
BATCH = 500


def encrypted_columns() -> dict[sa.Table, list[sa.Column]]:
    """Every encrypted column of the models, by table."""
    found = {}
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, data_crypto.EncryptedText)]
        if columns:
            found[table] = columns
    return found


def _iin_hash(keys: data_crypto.Keyring, row) -> str:
    return keys.keyed_hash(keys.decrypt(row.iin))


def _article_key(keys: data_crypto.Keyring, row) -> str:
    return criminal_code.article_key(row.code, keys.decrypt(row.article), keys)


# The keyed hashes, by table: the column, the plain columns its value reads, and how.
HASHES = {
    "candidate": ("iin_hash", (), _iin_hash),
    "offence": ("article_key", ("code",), _article_key),
}


def reencrypt_table(table: sa.Table, columns: list[sa.Column]) -> int:
    """Rewrite this table's values not yet under the newest key, and its keyed hash with the
    current DATA_HASH_KEY; returns the rows changed."""
    keys = data_crypto.current()
    raw = [sa.type_coerce(column, sa.Text).label(column.name) for column in columns]
    hashed, plain, hash_of = HASHES.get(table.name, (None, (), None))
    read = [table.c[name] for name in (*plain, *([hashed] if hashed else []))]
    last, changed = 0, 0
    while True:
        with write_transaction():
            rows = db.session.execute(
                sa.select(table.c.id, *raw, *read)
                .where(table.c.id > last)
                .order_by(table.c.id)
                .limit(BATCH)
                .with_for_update()  # PostgreSQL: no edit of these rows in between is lost
            ).all()
            for row in rows:
                values = {
                    c.name: keys.rotate(getattr(row, c.name))
                    for c in columns
                    if getattr(row, c.name) is not None
                }
                if hashed:
                    values[hashed] = hash_of(keys, row)
                news = {
                    name: value for name, value in values.items() if value != row._mapping[name]
                }
                if news:
                    # Raw values in, as read (type_coerce): no second encryption, and the
                    # record's updated_at stays what it was.
                    statement = sa.update(table).where(table.c.id == row.id)
                    if "updated_at" in table.c:
                        statement = statement.values(updated_at=table.c.updated_at)
                    db.session.execute(
                        statement.values(
                            {table.c[name]: sa.type_coerce(v, sa.Text) for name, v in news.items()}
                        )
                    )
                    changed += 1
        if not rows:
            return changed
        last = rows[-1].id


def reencrypt_audit() -> int:
    """The audit rows holding sealed words (audit.sealed) under the newest key."""
    keys, log = data_crypto.current(), AuditEntry.__table__
    has_sealed = sa.cast(log.c.details, sa.Text).contains(f'"{audit.SEALED}"')
    last, changed = 0, 0
    while True:
        with write_transaction():
            rows = db.session.execute(
                sa.select(log.c.id, log.c.details)
                .where(log.c.id > last, has_sealed)
                .order_by(log.c.id)
                .limit(BATCH)
                .with_for_update()
            ).all()
            for row in rows:
                details = audit.resealed(row.details, keys)
                if details != row.details:
                    db.session.execute(
                        sa.update(log).where(log.c.id == row.id).values(details=details)
                    )
                    changed += 1
        if not rows:
            return changed
        last = rows[-1].id


@data_cli.command("reencrypt")
def reencrypt() -> None:
    """Re-encrypt every encrypted value with the newest of DATA_ENCRYPTION_KEYS."""
    for table, columns in encrypted_columns().items():
        changed = reencrypt_table(table, columns)
        click.echo(f"{table.name}: {changed} rows re-encrypted")
    click.echo(f"audit_log: {reencrypt_audit()} rows re-encrypted")
    click.echo("Done: the keys after the first in DATA_ENCRYPTION_KEYS may now be dropped.")
