"""Forms and validators shared by every package."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from portal import clock


class ConfirmForm(FlaskForm):
    """An empty form: the CSRF token is the confirmation that the user pressed the button."""


def not_in_future(form, field):
    """A date that has happened: not after today in Kazakhstan."""
    if field.data is not None and field.data > clock.today():
        raise ValidationError(_l("The date cannot be in the future."))


def with_ids(form, prefix: str):
    """Several forms on one page: give each field an id of its own (the names stay)."""
    for field in form:
        field.id = f"{prefix}-{field.name}"
        field.label.field_id = field.id
    return form
