"""The programme's forms: the assessment (one row per area), a step, and starting from a
template. Every message is the portal's own, in the user's language."""

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    Form,
    FormField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, Length, Optional, ValidationError

from portal import clock
from portal.candidates.consent_forms import date_required
from portal.extensions import db
from portal.forms import not_in_future, strip
from portal.programmes.models import (
    ASSESSMENT_AREAS,
    ASSESSMENT_STATES,
    NOT_ASSESSED,
    STEP_STATES,
    ProgrammeService,
)

BAD_DATE = _l("Enter a valid date.")
# A due date further than this from today is a typing error (a programme runs about a year).
DUE_RANGE = timedelta(days=5 * 366)
NOTE_LENGTH = 2000


def _choice(states: dict, message) -> SelectField:
    return SelectField(
        _l("State"),
        choices=[SelectChoice(code, label) for code, label in states.items()],
        validate_choice=False,
        validators=[AnyOf(tuple(states), message=message)],
    )


def _at_most(length: int) -> Length:
    return Length(max=length, message=_l("At most %(max)d characters.", max=length))


def _text(label, length: int = NOTE_LENGTH):
    return TextAreaField(label, filters=[strip], validators=[_at_most(length)])


class AssessmentItemForm(Form):
    state = _choice(ASSESSMENT_STATES, _l("Choose one of the states listed."))
    on_date = DateField(
        _l("Assessed on"),
        validators=[Optional(), not_in_future],
        invalid_value_message=BAD_DATE,
    )
    note = _text(_l("Note"))

    def value(self) -> dict:
        """Not assessed: no date. Assessed without a date: today."""
        on_date = self.on_date.data
        if self.state.data == NOT_ASSESSED:
            on_date = None
        elif on_date is None:
            on_date = clock.today()
        return dict(state=self.state.data, on_date=on_date, note=self.note.data or "")


class AssessmentForm(FlaskForm):
    def values(self) -> dict[str, dict]:
        return {area: self[area].form.value() for area in ASSESSMENT_AREAS}

    def items(self):
        return [(area, self[area]) for area in ASSESSMENT_AREAS]


for _area, _label in ASSESSMENT_AREAS.items():
    setattr(AssessmentForm, _area, FormField(AssessmentItemForm, label=_label))


def assessment_form(programme) -> AssessmentForm:
    """The form with the programme's assessment (a POST's values take precedence)."""
    return AssessmentForm(
        data={
            item.area: dict(state=item.state, on_date=item.on_date, note=item.note)
            for item in programme.assessments
        }
    )


def due_in_range(form, field):
    today = clock.today()
    if field.data is not None and not today - DUE_RANGE <= field.data <= today + DUE_RANGE:
        raise ValidationError(_l("The due date must be within five years of today."))


class StepForm(FlaskForm):
    title_kk = StringField(_l("Step in Kazakh"), filters=[strip], validators=[_at_most(300)])
    title_ru = StringField(_l("Step in Russian"), filters=[strip], validators=[_at_most(300)])
    service_code = SelectField(_l("Responsible service"), validate_choice=False)
    due_on = DateField(
        _l("Due date"), validators=[date_required, due_in_range], invalid_value_message=BAD_DATE
    )
    state = _choice(STEP_STATES, _l("Choose one of the states listed."))
    done_on = DateField(
        _l("Done on"),
        validators=[Optional(), not_in_future],
        invalid_value_message=BAD_DATE,
        description=_l("For a step done; empty: today."),
    )
    reason = _text(_l("Why it is not possible"))
    outcome = _text(_l("Outcome"))

    def __init__(self, *args, step=None, **kwargs):
        super().__init__(*args, obj=step, **kwargs)
        services = db.session.scalars(
            sa.select(ProgrammeService).order_by(ProgrammeService.position)
        ).all()
        self.service_code.choices = [SelectChoice("", _l("— choose —"))] + [
            SelectChoice(s.code, s.name) for s in services
        ]
        self.service_code.validators = [
            AnyOf([s.code for s in services], message=_l("Choose one of the services listed."))
        ]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.title_kk.data or self.title_ru.data):
            self.title_kk.errors = [*self.title_kk.errors, _l("Name the step in either language.")]
            valid = False
        if self.state.data == "not_possible" and not self.reason.data:
            self.reason.errors = [*self.reason.errors, _l("Say why the step is not possible.")]
            valid = False
        return valid

    def values(self) -> dict:
        text = ("title_kk", "title_ru", "reason", "outcome")
        return {name: self[name].data or "" for name in text} | {
            name: self[name].data for name in ("service_code", "due_on", "state", "done_on")
        }
