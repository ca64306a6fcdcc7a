"""The administrator's form for issuing a token."""

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from portal import clock
from portal.auth.models import User
from portal.extensions import db
from portal.forms import strip

LONGEST = timedelta(days=366)  # a token is renewed at least yearly


def default_until():
    return clock.today() + timedelta(days=90)


class IssueTokenForm(FlaskForm):
    user_id = SelectField(
        _l("User"), coerce=int, validators=[DataRequired(message=_l("Choose the user."))]
    )
    name = StringField(
        _l("What the token is for"),
        filters=[strip],
        validators=[DataRequired(message=_l("Name the token's use.")), Length(max=100)],
        description=_l("For example: the institution's records system."),
    )
    until = DateField(
        _l("Valid until"),
        default=default_until,
        validators=[DataRequired(message=_l("Enter the last day the token works."))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = db.session.scalars(
            sa.select(User).where(User.active.is_(True)).order_by(User.full_name)
        )
        self.user_id.choices = [(u.id, f"{u.full_name} ({u.email}, {u.role_label})") for u in users]

    def validate_until(self, field):
        if field.data is not None and field.data < clock.today():
            raise ValidationError(_l("The day has passed: choose today or a later day."))
        if field.data is not None and field.data > clock.today() + LONGEST:
            raise ValidationError(_l("A token is valid for a year at most."))
