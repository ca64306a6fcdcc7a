"""The administrator's forms for reference data: an entry of the Criminal Code table, the
names of a row, a new district, occupation or institution, a rule's legal-basis text."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from portal.extensions import db
from portal.forms import article_number, number_in, strip
from portal.reference import criminal_code
from portal.reference.articles import article_taken
from portal.reference.models import District, Institution, Occupation, OffenceCategory, Region

SECURITY_LEVEL_LABELS = {
    "minimum": _l("Minimum security"),
    "medium": _l("Medium security"),
    "maximum": _l("Maximum security"),
    "mixed": _l("Mixed"),
}


class CriminalArticleForm(FlaskForm):
    code = SelectField(
        _l("Criminal Code"),
        choices=[SelectChoice("2014", "2014"), SelectChoice("1997", "1997")],
        validators=[DataRequired(message=_l("Choose the Code."))],
    )
    article = StringField(
        _l("Article"),
        filters=[number_in],
        validators=[DataRequired(message=_l("Enter the article.")), article_number],
    )
    part = StringField(
        _l("Part"),
        filters=[number_in],
        validators=[Optional(), article_number],
        description=_l("Only where the part decides the category; empty for the whole article."),
    )
    name_kk = StringField(
        _l("Title in Kazakh"),
        filters=[strip],
        validators=[DataRequired(message=_l("Enter the title in Kazakh.")), Length(max=400)],
    )
    name_ru = StringField(
        _l("Title in Russian"),
        filters=[strip],
        validators=[DataRequired(message=_l("Enter the title in Russian.")), Length(max=400)],
    )
    category_code = SelectField(
        _l("Offence category"), validators=[DataRequired(message=_l("Choose the category."))]
    )
    victim_age_decides = BooleanField(
        _l("Against a minor only where the victim was one (the form asks the victim's age)")
    )
    needs_review = BooleanField(_l("Awaits legal review"))
    note = TextAreaField(_l("Note: source, what is not confirmed"), filters=[strip])

    def __init__(self, *args, entry=None, **kwargs):
        super().__init__(*args, obj=entry, **kwargs)
        self.entry = entry
        categories = db.session.scalars(
            sa.select(OffenceCategory).order_by(OffenceCategory.position)
        )
        self.category_code.choices = [SelectChoice(c.code, c.name) for c in categories]
        if entry is not None:  # the key of an entry stays; a new key is a new entry
            del self.code, self.article, self.part

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.entry is None and article_taken(
            self.code.data, self.article.data, criminal_code.normal_part(self.part.data)
        ):
            self.article.errors.append(_l("The table already has this article (and part)."))
            return False
        return True

    def values(self) -> dict:
        names = ("code", "article", "part", *("name_kk", "name_ru", "category_code"))
        values = {name: self[name].data for name in names if name in self}
        if "part" in values:
            values["part"] = criminal_code.normal_part(values["part"])
        values.update(
            victim_age_decides=self.victim_age_decides.data,
            needs_review=self.needs_review.data,
            note=self.note.data or "",
        )
        return values


class NamesForm(FlaskForm):
    """The names of a district, occupation or institution, in both languages."""

    name_kk = StringField(
        _l("Name in Kazakh"),
        filters=[strip],
        validators=[DataRequired(message=_l("Enter the name in Kazakh.")), Length(max=200)],
    )
    name_ru = StringField(
        _l("Name in Russian"),
        filters=[strip],
        validators=[DataRequired(message=_l("Enter the name in Russian.")), Length(max=200)],
    )


def _unique(model, column: str, message):
    def check(form, field):
        if db.session.scalar(sa.select(model.id).where(getattr(model, column) == field.data)):
            raise ValidationError(message)

    return check


class _NewRowForm(NamesForm):
    def values(self) -> dict:
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}


class DistrictForm(_NewRowForm):
    kato = StringField(
        _l("KATO code"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the KATO code.")),
            Regexp(r"\d{9}\Z", message=_l("A KATO code has 9 digits.")),
            _unique(District, "kato", _l("Another district has this KATO code.")),
        ],
    )
    region_id = SelectField(_l("Region"), coerce=int, validate_choice=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        regions = db.session.scalars(sa.select(Region).order_by(Region.kato))
        self.region_id.choices = [SelectChoice(r.id, r.name) for r in regions]


class OccupationForm(_NewRowForm):
    code = StringField(
        _l("НКЗ code"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the НКЗ code.")),
            Regexp(
                r"\d{4}-\d\Z",
                message=_l("Write the НКЗ code as four digits, a dash and one digit (7533-0)."),
            ),
            _unique(Occupation, "code", _l("Another occupation has this code.")),
        ],
    )


class InstitutionForm(_NewRowForm):
    code = StringField(
        _l("Institution code"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the institution's code.")),
            Length(max=40),
            _unique(Institution, "code", _l("Another institution has this code.")),
        ],
    )
    security_level = SelectField(
        _l("Security level"),
        choices=[SelectChoice(level, label) for level, label in SECURITY_LEVEL_LABELS.items()],
    )
    region_id = SelectField(_l("Region"), coerce=int)
    district_id = SelectField(
        _l("District"), coerce=lambda v: int(v) if v else None, validators=[Optional()]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        regions = db.session.scalars(sa.select(Region).order_by(Region.kato))
        self.region_id.choices = [SelectChoice(r.id, r.name) for r in regions]
        districts = db.session.scalars(
            sa.select(District).where(District.retired_at.is_(None)).order_by(District.kato)
        )
        self.district_id.choices = [SelectChoice(None, _l("— none —"))] + [
            SelectChoice(d.id, d.name) for d in districts
        ]

    def validate_district_id(self, field):
        district = db.session.get(District, field.data) if field.data else None
        if district is not None and district.region_id != self.region_id.data:
            raise ValidationError(_l("The district is not in the region chosen."))


class LegalBasisForm(FlaskForm):
    text_kk = StringField(
        _l("Text in Kazakh"),
        filters=[strip],
        validators=[DataRequired(message=_l("Enter the text in Kazakh.")), Length(max=400)],
    )
    text_ru = StringField(
        _l("Text in Russian"),
        filters=[strip],
        validators=[DataRequired(message=_l("Enter the text in Russian.")), Length(max=400)],
    )
