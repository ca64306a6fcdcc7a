"""Forms for candidate records: the main record, its sections, the list filters."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FormField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import TextInput

from portal import clock
from portal.auth.models import INSPECTOR, User
from portal.candidates import choices
from portal.candidates.consent_forms import InitialConsentForm
from portal.candidates.identity import iin_holder
from portal.candidates.models import Candidate
from portal.candidates.vocabulary import (
    CANDIDATE_STATUS_LABELS,
    CANDIDATE_STATUSES,
    CUSTODY_STATUSES,
)
from portal.extensions import db
from portal.forms import (
    NOT_HERE,
    article_number,
    not_in_future,
    number_in,
    optional_id,
    strip,
)
from portal.reference import criminal_code
from portal.reference.identifiers import is_valid_number
from portal.reference.models import (
    Activity,
    Institution,
    PlaceType,
    WorkingCondition,
)

# A prisoner of a minimum-security institution is held in one (or in a mixed one's section).
MIN_SECURITY_LEVELS = ("minimum", "mixed")
TIME_FORMATS = ["%H:%M", "%H.%M"]
TIME_INPUT = TextInput()
BAD_TIME = _l("Enter the time as HH:MM, for example 22:00.")
EARLIEST_BIRTH = date(1900, 1, 1)
STATUS_CHOICES = [SelectChoice(s, CANDIDATE_STATUS_LABELS[s]) for s in CANDIDATE_STATUSES]


def digits_only(value):
    """An IIN may be typed with spaces ("880314 3 01201"); only the digits are kept."""
    return "".join(value.split()) if isinstance(value, str) else value


def valid_iin(form, field):
    if not is_valid_number(field.data):
        raise ValidationError(_l("Enter a valid IIN: 12 digits with a correct check digit."))


class CandidateForm(FlaskForm):
    """The main record. Which fields exist depends on who fills it (see __init__)."""

    full_name = StringField(
        _l("Full name"),
        filters=[strip],
        validators=[DataRequired(message=_l("Enter the full name.")), Length(max=200)],
    )
    iin = StringField(
        _l("IIN"),
        filters=[digits_only],
        validators=[DataRequired(message=_l("Enter the IIN.")), valid_iin],
    )
    birth_date = DateField(
        _l("Date of birth"),
        validators=[DataRequired(message=_l("Enter the date of birth.")), not_in_future],
    )
    language_codes = SelectMultipleField(_l("Languages spoken"))
    status = SelectField(
        _l("Status"),
        choices=choices.none_choice(choices.CHOOSE) + STATUS_CHOICES,
        validators=[DataRequired(message=_l("Choose the status."))],
    )
    institution_id = SelectField(_l("Institution"), coerce=optional_id, validators=[Optional()])
    release_date = DateField(_l("Release date"), validators=[Optional()])
    region_id = SelectField(
        _l("Region keeping the record"),
        coerce=optional_id,
        validators=[DataRequired(message=_l("Choose the region."))],
    )
    district_id = SelectField(
        _l("District of residence"), coerce=optional_id, validators=[Optional()]
    )
    education = StringField(_l("Education"), filters=[strip], validators=[Length(max=200)])
    skills = TextAreaField(_l("Skills"), filters=[strip])
    housing = StringField(_l("Housing"), filters=[strip], validators=[Length(max=200)])
    available_from = DateField(_l("Available for work from"), validators=[Optional()])
    programme_notes = TextAreaField(_l("Individual programme notes"), filters=[strip])
    # A new record may start with the person's first grant (later ones: the consent section).
    initial_consent = FormField(InitialConsentForm, label=_l("Consent"))

    iin_conflict: int | None = None  # the record that holds the IIN typed, once validated

    def __init__(self, *args, user: User, candidate: Candidate | None = None, **kwargs):
        if candidate is not None:
            kwargs.setdefault("language_codes", choices.split_languages(candidate.languages))
        super().__init__(*args, obj=candidate, **kwargs)
        self.user, self.candidate = user, candidate
        if user.role == INSPECTOR:
            # The record stays in the inspector's scope: region (and institution) are theirs.
            del self.region_id
            if user.institution_id is not None:
                del self.institution_id
            else:
                self.institution_id.choices = choices.none_choice() + choices.institution_choices(
                    user.region_id, keep=[getattr(candidate, "institution_id", None)]
                )
        else:
            self.region_id.choices = choices.none_choice(choices.CHOOSE) + choices.region_choices()
            self.institution_id.choices = choices.none_choice() + choices.institution_choices(
                keep=[getattr(candidate, "institution_id", None)]
            )
            if candidate is not None:
                del self.iin  # shown masked to administrators, so not editable by them
        if candidate is not None:
            del self.initial_consent
        self.district_id.choices = choices.none_choice() + choices.district_choices(
            keep=[getattr(candidate, "district_id", None)]
        )
        self.language_codes.choices = choices.language_choices()

    def validate_birth_date(self, field):
        if field.data is not None and field.data < EARLIEST_BIRTH:
            raise ValidationError(_l("Check the date of birth."))

    def warnings(self) -> list[str]:
        """What is saved but looks wrong: a "released" person whose release is still ahead."""
        released, day = self.status.data == "released", self.release_date.data
        if released and day is not None and day > clock.today():
            return [_l("The person is recorded as released, but the release date is still ahead.")]
        return []

    def validate_iin(self, field):
        """Only an administrator, who sees every record, is told that the IIN is registered.
        An inspector gets one answer for every IIN held by another record, in their scope or
        not, which says neither whether nor where it exists, and sends them to an
        administrator; the view audits the attempt (records.record_iin_conflict)."""
        self.iin_conflict = iin_holder(
            field.data, except_id=self.candidate.id if self.candidate else None
        )
        if self.iin_conflict is not None:
            if self.user.role == INSPECTOR:
                raise ValidationError(NOT_HERE)
            raise ValidationError(_l("A record with this IIN is already registered."))

    def record_region_id(self) -> int | None:
        return self.user.region_id if self.user.role == INSPECTOR else self.region_id.data

    def record_institution_id(self) -> int | None:
        if "institution_id" not in self:
            return self.user.institution_id
        return self.institution_id.data

    def validate(self, extra_validators=None) -> bool:
        """Status and institution agree; the institution lies in the record's region.

        Checked even when other fields failed, so that every mistake shows at once."""
        ok = super().validate(extra_validators)
        scope_fields = [
            self[name] for name in ("status", "institution_id", "region_id") if name in self
        ]
        if any(field.errors for field in scope_fields):
            return False
        institution_id = self.record_institution_id()
        institution = db.session.get(Institution, institution_id) if institution_id else None
        errors = self.institution_id.errors if "institution_id" in self else self.status.errors
        if self.status.data in CUSTODY_STATUSES and institution is None:
            errors.append(
                _l(
                    "A person in custody (minimum-security prisoner or penitentiary "
                    "probation) needs an institution."
                )
            )
        elif (
            self.status.data == "min_security"
            and institution.security_level not in MIN_SECURITY_LEVELS
        ):
            errors.append(
                _l(
                    "A prisoner of a minimum-security institution needs a "
                    "minimum-security institution."
                )
            )
        if institution is not None and institution.region_id != self.record_region_id():
            errors.append(_l("The institution is not in the region keeping the record."))
        return ok and not errors

    def values(self) -> dict:
        """The model's attributes from the fields this user filled (never region for inspectors)."""
        names = (
            "full_name",
            "iin",
            "birth_date",
            "status",
            "institution_id",
            "release_date",
            "region_id",
            "district_id",
            "education",
            "skills",
            "housing",
            "available_from",
            "programme_notes",
        )
        result = {name: self[name].data for name in names if name in self}
        result["languages"] = ", ".join(self.language_codes.data or ())
        return result

    def initial_grant(self) -> dict | None:
        """The first grant of a new record, as the consent operation takes it, if given."""
        if "initial_consent" not in self or not self.initial_consent.given.data:
            return None
        return self.initial_consent.form.grant()


