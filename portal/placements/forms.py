"""Forms of the placement pages. Each step carries the placement's version, so a step taken on
a page someone else has changed since is refused by the life cycle, not applied."""

import re
from datetime import datetime

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from portal import clock
from portal.forms import IntegerField, strip
from portal.placements.lifecycle import Booking
from portal.placements.models import QUOTA_CATEGORIES, RETENTION_MILESTONES
from portal.placements.reasons import DECLINE_REASONS, END_REASONS, WITHDRAW_REASONS

MSG_INCOMPLETE = _l("The form is incomplete. Reload the page and try again.")
MSG_REASON = _l("Choose a reason.")
MSG_DATE = _l("Enter a date.")
IIN_LIKE = re.compile(r"\d{12}")


def no_identity_number(form, field):
    if field.data and IIN_LIKE.search(field.data):
        raise ValidationError(_l("Do not write an identity number (IIN) here."))


def _reasons(reasons: dict) -> list[SelectChoice]:
    return [SelectChoice("", _l("— choose —"))] + [
        SelectChoice(c, label) for c, label in reasons.items()
    ]


def _reason_field(reasons: dict) -> SelectField:
    return SelectField(
        _l("Reason"), choices=_reasons(reasons), validators=[DataRequired(message=MSG_REASON)]
    )


def _note_field() -> TextAreaField:
    return TextAreaField(_l("Note (optional)"), filters=[strip], validators=[Length(max=1000)])


def _day(day) -> str:
    return format_date(day, "long")


class StepForm(FlaskForm):
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired(message=MSG_INCOMPLETE)])
    next = HiddenField()  # where a page without JavaScript returns to (checked before use)
    # Sent by the second submit of a step that asked first (warnings): "yes, as typed".
    confirm = HiddenField()

    def warnings(self, placement) -> list[str]:
        """What to ask the user to confirm before the step is taken (nothing by default)."""
        return []

    def confirmed(self) -> bool:
        return self.confirm.data == "yes"


class InterviewForm(StepForm):
    """When and where: a local day and time (Kazakhstan), a place or by phone, a note."""

    day = DateField(_l("Day"), validators=[InputRequired(message=MSG_DATE)])
    at = TimeField(_l("Time"), validators=[InputRequired(message=_l("Enter a time."))])
    by_phone = BooleanField(_l("By phone"))
    place = StringField(_l("Place"), filters=[strip], validators=[Length(max=300)])
    note = TextAreaField(
        _l("Note for the candidate (optional)"), filters=[strip], validators=[Length(max=500)]
    )

    def booking(self) -> Booking:
        return Booking(
            starts_at=datetime.combine(self.day.data, self.at.data, clock.LOCAL_ZONE),
            by_phone=self.by_phone.data,
            place=self.place.data or "",
            note=self.note.data or "",
        )


class NoteForm(StepForm):
    """The inspector's note to the employer: the employer reads it, so it must not carry what
    employers may never see (DOMAIN.md): no identity number, no offence."""

    inspector_note = TextAreaField(
        _l("Note to the employer"),
        filters=[strip],
        validators=[Length(max=500), no_identity_number],
    )


class DeclineForm(StepForm):
    reason = _reason_field(DECLINE_REASONS)
    note = _note_field()


class HireForm(StepForm):
    start_date = DateField(
        _l("Start date"), default=clock.today, validators=[InputRequired(message=MSG_DATE)]
    )
    part_time = BooleanField(_l("A part-time second job"))

    def warnings(self, placement) -> list[str]:
        """A start before the vacancy's start or the person's availability: allowed (the
        employer may know better), once confirmed."""
        start, found = self.start_date.data, []
        if placement.vacancy.starts_on and start < placement.vacancy.starts_on:
            found.append(
                _(
                    "The start date is before the vacancy starts (%(date)s).",
                    date=_day(placement.vacancy.starts_on),
                )
            )
        if placement.candidate.available_from and start < placement.candidate.available_from:
            found.append(
                _(
                    "The start date is before the day the person is available (%(date)s).",
                    date=_day(placement.candidate.available_from),
                )
            )
        return found


