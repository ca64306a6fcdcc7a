import click
from flask.cli import AppGroup

from portal.auth import passwords
from portal.auth.accounts import AccountRefused, create_user, normal_email
from portal.auth.models import ADMIN

users_cli = AppGroup("users", help="User accounts.")


@users_cli.command("create-admin")
@click.argument("email")
@click.argument("full_name")
@click.password_option(help="Prompted for when not given.")
def create_admin(email: str, full_name: str, password: str) -> None:
    """Create an administrator account (the first account of a new installation)."""
    email = normal_email(email)
    refused = passwords.problem(password, email=email, full_name=full_name)
    if refused is not None:
        raise click.BadParameter(str(refused), param_hint="password")
    values = {"email": email, "full_name": full_name, "role": ADMIN}
    try:
        create_user(values, {}, password, via="cli")
    except AccountRefused as refused:
        raise click.ClickException(f"a user with e-mail {email} already exists") from refused
    click.echo(f"Administrator {email} created.")
