import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from portal.auth.forms import new_password_field
from portal.auth.models import AKIMAT, EMPLOYER, INSPECTOR, ROLE_LABELS, ROLES
from portal.candidates.choices import district_choices
from portal.employers.models import Employer
from portal.extensions import db
from portal.forms import optional_id
from portal.reference.models import District, Institution, Region


class UserForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(message=_l("Enter an e-mail.")),
            Email(message=_l("Enter a valid e-mail address.")),
            Length(max=254),
        ],
    )
    full_name = StringField(
        _l("Full name"),
        validators=[DataRequired(message=_l("Enter the full name.")), Length(max=200)],
    )
    phone = StringField(
        _l("Work phone"),
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        validators=[Length(max=40)],
        description=_l("Employers see an inspector's phone on the proposals they make."),
    )
    role = SelectField(_l("Role"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES])
    locale = SelectField(
        _l("Language"), choices=[SelectChoice("kk", "Қазақша"), SelectChoice("ru", "Русский")]
    )
    region_id = SelectField(_l("Region"), coerce=optional_id, validators=[Optional()])
    district_id = SelectField(_l("District"), coerce=optional_id, validators=[Optional()])
    institution_id = SelectField(_l("Institution"), coerce=optional_id, validators=[Optional()])
    employer_id = SelectField(_l("Organisation"), coerce=optional_id, validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        none = [SelectChoice(None, _l("— none —"))]
        regions = db.session.scalars(sa.select(Region).order_by(Region.kato))
        self.region_id.choices = none + [SelectChoice(r.id, r.name) for r in regions]
        self.district_id.choices = none + district_choices(grouped=False)
        institutions = db.session.scalars(sa.select(Institution).order_by(Institution.code))
        self.institution_id.choices = none + [
            SelectChoice(i.id, f"{i.code} — {i.name}") for i in institutions
        ]
        employers = db.session.scalars(sa.select(Employer).order_by(Employer.bin))
        self.employer_id.choices = none + [
            SelectChoice(e.id, f"{e.name} ({e.bin})") for e in employers
        ]

    def validate(self, extra_validators=None) -> bool:
        """Each role needs its own scope, and a district must lie in the chosen region."""
        if not super().validate(extra_validators):
            return False
        role = self.role.data
        ok = True
        if role in (INSPECTOR, AKIMAT) and self.region_id.data is None:
            self.region_id.errors.append(_l("Inspectors and akimat users need a region."))
            ok = False
        if role == EMPLOYER and self.employer_id.data is None:
            self.employer_id.errors.append(_l("An employer user needs an organisation."))
            ok = False
        if self.district_id.data is not None:
            district = db.session.get(District, self.district_id.data)
            if district is None or district.region_id != self.region_id.data:
                self.district_id.errors.append(_l("The district is not in the chosen region."))
                ok = False
        if self.institution_id.data is not None:
            institution = db.session.get(Institution, self.institution_id.data)
            if institution is None or institution.region_id != self.region_id.data:
                self.institution_id.errors.append(
                    _l("The institution is not in the chosen region.")
                )
                ok = False
        return ok

    def scope_for_role(self) -> dict:
        """Only the scope fields the role uses are kept; the rest are cleared."""
        role = self.role.data
        return {
            "region_id": self.region_id.data if role in (INSPECTOR, AKIMAT) else None,
            "district_id": self.district_id.data if role == AKIMAT else None,
            "institution_id": self.institution_id.data if role == INSPECTOR else None,
            "employer_id": self.employer_id.data if role == EMPLOYER else None,
        }


class NewUserForm(UserForm):
    password = new_password_field(
        _l("Initial password"), lambda form: (form.email.data, form.full_name.data)
    )


class PasswordResetForm(FlaskForm):
    """Set `user` (the account whose password is reset) before validating."""

    user = None
    password = new_password_field(
        _l("New password"), lambda form: (form.user.email, form.user.full_name)
    )
