"""Forms of the person's rights: a correction request with its outcome, and an erasure (its
reason and a tick that confirms it). Messages are the portal's own, in the user's language."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, ValidationError

from portal.candidates.consent_forms import _date_field
from portal.candidates.models import CORRECTION_OUTCOMES
from portal.forms import strip

TEXT_LIMIT = 2000


class CorrectionForm(FlaskForm):
    requested_on = _date_field(_l("Date of the request"))
    asked = TextAreaField(
        _l("What the person asked to correct"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Write what the person asked.")),
            Length(max=TEXT_LIMIT),
        ],
    )
    outcome = SelectField(
        _l("Outcome"),
        choices=[SelectChoice("", _l("— choose —"))]
        + [SelectChoice(code, label) for code, label in CORRECTION_OUTCOMES.items()],
        validate_choice=False,
        validators=[AnyOf(tuple(CORRECTION_OUTCOMES), message=_l("Choose the outcome."))],
    )
    reason = TextAreaField(
        _l("Reason for a refusal"),
        filters=[strip],
        validators=[Length(max=TEXT_LIMIT)],
        description=_l("Required when the request is refused."),
    )

    def validate_reason(self, field):
        if self.outcome.data == "refused" and not field.data:
            raise ValidationError(_l("Give the reason for the refusal."))

    def values(self) -> dict:
        return {
            "requested_on": self.requested_on.data,
            "asked": self.asked.data,
            "outcome": self.outcome.data,
            "reason": self.reason.data if self.outcome.data == "refused" else "",
        }


class ErasureForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for the erasure"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Give the reason for the erasure.")),
            Length(max=TEXT_LIMIT),
        ],
        description=_l("For example: the person's written request of a given date."),
    )
    confirm = BooleanField(
        _l("I understand that the person's identity is removed for good and cannot be restored."),
        validators=[DataRequired(message=_l("Tick the box to confirm the erasure."))],
    )
