"""`flask search sync | rebuild | prune | status`: keeping this node's indexes right.

Run `flask search sync` every minute (cron or a systemd timer) on every node: requests apply
their own changes at once, but a node must also apply the changes other nodes wrote, and it
rewrites the candidate index without deleted documents.
"""

from datetime import timedelta

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from portal import clock
from portal.database import write_transaction
from portal.extensions import db
from portal.search import schema
from portal.search.index import store
from portal.search.models import SearchOutbox

search_cli = AppGroup("search", help="The search indexes (Whoosh) and their outbox.")


def _rebuild(kinds) -> None:
    search_store = store()
    with db.engine.connect() as conn:
        total = sum(schema.count(conn, kind) for kind in kinds)
    with click.progressbar(length=total, label="Indexing", show_pos=True) as bar:
        built = search_store.rebuild(kinds, progress=lambda _kind, n: bar.update(n))
    for kind, count in built.items():
        click.echo(f"{kind}: {count} documents")


@search_cli.command("sync")
@click.option("--wait", default=30.0, show_default=True, help="Seconds to wait for the lock.")
def sync(wait: float) -> None:
    """Apply pending outbox rows; build from the database any index this node lacks or holds
    in an older document format (after an upgrade)."""
    search_store = store()
    outdated = search_store.outdated()
    if outdated:
        click.echo(
            f"No index, or one of an older format, for: {', '.join(outdated)}; "
            "building from the database."
        )
        _rebuild(outdated)
    applied = dict.fromkeys(schema.KINDS, 0)
    while True:
        report = search_store.sync(lock_timeout=wait, budget=5000, purge=True)
        if report.skipped:
            raise click.ClickException("another process holds the index lock; try again")
        for kind, count in report.applied.items():
            applied[kind] += count
        if not report.more:
            break
    click.echo(", ".join(f"{kind}: {count} applied" for kind, count in applied.items()))


@search_cli.command("rebuild")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(list(schema.KINDS)),
    help="Only this index (repeatable); all by default.",
)
def rebuild(kinds) -> None:
    """Rebuild indexes from the database into new folders and swap them in atomically."""
    _rebuild(list(kinds) or list(schema.KINDS))


@search_cli.command("prune")
@click.option(
    "--before",
    "days",
    type=click.IntRange(min=1),
    required=True,
    help="Delete applied outbox rows older than this many days.",
)
def prune(days: int) -> None:
    """Delete old outbox rows this node has applied. A node that was down longer than that
    must be rebuilt (`flask search rebuild`) before it serves searches."""
    search_store = store()
    folders = [search_store.folder(kind) for kind in schema.KINDS]
    if any(folder is None for folder in folders):
        raise click.ClickException("an index is missing: run `flask search sync` first")
    through = min(search_store.read_position(folder).through for folder in folders)
    with write_transaction():
        deleted = db.session.execute(
            sa.delete(SearchOutbox).where(
                SearchOutbox.id <= through,
                SearchOutbox.created_at < clock.now() - timedelta(days=days),
            )
        ).rowcount
    click.echo(f"{deleted} outbox rows deleted.")


@search_cli.command("status")
def status() -> None:
    """Documents and outbox position of each index of this node."""
    for kind, info in store().status().items():
        if info["folder"] is None:
            click.echo(f"{kind}: no index")
        else:
            click.echo(
                f"{kind}: {info['documents']} documents, applied through outbox row "
                f"{info['through']} (+{info['extra']} past a gap), format "
                f"{info['version']}, folder {info['folder']}"
            )
