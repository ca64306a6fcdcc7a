"""`flask employers close-expired`: close vacancies past their closing date (run daily)."""

import click

from portal.employers import bp
from portal.employers.expiry import close_expired


@bp.cli.command("close-expired")
def close_expired_command() -> None:
    """Close published vacancies whose closing date has passed."""
    closed = close_expired()
    click.echo(f"Closed {len(closed)} expired vacancies.")
