import click
import sqlalchemy as sa
from flask.cli import AppGroup

from portal.auth import passwords
from portal.auth.accounts import normal_email
from portal.auth.audit import record
from portal.auth.models import ADMIN, User
from portal.extensions import db

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
    if db.session.scalar(sa.select(User.id).where(sa.func.lower(User.email) == email)):
        raise click.ClickException(f"a user with e-mail {email} already exists")
    user = User(email=email, full_name=full_name, role=ADMIN)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record("user_created", user, role=ADMIN, via="cli")
    db.session.commit()
    click.echo(f"Administrator {email} created.")
