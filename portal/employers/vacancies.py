"""Operations on vacancies: create, update, publish, close, re-open.

Each operation runs inside write_transaction(): it changes the vacancy and records an audit
row saying who changed what, or refuses (VacancyError) before anything is changed. Values come
as a plain dict (see forms.VacancyForm.vacancy_values); the employer comes from the signed-in
user, never a form.
"""

from collections.abc import Mapping
from datetime import date, time

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from portal import clock
from portal.auth.audit import record
from portal.database import write_transaction
from portal.employers.models import Employer, Vacancy
from portal.extensions import db
from portal.placements.lifecycle import count_open, withdraw_all_open
from portal.placements.models import Placement
from portal.reference.models import Activity, Institution, Occupation, PlaceType, WorkingCondition
from portal.reference.occupations import implied_activities

DRAFT, PUBLISHED, CLOSED = "draft", "published", "closed"

SCALAR_FIELDS = (
    "occupation_id",
    "title_kk",
    "title_ru",
    "description_kk",
    "description_ru",
    "district_id",
    "address",
    "places",
    "wage",
    "shift_start",
    "shift_end",
    "working_days",
    "starts_on",
    "closes_on",
    "sphere_code",
    "alcohol",
    "travel",
    "with_minors",
    "near_minors",
    "activities_answered",
)
# form field -> (relationship, model, key column)
LIST_FIELDS = {
    "condition_codes": ("conditions", WorkingCondition, WorkingCondition.code),
    "activity_codes": ("activities", Activity, Activity.code),
    "place_type_codes": ("place_types", PlaceType, PlaceType.code),
    "institution_ids": ("institutions", Institution, Institution.id),
}
# The facts the eligibility rules read (matching.eligibility.VacancyFacts): a change to any of
# them may exclude a person already proposed. Which one must not show to the employer, so such
# a change, once the employer confirms it, returns every open proposal to the inspectors.
RULE_FIELDS = frozenset(
    {
        "occupation_id",  # the activities it implies (reference.occupations)
        "with_minors",
        "near_minors",
        "shift_start",
        "shift_end",
        "sphere_code",
        "district_id",
        "travel",
        "alcohol",
        "condition_codes",
        "activity_codes",
        "place_type_codes",
        "institution_ids",
        "starts_on",
    }
)

MSG_ANSWER = _l("Answer this question before publishing: yes or no.")
MSG_ACTIVITIES = _l(
    "Answer this question before publishing: tick the activities the job involves, "
    "or “None of these”."
)
MSG_CLOSED_DATE = _l("The closing date has passed: set a later date to publish the vacancy.")
MSG_NOT_APPROVED = _l(
    "Your organisation has not been approved yet: vacancies can be posted "
    "only after an inspector approves it."
)


class VacancyError(Exception):
    """An operation refused; `problems` maps a form field (or "status") to a message."""

    def __init__(self, problems: Mapping[str, object]):
        super().__init__(dict(problems))
        self.problems = dict(problems)


def vacancy_values(vacancy: Vacancy) -> dict:
    """The vacancy as the plain values the form edits (also what the audit diff compares)."""
    values = {name: getattr(vacancy, name) for name in SCALAR_FIELDS}
    for field, (relation, _model, key) in LIST_FIELDS.items():
        values[field] = sorted(getattr(row, key.key) for row in getattr(vacancy, relation))
    return values


def _normalised(values: Mapping) -> dict:
    result = {name: values.get(name) for name in SCALAR_FIELDS}
    for field in LIST_FIELDS:
        result[field] = sorted(values.get(field) or ())
    result["activities_answered"] = _own_answer(values)
    return result


def _own_answer(values: Mapping) -> bool:
    """The employer's own answer to the activities question: some ticked, or "none of these"."""
    return bool(values.get("activities_answered") or values.get("activity_codes"))


def implied_by(occupation_id: int | None) -> frozenset[str]:
    """The activities the occupation implies (none for no occupation, or an unknown one)."""
    occupation = db.session.get(Occupation, occupation_id) if occupation_id else None
    return implied_activities(occupation.code) if occupation is not None else frozenset()


def activities_answered(values: Mapping) -> bool:
    """Activities ticked, "none of these", or an occupation that implies activities (they are
    the answer, whatever else is ticked: "none of these" cannot be true of a truck driver)."""
    return _own_answer(values) or bool(implied_by(values.get("occupation_id")))


def _plain(value):
    return value.isoformat() if isinstance(value, date | time) else value


def _changes(vacancy: Vacancy, values: Mapping) -> dict[str, list]:
    """What `values` would change, as {field: [old, new]} (nothing is changed)."""
    before = vacancy_values(vacancy) if vacancy.id is not None else {}
    return {
        name: [_plain(before.get(name)), _plain(value)]
        for name, value in _normalised(values).items()
        if before.get(name) != value
    }


def _apply(vacancy: Vacancy, values: Mapping) -> dict[str, list]:
    """Set every field from `values`; returns what changed as {field: [old, new]}."""
    changed = _changes(vacancy, values)
    after = _normalised(values)
    for name in SCALAR_FIELDS:
        setattr(vacancy, name, after[name])
    for field, (relation, model, key) in LIST_FIELDS.items():
        if field in changed:
            rows = db.session.scalars(sa.select(model).where(key.in_(after[field]))).all()
            setattr(vacancy, relation, list(rows))
    return changed


def open_proposals(vacancy: Vacancy) -> int:
    return count_open(Placement.vacancy_id == vacancy.id)


