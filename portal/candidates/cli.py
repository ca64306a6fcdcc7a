"""`flask candidates retention`: what the worker runs daily — tell the inspectors of records
coming to the end of their retention period, and anonymise those whose day has come."""

import click

from portal.candidates import bp, retention


@bp.cli.command("retention")
def retention_command() -> None:
    """Tell inspectors of records due within the notice period; anonymise the records due."""
    report = retention.run()
    click.echo(
        f"Told the inspectors of {report.told} records; anonymised {len(report.anonymised)}."
    )