class EndForm(StepForm):
    end_date = DateField(
        _l("Last working day"), default=clock.today, validators=[InputRequired(message=MSG_DATE)]
    )
    reason = _reason_field(END_REASONS)
    note = _note_field()


class WithdrawForm(StepForm):
    reason = _reason_field(WITHDRAW_REASONS)
    note = _note_field()


EMPLOYED, ENDED = "employed", "ended"


class FollowUpForm(StepForm):
    """One retention check: still employed, or ended (then the end date and reason too)."""

    milestone = IntegerField(
        widget=HiddenInput(),
        validators=[
            InputRequired(message=MSG_INCOMPLETE),
            AnyOf(RETENTION_MILESTONES, message=MSG_INCOMPLETE),
        ],
    )
    outcome = HiddenField(validators=[AnyOf((EMPLOYED, ENDED), message=MSG_INCOMPLETE)])
    end_date = DateField(_l("Last working day"), validators=[Optional()])
    reason = SelectField(_l("Reason"), choices=_reasons(END_REASONS), validators=[Optional()])
    note = _note_field()

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.outcome.data == ENDED:
            if self.end_date.data is None:
                self.end_date.errors = [*self.end_date.errors, MSG_DATE]
                ok = False
            if not self.reason.data:
                self.reason.errors = [*self.reason.errors, MSG_REASON]
                ok = False
        return ok


class LocalDecimalField(DecimalField):
    """A decimal typed the Kazakh and Russian way too: "0,5" and "1 000"."""

    def process_formdata(self, valuelist):
        super().process_formdata(
            [v.replace(",", ".").replace(" ", "").replace("\xa0", "") for v in valuelist]
        )
        if self.data is not None and not self.data.is_finite():  # "inf", "NaN"
            self.data = None
            raise ValueError(self.invalid_value_message)


QUOTA_MODE_CHOICES = [
    SelectChoice("number", _l("Number of workplaces")),
    SelectChoice("percent", _l("Percentage of the headcount")),
]


def _mode_field() -> RadioField:
    return RadioField(
        _l("The quota is set as"),
        choices=QUOTA_MODE_CHOICES,
        default="number",
        validators=[Optional()],
    )


def _value_field() -> LocalDecimalField:
    return LocalDecimalField(
        _l("Quota"),
        places=None,
        validators=[Optional()],
        invalid_value_message=_l("Enter a number, for example 2 or 0,5."),
        description=_l("Leave empty to keep the quota as it is."),
    )


class QuotaForm(FlaskForm):
    year = IntegerField(
        _l("Year"),
        validators=[
            InputRequired(message=_l("Enter the year.")),
            NumberRange(min=2000, max=2100, message=_l("Enter a year between 2000 and 2100.")),
        ],
    )
    released_mode = _mode_field()
    released_value = _value_field()
    probation_mode = _mode_field()
    probation_value = _value_field()

    def category_fields(self):
        """(category, mode field, value field) in QUOTA_CATEGORIES order."""
        return [(c, self[f"{c}_mode"], self[f"{c}_value"]) for c in QUOTA_CATEGORIES]


FOUND_CHOICES = [
    SelectChoice("yes", _l("Found at work")),
    SelectChoice("no", _l("Not found at work")),
]


class WorkplaceCheckForm(FlaskForm):
    """Probation's check of the place of work: the day, found there or not, a note. The rules
    on the day (not in the future, within the employment) are workplace_checks'."""

    checked_on = DateField(
        _l("Day of the check"),
        default=clock.today,
        validators=[InputRequired(message=MSG_DATE)],
        invalid_value_message=_l("Enter a valid date."),
    )
    found_at_work = RadioField(
        _l("Was the person at work?"),
        choices=FOUND_CHOICES,
        validators=[InputRequired(message=_l("Choose whether the person was found at work."))],
    )
    note = TextAreaField(_l("Note (optional)"), filters=[strip], validators=[Length(max=1000)])

    @property
    def found(self) -> bool:
        return self.found_at_work.data == "yes"
