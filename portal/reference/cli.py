import click
from flask.cli import AppGroup

from portal.database import write_transaction
from portal.reference.loader import load_reference_data

reference_cli = AppGroup("reference", help="Bilingual reference data.")


@reference_cli.command("load")
def load() -> None:
    """Load or update regions, districts, occupations, vocabularies and institutions."""
    with write_transaction():
        counts = load_reference_data()
    added = sum(counts.values())
    click.echo(f"Reference data loaded ({added} new rows).")
