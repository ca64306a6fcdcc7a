"""The filter form of the matching pages (a plain GET form, so URLs stay bookmarkable)."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectChoice, SelectField
from wtforms.validators import Optional

from portal.candidates.choices import district_choices
from portal.candidates.models import (
    CANDIDATE_STATUS_LABELS,
    CANDIDATE_STATUSES,
    Candidate,
    candidate_occupation,
)
from portal.employers.forms import occupation_label
from portal.extensions import db
from portal.forms import IntegerField, optional_id
from portal.reference.models import Occupation


class MatchFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    tab = HiddenField(default="eligible")
    status = SelectField(
        _l("Status"),
        validators=[Optional()],
        choices=[
            SelectChoice("", _l("All statuses")),
            *(SelectChoice(s, CANDIDATE_STATUS_LABELS[s]) for s in CANDIDATE_STATUSES),
        ],
    )
    district_id = SelectField(
        _l("District of residence"), coerce=optional_id, validators=[Optional()]
    )
    occupation_id = SelectField(_l("Trade"), coerce=optional_id, validators=[Optional()])
    available_by = DateField(_l("Available by"), validators=[Optional()])
    page = IntegerField(validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.district_id.choices = [SelectChoice(None, _l("All districts"))] + district_choices()
        occupations = db.session.scalars(sa.select(Occupation).order_by(Occupation.code))
        self.occupation_id.choices = [SelectChoice(None, _l("All trades"))] + [
            SelectChoice(o.id, occupation_label(o)) for o in occupations
        ]

    def conditions(self) -> tuple[sa.ColumnElement[bool], ...]:
        """The filters as SQL conditions on Candidate (invalid values are ignored)."""
        found = []
        if self.status.data in CANDIDATE_STATUSES:
            found.append(Candidate.status == self.status.data)
        if self.district_id.data:
            found.append(Candidate.district_id == self.district_id.data)
        if self.occupation_id.data:
            found.append(
                sa.exists().where(
                    candidate_occupation.c.candidate_id == Candidate.id,
                    candidate_occupation.c.occupation_id == self.occupation_id.data,
                )
            )
        if self.available_by.data:
            found.append(
                sa.or_(
                    Candidate.available_from.is_(None),
                    Candidate.available_from <= self.available_by.data,
                )
            )
        return tuple(found)

    def query_args(self) -> dict:
        """The filter values for links (pagination, tabs)."""
        return {
            name: value
            for name, value in (
                ("status", self.status.data),
                ("district_id", self.district_id.data),
                ("occupation_id", self.occupation_id.data),
                (
                    "available_by",
                    self.available_by.data.isoformat() if self.available_by.data else None,
                ),
            )
            if value
        }


class ProposeForm(FlaskForm):
    candidate_id = IntegerField()
