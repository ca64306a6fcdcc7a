"""The production form: which employer, at which institution, the land and the places."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from portal.employers.forms import INVALID_CHOICE
from portal.forms import IntegerField, not_in_future, optional_id, strip

CHOOSE = _l("— choose —")


class ProductionForm(FlaskForm):
    employer_id = SelectField(
        _l("Employer"),
        coerce=optional_id,
        invalid_choice_message=INVALID_CHOICE,
        invalid_value_message=INVALID_CHOICE,
        validators=[DataRequired(message=_l("Choose the employer."))],
        description=_l("Approved SMEs and RSE branches of your region."),
    )
    institution_id = SelectField(
        _l("Institution"),
        coerce=optional_id,
        invalid_choice_message=INVALID_CHOICE,
        invalid_value_message=INVALID_CHOICE,
        validators=[DataRequired(message=_l("Choose the institution."))],
    )
    area_m2 = IntegerField(
        _l("Land transferred, m²"),
        validators=[
            InputRequired(message=_l("Enter the area in square metres.")),
            NumberRange(min=1, message=_l("The area must be greater than zero.")),
        ],
    )
    transferred_on = DateField(
        _l("Date the land was transferred"),
        validators=[InputRequired(message=_l("Enter the date.")), not_in_future],
        invalid_value_message=_l("Enter a valid date."),
    )
    products = StringField(
        _l("Products"),
        filters=[strip],
        validators=[Length(max=500, message=_l("At most %(max)d characters."))],
    )
    places = IntegerField(
        _l("Workplaces for prisoners"),
        validators=[
            InputRequired(message=_l("Enter the number of workplaces.")),
            NumberRange(min=0, message=_l("The number cannot be negative.")),
        ],
    )

    def __init__(self, *args, employers=(), institutions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.employer_id.choices = [SelectChoice(None, CHOOSE)] + [
            SelectChoice(e.id, e.name) for e in employers
        ]
        self.institution_id.choices = [SelectChoice(None, CHOOSE)] + [
            SelectChoice(i.id, f"{i.code} {i.name}") for i in institutions
        ]

    def values(self) -> dict:
        return {
            name: self[name].data
            for name in (
                "employer_id",
                "institution_id",
                "area_m2",
                "transferred_on",
                "products",
                "places",
            )
        }
