"""Forms of the consent section: a grant, a withdrawal (confirmed in a second step), and the
first grant on the new-record form. Every message is the portal's own, in the user's language
(unknown choices too, rather than WTForms' generic "Not a valid choice")."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Form,
    HiddenField,
    SelectChoice,
    SelectField,
)
from wtforms.validators import AnyOf, NumberRange, Optional, StopValidation
from wtforms.widgets import HiddenInput

from portal.candidates.consent_texts import CONSENT_TEXTS, CURRENT_VERSION
from portal.candidates.vocabulary import CHOSEN_METHODS, CONSENT_METHODS
from portal.forms import IntegerField, not_in_future

MSG_METHOD = _l("Choose one of the ways listed.")
MSG_VERSION = _l("Choose a version of the consent text.")


def date_required(form, field):
    """One clear message for an empty date (WTForms would add "Not a valid date value")."""
    if field.data is None and not "".join(field.raw_data or ()).strip():
        field.errors[:] = []
        raise StopValidation(_l("Enter the date."))


def _date_field(label) -> DateField:
    return DateField(
        label,
        validators=[date_required, not_in_future],
        invalid_value_message=_l("Enter a valid date."),
        description=_l("The day of the person's statement."),
    )


def _method_field(label) -> SelectField:
    return SelectField(
        label,
        choices=[SelectChoice("", _l("— choose —"))]
        + [SelectChoice(c, CONSENT_METHODS[c]) for c in CHOSEN_METHODS],
        validate_choice=False,
        validators=[AnyOf(CHOSEN_METHODS, message=MSG_METHOD)],
    )


def _version_label(version: str):
    if version == CURRENT_VERSION:
        return _l("Version %(version)s (current)", version=version)
    return _l("Version %(version)s", version=version)


def _version_field() -> SelectField:
    return SelectField(
        _l("Version of the consent text"),
        choices=[SelectChoice(v, _version_label(v)) for v in reversed(CONSENT_TEXTS)],
        default=CURRENT_VERSION,
        validate_choice=False,
        validators=[AnyOf(tuple(CONSENT_TEXTS), message=MSG_VERSION)],
    )


class _GrantFields:
    on_date = _date_field(_l("Date the consent was given"))
    method = _method_field(_l("How it was given"))
    text_version = _version_field()

    def grant(self) -> dict:
        """The arguments of the grant operation."""
        return dict(
            on_date=self.on_date.data, method=self.method.data, text_version=self.text_version.data
        )


class ConsentGrantForm(_GrantFields, FlaskForm):
    pass


class InitialConsentForm(_GrantFields, Form):
    """Part of the new-record form: a first grant, recorded only when `given` is ticked."""

    given = BooleanField(_l("The person gives their consent now"))

    def validate(self, extra_validators=None) -> bool:
        return True if not self.given.data else super().validate(extra_validators)


class ConsentWithdrawForm(FlaskForm):
    on_date = _date_field(_l("Date the consent was withdrawn"))
    method = _method_field(_l("How it was withdrawn"))
    # Set on the confirmation page: the user has been told how many proposals it ends.
    confirmed = HiddenField()
    open_count = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(min=0)])

    def is_confirmed(self) -> bool:
        return self.confirmed.data == "y" and self.open_count.data is not None
