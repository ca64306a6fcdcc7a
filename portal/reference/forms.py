"""The administrator's form for an entry of the Criminal Code table."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.extensions import db
from portal.forms import article_number, number_in, strip
from portal.reference import criminal_code
from portal.reference.articles import article_taken
from portal.reference.models import OffenceCategory


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
