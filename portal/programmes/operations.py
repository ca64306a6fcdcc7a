"""Every change of a programme: one write_transaction each, with an audit row on the record.

Free text (notes, outcomes, reasons, titles typed by hand) is logged by name only, as the
record's own operations do (portal/candidates/records.py); states, dates and codes by value.
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from portal import clock
from portal.auth.audit import record
from portal.auth.models import User
from portal.candidates.models import Candidate
from portal.database import lock, write_transaction
from portal.extensions import db
from portal.programmes import step_templates
from portal.programmes.models import (
    ASSESSMENT_AREAS,
    DONE,
    NOT_POSSIBLE,
    Assessment,
    Programme,
    ProgrammeStep,
)

LOGGED = frozenset({"service_code", "due_on", "state", "done_on"})


class ProgrammeRefused(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


ALREADY_STARTED = _l("This person already has a programme.")
NO_RELEASE_DATE = _l(
    "The template counts its due dates from the release date, and the record has none. "
    "Enter the release date on the record first."
)
WRONG_STATUS = _l("This template is not for people of this status.")


def _logged(value):
    return value.isoformat() if isinstance(value, date) else value


def start_programme(candidate: Candidate, user: User, template_code: str | None) -> Programme:
    """A programme with every assessment area not assessed yet and, from a template, its
    steps with their due dates; refused when the person has one already."""
    template = step_templates.TEMPLATES.get(template_code) if template_code else None
    today = clock.today()
    with write_transaction():
        db.session.execute(lock(Candidate, Candidate.id == candidate.id))
        exists = sa.select(Programme.id).where(Programme.candidate_id == candidate.id)
        if db.session.scalar(exists) is not None:
            raise ProgrammeRefused(ALREADY_STARTED)
        steps = []
        if template is not None:
            if candidate.status not in template.statuses:
                raise ProgrammeRefused(WRONG_STATUS)
            try:
                steps = step_templates.due_dates(template, candidate.release_date, today)
            except step_templates.NoAnchor:
                raise ProgrammeRefused(NO_RELEASE_DATE) from None
        programme = Programme(
            candidate_id=candidate.id,
            template_code=template.code if template else None,
            started_on=today,
            started_by_id=user.id,
            assessments=[
                Assessment(area=area, position=n) for n, area in enumerate(ASSESSMENT_AREAS)
            ],
            steps=[
                ProgrammeStep(
                    template_step=step.key,
                    title_kk=step.title_kk,
                    title_ru=step.title_ru,
                    service_code=step.service,
                    due_on=due_on,
                )
                for step, due_on in steps
            ],
        )
        db.session.add(programme)
        db.session.flush()
        record(
            "programme_started",
            candidate,
            user=user,
            programme_id=programme.id,
            template=programme.template_code,
            steps=len(steps),
        )
    return programme


def set_assessment(programme: Programme, user: User, values: dict[str, dict]) -> list[str]:
    """`values`: area → {state, on_date, note}; returns the areas that changed."""
    changed = {}
    with write_transaction():
        for item in programme.assessments:
            given = values.get(item.area)
            if given is None:
                continue
            before = (item.state, item.on_date, item.note)
            item.state, item.on_date, item.note = given["state"], given["on_date"], given["note"]
            if (item.state, item.on_date, item.note) != before:
                changed[item.area] = [before[0], item.state, _logged(item.on_date)]
        if changed:
            record(
                "programme_assessed",
                programme.candidate,
                user=user,
                programme_id=programme.id,
                areas={area: [old, new, on] for area, (old, new, on) in changed.items()},
            )
    return sorted(changed)


def _normalise(values: dict) -> dict:
    """A step's fields as stored: the day done only on a done step (today when not given), the
    reason only on a step not possible."""
    values = dict(values)
    if values["state"] == DONE:
        values["done_on"] = values.get("done_on") or clock.today()
    else:
        values["done_on"] = None
    if values["state"] != NOT_POSSIBLE:
        values["reason"] = ""
    if values["state"] == NOT_POSSIBLE and not values["reason"].strip():
        raise ProgrammeRefused(_l("Say why the step is not possible."))
    return values


def add_step(programme: Programme, user: User, values: dict) -> ProgrammeStep:
    values = _normalise(values)
    with write_transaction():
        step = ProgrammeStep(programme_id=programme.id, **values)
        db.session.add(step)
        db.session.flush()
        record(
            "programme_step_added",
            programme.candidate,
            user=user,
            programme_id=programme.id,
            step_id=step.id,
            **{name: _logged(values[name]) for name in sorted(LOGGED)},
        )
    return step


def update_step(step: ProgrammeStep, user: User, values: dict) -> list[str]:
    """Set a step's fields; returns the names of those that changed."""
    values = _normalise(values)
    with write_transaction():
        before = {name: getattr(step, name) for name in values}
        for name, value in values.items():
            setattr(step, name, value)
        changed = sorted(name for name in values if getattr(step, name) != before[name])
        if changed:
            record(
                "programme_step_updated",
                step.programme.candidate,
                user=user,
                programme_id=step.programme_id,
                step_id=step.id,
                fields=changed,
                values={
                    name: [_logged(before[name]), _logged(getattr(step, name))]
                    for name in changed
                    if name in LOGGED
                },
            )
    return changed


def remove_step(step: ProgrammeStep, user: User) -> None:
    with write_transaction():
        record(
            "programme_step_removed",
            step.programme.candidate,
            user=user,
            programme_id=step.programme_id,
            step_id=step.id,
            state=step.state,
            due_on=step.due_on.isoformat(),
        )
        db.session.delete(step)