def minor_victim_answer(value) -> bool | None:
    """ "yes"/"no" → True/False; "unknown" or nothing → None (counts as a minor)."""
    if isinstance(value, bool) or value is None:
        return value
    return {"yes": True, "no": False}.get(value)


class OffenceForm(FlaskForm):
    """An offence as the court recorded it: the category is derived from the article."""

    code = RadioField(
        _l("Criminal Code"),
        choices=[
            SelectChoice("2014", _l("Criminal Code of 2014 (convictions since 1 January 2015)")),
            SelectChoice("1997", _l("Criminal Code of 1997 (earlier convictions)")),
        ],
        validators=[DataRequired(message=_l("Choose the Code the person was convicted under."))],
        invalid_choice_message=_l("Choose the Code the person was convicted under."),
    )
    article = StringField(
        _l("Article"),
        filters=[number_in],
        validators=[DataRequired(message=_l("Enter the article.")), article_number],
        description=_l("The number only, for example 122 or 108-1."),
    )
    part = StringField(
        _l("Part"),
        filters=[number_in],
        validators=[Optional(), article_number],
        description=_l("For example 3-2; leave empty if the judgment names no part."),
    )
    minor_victim = RadioField(
        _l("Was the victim a minor (under 18)?"),
        choices=[
            SelectChoice("yes", _l("Yes")),
            SelectChoice("no", _l("No")),
            SelectChoice("unknown", _l("Not known")),
        ],
        default="unknown",
        coerce=minor_victim_answer,
        validators=[Optional()],
        description=_l(
            "Asked for rape and violent sexual acts, where the victim's age decides: "
            "“not known” counts as a minor."
        ),
    )
    outside_listed = BooleanField(
        _l(
            "The article is not in the portal's table: I have checked that the offence is "
            "outside murder, harm to health, sexual offences, human trafficking, extremism and "
            "terrorism, and offences against public health and morality"
        )
    )
    convicted_on = DateField(_l("Date of conviction"), validators=[Optional(), not_in_future])

    def judgment(self) -> dict:
        """The offence as the judgment names it: what sections.add_offence takes."""
        return {
            name: getattr(self, name).data
            for name in ("code", "article", "part", "minor_victim", "convicted_on")
        }

    def validate(self, extra_validators=None) -> bool:
        """An article the table does not list is accepted only once the inspector confirms
        it is outside the listed chapters (then it is "other")."""
        if not super().validate(extra_validators):
            return False
        if criminal_code.listed(self.code.data, self.article.data) or self.outside_listed.data:
            return True
        self.article.errors.append(
            _l(
                "The portal's table does not list this article of this Code. Check the "
                "number; if it is right, tick the box below to confirm that the offence is "
                "outside the listed kinds."
            )
        )
        return False