def publish_problems(values: Mapping, employer: Employer, today: date) -> dict[str, object]:
    """What stops these values from being published (empty: nothing). One rule, one place."""
    problems = {}
    if employer.status != "approved":
        problems["status"] = MSG_NOT_APPROVED
    for question in ("with_minors", "near_minors"):
        if values.get(question) is None:
            problems[question] = MSG_ANSWER
    if not activities_answered(values):
        problems["activity_codes"] = MSG_ACTIVITIES
    closes_on = values.get("closes_on")
    if closes_on is not None and closes_on < today:
        problems["closes_on"] = MSG_CLOSED_DATE
    return problems


def _require_publishable(values: Mapping, employer: Employer, today: date) -> None:
    problems = publish_problems(values, employer, today)
    if problems:
        raise VacancyError(problems)


def _require_status(vacancy: Vacancy, status: str, message) -> None:
    if vacancy.status != status:
        raise VacancyError({"status": message})


def create(employer: Employer, values: Mapping, *, publish: bool, today: date) -> Vacancy:
    with write_transaction():
        if employer.status != "approved":
            raise VacancyError({"status": MSG_NOT_APPROVED})
        if publish:
            _require_publishable(values, employer, today)
        vacancy = Vacancy(employer_id=employer.id, status=PUBLISHED if publish else DRAFT)
        changed = _apply(vacancy, values)
        if publish:
            vacancy.published_at = clock.now()
        db.session.add(vacancy)
        db.session.flush()
        record(
            "vacancy_created",
            vacancy,
            status=vacancy.status,
            values={name: new for name, (_old, new) in changed.items()},
        )
        return vacancy


def update(
    vacancy: Vacancy,
    values: Mapping,
    *,
    today: date,
    publish: bool = False,
    proposals_return: bool = False,
) -> tuple[dict[str, list], int]:
    """Save an edit (and publish a draft if asked); a published vacancy must stay publishable.
    Returns what changed, as {field: [old, new]}, and how many open proposals went back.

    A change of a fact the rules read, on a vacancy with open proposals, is saved only with
    `proposals_return` (the employer's confirmation): every open proposal then goes back to
    the inspectors, whether the change excludes its candidate or not. Everything is checked
    before anything is changed, so a refusal leaves the vacancy as it was.
    """
    with write_transaction():
        if publish:
            _require_status(vacancy, DRAFT, _l("Only a draft can be published."))
        if publish or vacancy.status == PUBLISHED:
            _require_publishable(values, vacancy.employer, today)
        waiting = open_proposals(vacancy) if RULE_FIELDS & _changes(vacancy, values).keys() else 0
        if waiting and not proposals_return:
            raise VacancyError({"proposals_return": msg_proposals_return(waiting)})
        changed = _apply(vacancy, values)
        if changed:
            vacancy.updated_at = clock.now()  # also when only a list (conditions…) changed
            record("vacancy_updated", vacancy, status=vacancy.status, changed=changed)
        if waiting:
            withdraw_all_open(Placement.vacancy_id == vacancy.id, "vacancy_changed")
        if publish:
            _publish(vacancy)
        return changed, waiting


def msg_proposals_return(num: int):
    return ngettext(
        "This vacancy has %(num)d open proposal. The hours, place, minors answers, conditions "
        "and the other facts you changed decide who may be proposed: if you save, the "
        "proposal goes back to the inspectors, who will propose again the candidates the new "
        "terms allow.",
        "This vacancy has %(num)d open proposals. The hours, place, minors answers, conditions "
        "and the other facts you changed decide who may be proposed: if you save, the "
        "proposals go back to the inspectors, who will propose again the candidates the new "
        "terms allow.",
        num,
    )


def publish(vacancy: Vacancy, *, today: date) -> None:
    with write_transaction():
        _require_status(vacancy, DRAFT, _l("Only a draft can be published."))
        _require_publishable(vacancy_values(vacancy), vacancy.employer, today)
        _publish(vacancy)


def _publish(vacancy: Vacancy) -> None:
    vacancy.status, vacancy.published_at = PUBLISHED, clock.now()
    record("vacancy_published", vacancy)


def close(vacancy: Vacancy) -> None:
    with write_transaction():
        _require_status(vacancy, PUBLISHED, _l("Only a published vacancy can be closed."))
        vacancy.status, vacancy.closed_at = CLOSED, clock.now()
        record("vacancy_closed", vacancy, reason="by_employer")


def reopen(vacancy: Vacancy, *, today: date) -> None:
    with write_transaction():
        _require_status(vacancy, CLOSED, _l("Only a closed vacancy can be re-opened."))
        _require_publishable(vacancy_values(vacancy), vacancy.employer, today)
        vacancy.status, vacancy.closed_at = PUBLISHED, None
        record("vacancy_reopened", vacancy)


def proposal_counts(vacancy_filter: sa.ColumnElement[bool]) -> dict[int, dict[str, int]]:
    """{vacancy id: {state: count}} for the vacancies matching the filter: one GROUP BY."""
    rows = db.session.execute(
        sa.select(Placement.vacancy_id, Placement.state, sa.func.count())
        .join(Vacancy, Vacancy.id == Placement.vacancy_id)
        .where(vacancy_filter)
        .group_by(Placement.vacancy_id, Placement.state)
    )
    counts: dict[int, dict[str, int]] = {}
    for vacancy_id, state, number in rows:
        counts.setdefault(vacancy_id, {})[state] = number
    return counts
