"""Operations on a record's sections: offences, court bans, supervision, limits and trades.

Each is one transaction (`changing`: write_transaction, the record locked), with an audit
row. Offence rows are logged by category code only: the article and the date stay in the record.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, time

import sqlalchemy as sa

from portal import clock
from portal.auth.audit import record
from portal.candidates.models import ActivityBan, Candidate, Offence, Supervision
from portal.database import lock, write_transaction
from portal.extensions import db
from portal.placements.lifecycle import withdraw_ineligible
from portal.placements.models import Placement
from portal.reference import criminal_code
from portal.reference.models import Occupation, PlaceType, WorkingCondition


@contextmanager
def changing(candidate: Candidate) -> Iterator[Candidate]:
    """One change of a record, in write_transaction with the record locked (the object passed
    is refreshed, not replaced). Open proposals that the rules now exclude are withdrawn at
    the end, with the reason, in the same transaction (the inspector sees them as withdrawn)."""
    with write_transaction():
        db.session.scalar(lock(Candidate, Candidate.id == candidate.id))
        yield candidate
        withdraw_ineligible(Placement.candidate_id == candidate.id, clock.today())


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
    fields = criminal_code.offence_fields(code, article, part, minor_victim)
    with changing(candidate):
        offence = Offence(**fields, convicted_on=convicted_on)
        candidate.offences.append(offence)
        db.session.flush()
        record("offence_added", candidate, offence_id=offence.id, category=offence.category_code)
    return offence


def remove_offence(candidate: Candidate, offence: Offence) -> None:
    with changing(candidate):
        record("offence_removed", candidate, offence_id=offence.id, category=offence.category_code)
        candidate.offences.remove(offence)


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
    with write_transaction():
        record(
            "offence_regrade_seen",
            candidate,
            offence_id=offence.id,
            category=[offence.regraded_from, offence.category_code],
        )
        offence.regraded_from = None


def mark_offences_recorded(candidate: Candidate, recorded: bool) -> None:
    """True: the offences listed are all there are (none listed = no such convictions).
    False: the section is unknown again, and the rules exclude where it matters."""
    with changing(candidate):
        if candidate.offences_recorded != recorded:
            candidate.offences_recorded = recorded
            record(
                "offence_record_marked",
                candidate,
                recorded=recorded,
                offences=len(candidate.offences),
            )


def add_ban(candidate: Candidate, activity_code: str, until: date | None) -> ActivityBan:
    """A court ban on a post or activity until `until` (the last day), or for life (None)."""
    with changing(candidate):
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
    return ban


def remove_ban(candidate: Candidate, ban: ActivityBan) -> None:
    with changing(candidate):
        record("ban_removed", candidate, ban_id=ban.id, activity=ban.activity_code)
        candidate.activity_bans.remove(ban)


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
    with changing(candidate):
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


def clear_supervision(candidate: Candidate) -> None:
    with changing(candidate):
        record("supervision_cleared", candidate)
        candidate.supervision = None


def _replace(candidate: Candidate, attribute: str, query: sa.Select, action: str) -> None:
    with changing(candidate):
        rows = list(db.session.scalars(query))
        before = {row.code for row in getattr(candidate, attribute)}
        setattr(candidate, attribute, rows)
        after = {row.code for row in rows}
        if before != after:
            record(action, candidate, added=sorted(after - before), removed=sorted(before - after))


def set_contraindications(candidate: Candidate, codes: list[str]) -> None:
    query = sa.select(WorkingCondition).where(WorkingCondition.code.in_(codes))
    _replace(candidate, "contraindications", query, "contraindications_set")


def set_trades(candidate: Candidate, occupation_ids: list[int]) -> None:
    query = sa.select(Occupation).where(Occupation.id.in_(occupation_ids))
    _replace(candidate, "occupations", query, "trades_set")
