"""Forms, filters and validators shared by every package."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField as WTFormsIntegerField
from wtforms.validators import ValidationError
from wtforms.widgets import TextInput

from portal import clock
from portal.reference.criminal_code import ARTICLE, normal_part

# What an INTEGER column holds on PostgreSQL (4 bytes): every id and count of the portal.
LARGEST_INTEGER = 2**31 - 1


def database_int(value: str) -> int:
    """`type=` for request.args.get: an integer that an INTEGER column holds, else ValueError,
    so that the parameter counts as not given (as any other value that is not a number)."""
    number = int(value)
    if abs(number) > LARGEST_INTEGER:
        raise ValueError(value)
    return number


class IntegerField(WTFormsIntegerField):
    """An integer that fits the database's INTEGER columns; a larger one is the field's error,
    not the driver's overflow."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and abs(self.data) > LARGEST_INTEGER:
            self.data = None
            raise ValueError(_l("The number is too large."))


# The one answer to a conflict with a record the user may not know of (the IIN of a person
# registered elsewhere): it says neither whether nor where such a record exists.
NOT_HERE = _l(
    "A record with these details cannot be saved here. Contact an administrator: they can "
    "check the details and move or merge the records."
)


class ConfirmForm(FlaskForm):
    """An empty form: the CSRF token is the confirmation that the user pressed the button."""


class AmountField(IntegerField):
    """Whole tenge typed as people write them: «200 000», «200 000,50» (rounded), «-5» kept
    negative for the range check. A text box: a number box refuses the spaces."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        typed = "".join(valuelist[0].split()).replace(",", ".")  # split(): any space, nbsp too
        try:
            self.data = int(Decimal(typed).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        except (InvalidOperation, ValueError, OverflowError):  # not a number, inf, NaN
            self.data = None
            raise ValueError(_l("Enter the amount in figures, for example 200 000.")) from None
        if abs(self.data) > LARGEST_INTEGER:
            self.data = None
            raise ValueError(_l("The number is too large."))


def optional_id(value):
    """`coerce=` for a select of ids with an empty choice: the id, or None."""
    return int(value) if value not in (None, "", "None") else None


def strip(value):
    return value.strip() if isinstance(value, str) else value


def number_in(value):
    """ "ст. 122", "ч. 3-2" → "122", "3-2": a Criminal Code number, as typed around it or not."""
    if not isinstance(value, str):
        return value
    return normal_part(value) or value.strip()


def article_number(form, field):
    """A Criminal Code article or part: "122", "108-1"."""
    if field.data and not ARTICLE.fullmatch(field.data):
        raise ValidationError(_l("Enter the number only, for example 122 or 108-1."))


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
