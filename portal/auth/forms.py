from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from portal.auth import passwords


class AcceptablePassword:
    """The rules of portal/auth/passwords.py; `owner(form)` gives the (e-mail, name) it must
    not contain."""

    def __init__(self, owner):
        self.owner = owner

    def __call__(self, form, field):
        email, full_name = self.owner(form)
        message = passwords.problem(field.data or "", email=email, full_name=full_name)
        if message is not None:
            raise ValidationError(message)


def new_password_field(label, owner):
    return PasswordField(
        label,
        validators=[
            DataRequired(message=_l("Enter a password.")),
            Length(max=200),
            AcceptablePassword(owner),
        ],
    )


def _signed_in_user(form):
    return current_user.email, current_user.full_name


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(message=_l("Enter your e-mail."))])
    password = PasswordField(
        _l("Password"), validators=[DataRequired(message=_l("Enter your password."))]
    )
    next = HiddenField()


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your current password."))],
    )
    new_password = new_password_field(_l("New password"), _signed_in_user)
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("new_password", message=_l("The two passwords do not match."))],
    )


class CodeForm(FlaskForm):
    """A code from the authenticator app, or one of the recovery codes."""

    code = StringField(
        _l("Code"),
        filters=[lambda value: (value or "").strip()],
        validators=[DataRequired(message=_l("Enter the code.")), Length(max=40)],
    )
