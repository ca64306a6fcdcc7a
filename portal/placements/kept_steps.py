"""A step sent from a page of placements whose forms are written by hand (the employer's
proposals, the inspector's follow-up) that was not taken (the session had ended, or the page was
open too long: portal/auth/kept_forms.py) comes back into the step's form of its row, folded
open. FlaskForms take what was kept themselves; these pages take it here.

If the row has moved on meanwhile (the step is no longer offered), nothing is put back:
the page says so and shows what had been typed, for the user to copy.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException
from wtforms import BooleanField, SelectField
from wtforms.widgets import HiddenInput

from portal.auth import kept_forms
from portal.placements.forms import StepForm
from portal.placements.models import Placement

# The steps a proposal's row offers, and what the user calls them.
ROW_STEPS = {
    "interview": _l("Invite to an interview"),
    "move_interview": _l("Move the interview"),
    "cancel_interview": _l("Cancel the interview"),
    "hire": _l("Hire"),
    "decline": _l("Decline"),
    "end": _l("End the employment"),
}


@dataclass
class KeptStep:
    placement_id: int
    step: str
    title: str  # the step, as the user calls it
    form: StepForm  # filled with what was kept
    row: Placement | None  # the placement, when its row is on the page
    applies: bool  # the row offers the step still: the form is filled in
    typed: list[tuple[str, str]]  # (label, value) of what was typed, to show when not


def row_steps(placement: Placement, steps: frozenset[str]) -> frozenset[str]:
    """The step forms a row shows: what the state machine allows (`steps`), and moving or
    cancelling a booked interview."""
    shown = set(steps) & ROW_STEPS.keys()
    if placement.state == "interview" and placement.interview:
        shown.add("move_interview")
        if not placement.interview.cancelled_at:
            shown.add("cancel_interview")
    return frozenset(shown)


def _typed(form: StepForm) -> list[tuple[str, str]]:
    """What the user typed into the form's visible fields, as they read it."""
    typed = []
    for field in form:
        if isinstance(field.widget, HiddenInput):
            continue
        if isinstance(field, BooleanField):
            value = "✓" if field.data else ""
        elif isinstance(field, SelectField):
            value = next(
                (
                    str(label)
                    for code, label, *_ in field.iter_choices()
                    if code and code == field.data
                ),
                "",
            )
        else:
            value = field._value()
        if value:
            typed.append((str(field.label.text), value))
    return typed


def kept_sent(
    forms: dict[str, type[StepForm]],
    title: Callable[[str, StepForm], str | None],
    rows: list[Placement],
    applies: Callable[[Placement, str, StepForm], bool],
) -> KeptStep | None:
    """The step kept for this page, if one was (taken once) and sent to one of `forms` (an
    endpoint of placements: its form); `title` names it, None when nothing was typed in it (a
    button: nothing to put back); `applies`: the row of `rows` offers it still."""
    kept = kept_forms.kept_post()
    if kept is None:
        return None
    sent_to, formdata = kept
    try:
        endpoint, args = current_app.url_map.bind(request.host).match(sent_to, method="POST")
    except HTTPException:
        return None
    step = endpoint.removeprefix("placements.")
    if step not in forms:
        return None
    form = forms[step](formdata=formdata)
    name = title(step, form)
    if name is None:
        return None
    kept_forms.restored()
    placement = next((p for p in rows if p.id == args["placement_id"]), None)
    return KeptStep(
        placement_id=args["placement_id"],
        step=step,
        title=name,
        form=form,
        row=placement,
        applies=placement is not None and applies(placement, step, form),
        typed=_typed(form),
    )


def kept_step(rows: list[Placement], steps: dict[int, frozenset[str]]) -> KeptStep | None:
    """The step kept for the proposals page; `steps`: each row's step forms."""
    from portal.placements.step_views import STEPS  # which imports the page's views

    return kept_sent(
        {step: STEPS[step][1] for step in ROW_STEPS},
        lambda step, _form: str(ROW_STEPS[step]),
        rows,
        lambda placement, step, _form: step in steps[placement.id],
    )
