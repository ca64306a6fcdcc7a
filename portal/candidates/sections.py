"""Operations on a record's sections: offences, court bans, supervision, limits and trades.

One commit each, with an audit row. Offence rows are logged by category code only: the
article and the date stay in the record.
"""

from datetime import date, time

import sqlalchemy as sa

from portal import clock
from portal.auth.audit import record
from portal.candidates.models import ActivityBan, Candidate, Offence, Supervision
from portal.extensions import db
from portal.placements.lifecycle import withdraw_ineligible
from portal.placements.models import Placement
from portal.reference import criminal_code
from portal.reference.models import Occupation, PlaceType, WorkingCondition


def commit_change(candidate: Candidate) -> None:
    """Commit a change of the record. Open proposals that the rules now exclude are withdrawn
    first, with the reason, in the same transaction (the inspector sees them as withdrawn)."""
    withdraw_ineligible(Placement.candidate_id == candidate.id, clock.today())
    db.session.commit()


def add_offence(
    candidate: Candidate,
    code: str,
    article: str,
    part: str = "",
    minor_victim: bool | None = None,
    convicted_on: date | None = None,
) -> Offence:
    """An offence of the record, its category derived from the Code, article and part (and
    the victim's age where it decides; unknown counts as a minor)."""
    offence = Offence(
        **criminal_code.offence_fields(code, article, part, minor_victim), convicted_on=convicted_on
    )
    candidate.offences.append(offence)
    db.session.flush()
    record("offence_added", candidate, offence_id=offence.id, category=offence.category_code)
    commit_change(candidate)
    return offence


def remove_offence(candidate: Candidate, offence: Offence) -> None:
    record("offence_removed", candidate, offence_id=offence.id, category=offence.category_code)
    candidate.offences.remove(offence)
    commit_change(candidate)


def regraded_offences(scope: sa.ColumnElement[bool]) -> sa.Select:
    """The offences of records in `scope` whose category the Criminal Code table corrected."""
    return (
        sa.select(Offence)
        .join(Candidate)
        .where(scope, Offence.regraded_from.is_not(None))
        .order_by(Candidate.id, Offence.id)  # names are encrypted: not sortable in SQL
    )


def regrade_seen(candidate: Candidate, offence: Offence) -> None:
    """The inspector has looked at a corrected category (and fixed the row if need be)."""
    record(
        "offence_regrade_seen",
        candidate,
        offence_id=offence.id,
        category=[offence.regraded_from, offence.category_code],
    )
    offence.regraded_from = None
    db.session.commit()


def mark_offences_recorded(candidate: Candidate, recorded: bool) -> None:
    """True: the offences listed are all there are (none listed = no such convictions).
    False: the section is unknown again, and the rules exclude where it matters."""
    if candidate.offences_recorded != recorded:
        candidate.offences_recorded = recorded
        record(
            "offence_record_marked", candidate, recorded=recorded, offences=len(candidate.offences)
        )
    commit_change(candidate)


def add_ban(candidate: Candidate, activity_code: str, until: date | None) -> ActivityBan:
    """A court ban on a post or activity until `until` (the last day), or for life (None)."""
    ban = ActivityBan(activity_code=activity_code, until=until)
    candidate.activity_bans.append(ban)
    db.session.flush()
    record(
        "ban_added",
        candidate,
        ban_id=ban.id,
        activity=activity_code,
        until=until.isoformat() if until else None,
    )
    commit_change(candidate)
    return ban


def remove_ban(candidate: Candidate, ban: ActivityBan) -> None:
    record("ban_removed", candidate, ban_id=ban.id, activity=ban.activity_code)
    candidate.activity_bans.remove(ban)
    commit_change(candidate)


def _supervision_state(supervision: Supervision | None) -> dict:
    if supervision is None:
        return {}
    state = {
        name: getattr(supervision, name)
        for name in (
            "curfew_from",
            "curfew_to",
            "permitted_area",
            "no_alcohol",
            "no_contact_minors",
            "until",
        )
    }
    state["places"] = sorted(p.code for p in supervision.prohibited_places)
    return {
        name: value.isoformat(timespec="minutes")
        if isinstance(value, time)
        else value.isoformat()
        if isinstance(value, date)
        else value
        for name, value in state.items()
    }


def set_supervision(candidate: Candidate, values: dict) -> None:
    """Create or change the administrative supervision; `values` as SupervisionForm.values()."""
    values = dict(values)
    codes = values.pop("place_codes")
    before = _supervision_state(candidate.supervision)
    supervision = candidate.supervision or Supervision()
    for name, value in values.items():
        setattr(supervision, name, value)
    supervision.prohibited_places = list(
        db.session.scalars(sa.select(PlaceType).where(PlaceType.code.in_(codes)))
    )
    candidate.supervision = supervision
    after = _supervision_state(supervision)
    changed = {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }
    record("supervision_set", candidate, created=not before, changed=changed)
    commit_change(candidate)


def clear_supervision(candidate: Candidate) -> None:
    record("supervision_cleared", candidate)
    candidate.supervision = None
    commit_change(candidate)


def _replace(candidate: Candidate, attribute: str, rows: list, action: str) -> None:
    before = {row.code for row in getattr(candidate, attribute)}
    setattr(candidate, attribute, rows)
    after = {row.code for row in rows}
    if before != after:
        record(action, candidate, added=sorted(after - before), removed=sorted(before - after))
    commit_change(candidate)


def set_contraindications(candidate: Candidate, codes: list[str]) -> None:
    rows = db.session.scalars(sa.select(WorkingCondition).where(WorkingCondition.code.in_(codes)))
    _replace(candidate, "contraindications", list(rows), "contraindications_set")


def set_trades(candidate: Candidate, occupation_ids: list[int]) -> None:
    rows = db.session.scalars(sa.select(Occupation).where(Occupation.id.in_(occupation_ids)))
    _replace(candidate, "occupations", list(rows), "trades_set")