class OffencesRecordedForm(FlaskForm):
    recorded = BooleanField(
        _l("The offence record is complete: every conviction of the listed kinds is entered above")
    )


class BanForm(FlaskForm):
    activity_code = SelectField(
        _l("Banned post or activity"),
        validators=[DataRequired(message=_l("Choose the post or activity."))],
    )
    until = DateField(_l("Last day of the ban"), validators=[Optional()])
    for_life = BooleanField(_l("For life"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.activity_code.choices = choices.none_choice(choices.CHOOSE) + choices.term_choices(
            Activity
        )

    def validate_for_life(self, field):
        if field.data == (self.until.data is not None) and not self.until.errors:
            raise ValidationError(_l("Enter either the last day of the ban or “for life”."))


class SupervisionForm(FlaskForm):
    # Text, not <input type="time">: browsers may show 12-hour clocks; 22:00 and 22.00 are read.
    curfew_from = TimeField(
        _l("Curfew from"),
        format=TIME_FORMATS,
        validators=[Optional()],
        widget=TIME_INPUT,
        invalid_value_message=BAD_TIME,
    )
    curfew_to = TimeField(
        _l("Curfew to"),
        format=TIME_FORMATS,
        validators=[Optional()],
        widget=TIME_INPUT,
        invalid_value_message=BAD_TIME,
    )
    permitted_area = SelectField(_l("Permitted area"))
    place_codes = SelectMultipleField(_l("Prohibited places"))
    no_alcohol = BooleanField(_l("No alcohol"))
    no_contact_minors = BooleanField(_l("No contact with minors"))
    until = DateField(_l("Supervision ends on"), validators=[Optional()])

    def __init__(self, *args, supervision=None, **kwargs):
        if supervision is not None:
            kwargs.setdefault("place_codes", [p.code for p in supervision.prohibited_places])
        super().__init__(*args, obj=supervision, **kwargs)
        area = choices.none_choice(_l("— no area restriction —"))
        known = choices.area_choices()
        stored = supervision.permitted_area if supervision is not None else None
        if stored and stored not in {c.value for c in known}:
            area.append(SelectChoice(stored, stored))  # a prefix typed elsewhere stays valid
        self.permitted_area.choices = area + known
        self.place_codes.choices = choices.term_choices(PlaceType)

    def warnings(self) -> list[str]:
        """What is saved but looks wrong: an end date already past (history may be recorded)."""
        if self.until.data is not None and self.until.data < clock.today():
            return [_l("The supervision ended on that date: its restrictions no longer apply.")]
        return []

    def validate(self, extra_validators=None) -> bool:
        """Both ends of the curfew or neither (an empty field stops its own validators)."""
        if not super().validate(extra_validators):
            return False
        start, end = self.curfew_from, self.curfew_to
        if (start.data is None) != (end.data is None):
            empty = start if start.data is None else end
            empty.errors.append(_l("Enter both the start and the end of the curfew, or neither."))
            return False
        return True

    def values(self) -> dict:
        return dict(
            curfew_from=self.curfew_from.data,
            curfew_to=self.curfew_to.data,
            permitted_area=self.permitted_area.data or None,
            place_codes=self.place_codes.data or [],
            no_alcohol=self.no_alcohol.data,
            no_contact_minors=self.no_contact_minors.data,
            until=self.until.data,
        )


class ContraindicationsForm(FlaskForm):
    codes = SelectMultipleField(_l("Working conditions ruled out by the medical opinion"))

    def __init__(self, *args, candidate: Candidate, **kwargs):
        kwargs.setdefault("codes", [c.code for c in candidate.contraindications])
        super().__init__(*args, **kwargs)
        self.codes.choices = choices.term_choices(WorkingCondition)


class TradesForm(FlaskForm):
    occupation_ids = SelectMultipleField(_l("Trades (НКЗ)"), coerce=int)

    def __init__(self, *args, candidate: Candidate, **kwargs):
        kwargs.setdefault("occupation_ids", [o.id for o in candidate.occupations])
        super().__init__(*args, **kwargs)
        self.occupation_ids.choices = choices.occupation_choices(
            keep=[o.id for o in candidate.occupations]
        )


class CandidateFilterForm(FlaskForm):
    """The list's GET form: invalid values are dropped, not reported."""

    class Meta:
        csrf = False

    q = StringField(_l("Name, code or IIN"), filters=[strip])
    status = SelectField(_l("Status"))
    district = SelectField(_l("District of residence"), coerce=optional_id)
    trade = SelectField(_l("Trade"), coerce=optional_id)
    consent = SelectField(
        _l("Consent"),
        choices=[
            SelectChoice("", _l("Any")),
            SelectChoice("yes", _l("Consented")),
            SelectChoice("no", _l("Not consented")),
        ],
    )
    unrecorded = BooleanField(_l("Offences not yet recorded"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = choices.none_choice(_l("All statuses")) + STATUS_CHOICES
        self.district.choices = (
            choices.none_choice(_l("All districts")) + choices.district_choices()
        )
        self.trade.choices = choices.none_choice(_l("All trades")) + choices.occupation_choices(
            grouped=False
        )

    def filters(self) -> dict:
        """The valid, non-empty filters, as URL arguments (also for the pagination links)."""
        self.validate()
        return {
            name: field.data
            for name, field in self._fields.items()
            if field.data not in (None, "", False) and not field.errors
        }
