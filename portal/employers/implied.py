"""What a vacancy's occupation and shift imply, whatever the employer ticks: the activities of the
occupation (reference.occupations) and night work for a shift in 22:00–06:00 (the rules'
effective_conditions). The form shows them ticked and locked; the vacancy's page marks them.
"""

from datetime import time

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from portal.employers.models import Vacancy
from portal.extensions import db
from portal.matching.eligibility import VacancyFacts, effective_conditions
from portal.matching.facts import facts_from_vacancy
from portal.reference.models import Activity, Occupation, WorkingCondition
from portal.reference.occupations import implied_activities

# The form's checkbox fields, and the vocabulary each one ticks.
FIELDS = (("activity_codes", Activity), ("condition_codes", WorkingCondition))


def implied_notes(
    occupation: Occupation | None, shift: tuple[time | None, time | None]
) -> dict[str, dict[str, LazyString]]:
    """{form field: {code: why it is implied}} for the occupation and shift chosen."""
    notes: dict[str, dict[str, LazyString]] = {"activity_codes": {}, "condition_codes": {}}
    if occupation is not None:
        why = _l("implied by the occupation %(code)s", code=occupation.code)
        notes["activity_codes"] = dict.fromkeys(sorted(implied_activities(occupation.code)), why)
    start, end = shift
    if start is not None and end is not None:
        if "night" in effective_conditions(VacancyFacts(shift=(start, end))):
            notes["condition_codes"]["night"] = _l(
                "implied by the shift: night time is 22:00–06:00"
            )
    return notes


def rule_terms(vacancy: Vacancy) -> dict[str, list[tuple[object, LazyString | None]]]:
    """{form field: [(term, why implied, or None if only declared)]}: the activities and working
    conditions the rules apply to the vacancy (its facts), in the vocabularies' order."""
    facts = facts_from_vacancy(vacancy)
    applied = {"activity_codes": facts.activities, "condition_codes": effective_conditions(facts)}
    notes = implied_notes(vacancy.occupation, (vacancy.shift_start, vacancy.shift_end))
    terms = {}
    for field, model in FIELDS:
        rows = (
            db.session.scalars(
                sa.select(model).where(model.code.in_(applied[field])).order_by(model.position)
            )
            if applied[field]
            else ()
        )
        terms[field] = [(row, notes[field].get(row.code)) for row in rows]
    return terms
