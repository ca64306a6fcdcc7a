"""Forms of the employer pages: registration, the organisation, vacancies, decisions."""

import sqlalchemy as sa
from babel.dates import get_day_names
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from portal.auth.forms import new_password_field
from portal.candidates.choices import district_choices
from portal.employers import vacancies
from portal.employers.implied import implied_notes
from portal.employers.models import EMPLOYER_KIND_LABELS, EMPLOYER_KINDS
from portal.employers.registration import bin_taken
from portal.extensions import db
from portal.forms import AmountField, IntegerField, optional_id, strip
from portal.reference.identifiers import is_valid_bin
from portal.reference.models import (
    Activity,
    Institution,
    Occupation,
    PlaceType,
    Sphere,
    WorkingCondition,
)
from portal.reference.retiring import offered

ANSWER_REQUIRED = _l("Answer this question: yes or no.")
INVALID_CHOICE = _l("Choose one of the options in the list.")

BIN_TAKEN = _l("An organisation with this BIN is already registered.")


def yes_no(value) -> bool | None:
    """The minors questions: "yes"/"no" from the form, True/False from the model, else None."""
    if isinstance(value, bool) or value is None:
        return value
    return {"yes": True, "no": False}.get(value)


def _blank_to_none(value):
    value = value.strip() if isinstance(value, str) else value
    return value or None


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("invalid_choice_message", INVALID_CHOICE)
        super().__init__(label, validators, **kwargs)


class WeekdaysField(CheckboxesField):
    """ISO weekdays 1-7 as checkboxes; the model keeps them as a string such as "12345"."""

    def process_data(self, value):
        super().process_data(list(value) if isinstance(value, str) else value)


def occupation_label(occupation: Occupation) -> str:
    """ "7533-0 — name in the UI language (name in the other language)"."""
    other = occupation.name_kk if occupation.name == occupation.name_ru else occupation.name_ru
    return f"{occupation.code} — {occupation.name} ({other})"


def _terms(model) -> list[SelectChoice]:
    rows = db.session.scalars(sa.select(model).order_by(model.position, model.code))
    return [SelectChoice(t.code, t.name) for t in rows]


class OrganisationForm(FlaskForm):
    name_kk = StringField(
        _l("Name in Kazakh"), filters=[_blank_to_none], validators=[Optional(), Length(max=300)]
    )
    name_ru = StringField(
        _l("Name in Russian"), filters=[_blank_to_none], validators=[Optional(), Length(max=300)]
    )
    bin = StringField(
        _l("BIN"),
        filters=[lambda v: v.replace(" ", "") if isinstance(v, str) else v],
        validators=[DataRequired(message=_l("Enter the BIN."))],
        description=_l("12 digits, as in the registration certificate."),
    )
    kind = SelectField(
        _l("Kind of organisation"),
        choices=[SelectChoice(k, EMPLOYER_KIND_LABELS[k]) for k in EMPLOYER_KINDS],
        invalid_choice_message=INVALID_CHOICE,
    )
    district_id = SelectField(
        _l("District (KATO)"),
        coerce=optional_id,
        invalid_choice_message=INVALID_CHOICE,
        validators=[DataRequired(message=_l("Choose the district."))],
    )
    address = StringField(
        _l("Address"),
        filters=[strip],
        validators=[DataRequired(message=_l("Enter the address.")), Length(max=300)],
    )
    contact_person = StringField(
        _l("Contact person"),
        filters=[strip],
        validators=[DataRequired(message=_l("Enter the contact person.")), Length(max=200)],
    )
    phone = StringField(
        _l("Phone"),
        filters=[strip],
        validators=[DataRequired(message=_l("Enter a phone number.")), Length(max=40)],
    )
    email = EmailField(
        _l("Organisation e-mail"),
        filters=[strip],
        validators=[
            Optional(),
            Email(message=_l("Enter a valid e-mail address.")),
            Length(max=254),
        ],
    )
    headcount = IntegerField(
        _l("Number of employees"),
        validators=[
            InputRequired(message=_l("Enter the number of employees.")),
            NumberRange(min=0, message=_l("The number cannot be negative.")),
        ],
        description=_l("Quotas of workplaces are counted from it."),
    )
    workshop_capacity = IntegerField(
        _l("Workplaces for prisoners in your workshop"),
        validators=[Optional(), NumberRange(min=0, message=_l("The number cannot be negative."))],
        description=_l("Only for RSE branch workshops and productions on an institution's land."),
    )

    def __init__(self, *args, employer_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._employer_id = employer_id  # the organisation being edited, if any
        saved = [getattr(kwargs.get("obj"), "district_id", None)]
        self.district_id.choices = [SelectChoice(None, _l("— choose —"))] + district_choices(
            keep=saved + [(kwargs.get("data") or {}).get("district_id")]
        )

    def validate_bin(self, field):
        if not is_valid_bin(field.data):
            raise ValidationError(
                _l("This is not a valid BIN: it must have 12 digits and a correct check digit.")
            )
        if bin_taken(field.data, except_id=self._employer_id):
            raise ValidationError(BIN_TAKEN)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not (self.name_kk.data or self.name_ru.data):
            self.name_kk.errors.append(_l("Enter the name in Kazakh or in Russian (or both)."))
            ok = False
        return ok

    def organisation_values(self) -> dict:
        return {name: self[name].data for name in ORGANISATION_FIELDS if name in self}


ORGANISATION_FIELDS = (
    "name_kk",
    "name_ru",
    "bin",
    "kind",
    "district_id",
    "address",
    "contact_person",
    "phone",
    "email",
    "headcount",
    "workshop_capacity",
)


class RegistrationForm(OrganisationForm):
    login_email = EmailField(
        _l("Your e-mail for signing in"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter an e-mail.")),
            Email(message=_l("Enter a valid e-mail address.")),
            Length(max=254),
        ],
    )
    password = new_password_field(
        _l("Password"), lambda form: (form.login_email.data, form.contact_person.data)
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[EqualTo("password", message=_l("The two passwords do not match."))],
    )


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for the rejection"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Give the reason, so the organisation can correct it.")),
            Length(max=2000),
        ],
    )


