"""Placements and their history for the statistics benchmark, inserted in bulk (Core executemany).

`generate_placements(events=1_000_000)` adds placements over the candidates and vacancies already
generated (bench.data), until their history rows reach `events`: a realistic mix of states
(a quarter declined, four in ten hired of which most have ended), proposals spread over three
years, hires 5–60 days after the proposal, employment lasting 1–24 months. Deterministic.
"""

import random
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from portal.candidates.models import Candidate
from portal.employers.models import Vacancy
from portal.extensions import db
from portal.placements.models import Placement, PlacementEvent
from portal.placements.reasons import DECLINE_REASONS, END_REASONS, WITHDRAW_REASONS

FIRST_DAY = date(2023, 12, 1)
LAST_DAY = date(2026, 11, 26)  # the history ends here; statistics read it as of this day
OUTCOMES = (
    ["declined"] * 25
    + ["hired"] * 14
    + ["ended"] * 26
    + ["withdrawn"] * 6
    + ["obsolete"] * 9
    + ["proposed"] * 12
    + ["interview"] * 8
)
BATCH = 20_000


def _path(outcome: str, rng: random.Random) -> list[str]:
    if outcome in ("proposed", "withdrawn", "obsolete", "declined"):
        middle = ["interview"] if rng.random() < 0.4 else []
        return ["proposed", *middle] + ([] if outcome == "proposed" else [outcome])
    if outcome == "interview":
        return ["proposed", "interview"]
    return ["proposed", "interview", "hired"] + (["ended"] if outcome == "ended" else [])


def generate_placements(events: int = 1_000_000, seed: int = 2027) -> int:
    """Placements until their events number `events`; returns the number of placements."""
    rng = random.Random(seed)
    candidates = db.session.scalars(sa.select(Candidate.id)).all()
    vacancies = db.session.scalars(sa.select(Vacancy.id)).all()
    next_id = (db.session.scalar(sa.select(sa.func.max(Placement.id))) or 0) + 1
    span = (LAST_DAY - FIRST_DAY).days
    placements, history, written, made = [], [], 0, 0
    decline, end, withdraw = list(DECLINE_REASONS), list(END_REASONS), list(WITHDRAW_REASONS)

    def flush():
        if placements:
            db.session.execute(sa.insert(Placement), placements)
            db.session.execute(sa.insert(PlacementEvent), history)
            placements.clear()
            history.clear()

    while written < events:
        proposed = FIRST_DAY + timedelta(days=rng.randrange(span))
        outcome = rng.choice(OUTCOMES)
        hired_on = ended_on = reason = None
        if outcome in ("hired", "ended"):
            hired_on = proposed + timedelta(days=rng.randrange(5, 60))
            if hired_on > LAST_DAY:
                outcome, hired_on = "interview", None
            elif outcome == "ended":
                ended_on = hired_on + timedelta(days=rng.randrange(30, 730))
                if ended_on > LAST_DAY:
                    outcome, ended_on = "hired", None
        reason = {
            "declined": rng.choice(decline),
            "ended": rng.choice(end) if ended_on else None,
            "withdrawn": rng.choice(withdraw),
        }.get(outcome)
        moment = datetime.combine(proposed, time(rng.randrange(3, 13)), UTC)
        placements.append(
            dict(
                id=next_id,
                candidate_id=rng.choice(candidates),
                vacancy_id=rng.choice(vacancies),
                state=outcome,
                proposed_at=moment,
                updated_at=moment,
                hired_on=hired_on,
                ended_on=ended_on,
                reason_code=reason,
            )
        )
        previous = None
        for step, state in enumerate(_path(outcome, rng)):
            on_date = {"hired": hired_on, "ended": ended_on}.get(state)
            at = (
                datetime.combine(on_date, time(9), UTC)
                if on_date
                else moment + timedelta(days=3 * step)
            )
            history.append(
                dict(
                    placement_id=next_id,
                    from_state=previous,
                    to_state=state,
                    at=at,
                    on_date=on_date,
                    note="",
                    reason_code=reason if state == outcome else None,
                )
            )
            previous = state
            written += 1
        next_id += 1
        made += 1
        if len(history) >= BATCH:
            flush()
    flush()
    if db.engine.dialect.name == "postgresql":  # ids were given explicitly: move the sequences on
        db.session.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence('placement', 'id'), "
                "(SELECT max(id) FROM placement))"
            )
        )
    db.session.commit()
    return made