YES_NO = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]


class VacancyForm(FlaskForm):
    occupation_id = SelectField(
        _l("Occupation (НКЗ)"),
        coerce=optional_id,
        invalid_choice_message=INVALID_CHOICE,
        validators=[DataRequired(message=_l("Choose the occupation."))],
    )
    title_kk = StringField(
        _l("Title in Kazakh"), filters=[_blank_to_none], validators=[Optional(), Length(max=300)]
    )
    title_ru = StringField(
        _l("Title in Russian"), filters=[_blank_to_none], validators=[Optional(), Length(max=300)]
    )
    description_kk = TextAreaField(_l("Description in Kazakh"), filters=[strip])
    description_ru = TextAreaField(_l("Description in Russian"), filters=[strip])
    district_id = SelectField(
        _l("District of the workplace (KATO)"),
        coerce=optional_id,
        invalid_choice_message=INVALID_CHOICE,
        validators=[DataRequired(message=_l("Choose the district."))],
    )
    address = StringField(
        _l("Address of the workplace"), filters=[strip], validators=[Length(max=300)]
    )
    places = IntegerField(
        _l("Number of places"),
        default=1,
        validators=[
            InputRequired(message=_l("Enter the number of places.")),
            NumberRange(min=1, message=_l("There must be at least one place.")),
        ],
    )
    wage = AmountField(
        _l("Wage, tenge per month"),
        validators=[
            InputRequired(message=_l("Enter the wage.")),
            NumberRange(min=0, message=_l("The wage cannot be negative.")),
        ],
    )
    shift_start = TimeField(_l("Shift starts at"), validators=[Optional()])
    shift_end = TimeField(
        _l("Shift ends at"),
        validators=[Optional()],
        description=_l(
            "An end before the start means the shift ends the next day (a night shift)."
        ),
    )
    working_days = WeekdaysField(_l("Working days"), default="12345")
    starts_on = DateField(_l("Start date"), validators=[Optional()])
    closes_on = DateField(
        _l("Closing date"),
        validators=[Optional()],
        description=_l("After this day the vacancy closes by itself."),
    )
    sphere_code = SelectField(
        _l("Sphere"),
        invalid_choice_message=INVALID_CHOICE,
        validators=[DataRequired(message=_l("Choose the sphere."))],
    )
    condition_codes = CheckboxesField(_l("Working conditions"))
    activity_codes = CheckboxesField(
        _l("Activities the job involves"),
        description=_l(
            "Required before publishing: tick every activity the job involves, or “None of these”."
        ),
    )
    # "None of these" answers the activities question as ticking activities does.
    no_activities = BooleanField(_l("None of these"))
    place_type_codes = CheckboxesField(_l("The workplace is, or is next to"))
    alcohol = BooleanField(_l("Alcohol is sold or produced at the workplace"))
    travel = BooleanField(_l("The job needs travel outside the district"))
    # Required answers with no default: unanswered stays None (a draft may leave them open).
    with_minors = RadioField(
        _l("Does the work involve minors (people under 18)?"),
        choices=YES_NO,
        coerce=yes_no,
        validators=[Optional()],
        invalid_choice_message=ANSWER_REQUIRED,
    )
    near_minors = RadioField(
        _l(
            "Is the workplace at or next to a facility for minors (school, kindergarten, "
            "children's camp or clinic, playground)?"
        ),
        choices=YES_NO,
        coerce=yes_no,
        validators=[Optional()],
        invalid_choice_message=ANSWER_REQUIRED,
    )
    # Asked only when a change of a published vacancy would return its open proposals.
    proposals_return = BooleanField(
        _l("Save the changes, and return the open proposals to the inspectors")
    )
    institution_ids = CheckboxesField(
        _l("Prisoners of these institutions may work here"),
        coerce=int,
        description=_l(
            "For RSE branch workshops and productions on or next to an institution's "
            "land. Leave empty for an ordinary job."
        ),
    )

    def __init__(self, *args, with_institutions: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        saved = kwargs.get("data") or {}  # a saved vacancy's values: its retired codes stay
        occupations = db.session.scalars(sa.select(Occupation).order_by(Occupation.code)).all()
        self._occupations = {o.id: o for o in occupations}
        self.occupation_id.choices = [SelectChoice(None, _l("— choose —"))] + [
            SelectChoice(o.id, occupation_label(o))
            for o in occupations
            if not o.retired or o.id == saved.get("occupation_id")
        ]
        self.district_id.choices = [SelectChoice(None, _l("— choose —"))] + district_choices(
            keep=[saved.get("district_id")]
        )
        self.sphere_code.choices = [SelectChoice("", _l("— choose —"))] + _terms(Sphere)
        self.condition_codes.choices = _terms(WorkingCondition)
        self.activity_codes.choices = _terms(Activity)
        self.place_type_codes.choices = _terms(PlaceType)
        days = get_day_names("wide", locale=get_locale())
        self.working_days.choices = [SelectChoice(str(n), days[n - 1]) for n in range(1, 8)]
        if with_institutions:
            rows = db.session.scalars(
                sa.select(Institution)
                .where(
                    Institution.security_level == "minimum",
                    offered(Institution, saved.get("institution_ids") or ()),
                )
                .order_by(Institution.code)
            )
            self.institution_ids.choices = [
                SelectChoice(i.id, f"{i.code} — {i.name}") for i in rows
            ]
        else:
            del self.institution_ids

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        if data is not None and "activities_answered" in data:  # a saved vacancy's values
            none_of_these = data["activities_answered"] and not data.get("activity_codes")
            data = {**data, "no_activities": none_of_these}
        super().process(formdata, obj, data, extra_filters, **kwargs)

    def locked_choices(self) -> dict[str, dict]:
        """{field: {code: why}}: what the occupation and shift chosen imply, which the form
        shows ticked and locked (a disabled box is not sent: declared stays what was ticked)."""
        shift = (self.shift_start.data, self.shift_end.data)
        return implied_notes(self._occupations.get(self.occupation_id.data), shift)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not (self.title_kk.data or self.title_ru.data):
            self.title_kk.errors.append(_l("Enter the title in Kazakh or in Russian (or both)."))
            ok = False
        if self.no_activities.data and self.activity_codes.data:
            self.activity_codes.errors.append(
                _l("Tick the activities the job involves or “None of these”, not both.")
            )
            ok = False
        if (self.shift_start.data is None) != (self.shift_end.data is None):
            missing = self.shift_end if self.shift_start.data else self.shift_start
            missing.errors.append(_l("Give both the start and the end of the shift, or neither."))
            ok = False
        starts, closes = self.starts_on.data, self.closes_on.data
        if starts and closes and closes < starts:
            self.closes_on.errors.append(_l("The closing date cannot be before the start date."))
            ok = False
        return ok

    def vacancy_values(self) -> dict:
        """Plain values for the operations in vacancies.py (never an employer id)."""
        names = (*vacancies.SCALAR_FIELDS, *vacancies.LIST_FIELDS)  # what the operations take
        values = {name: self[name].data for name in names if name in self}
        values["working_days"] = "".join(sorted(set(self.working_days.data or ())))
        values["activities_answered"] = self.no_activities.data  # ticks answer it too (vacancies)
        values.setdefault("institution_ids", [])
        return values
