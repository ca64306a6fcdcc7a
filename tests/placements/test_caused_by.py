"""The placement history keeps its data in columns of its own: the hire that made a proposal
obsolete (caused_by_id) and the rules that excluded a person (rule_codes), not in the note;
migration 0023 moves what older versions wrote into the note, and back."""

import importlib
from datetime import time

import sqlalchemy as sa

from portal import clock
from portal.candidates import sections
from portal.extensions import db
from portal.placements.models import PlacementEvent

MIGRATION = importlib.import_module("migrations.versions.0023_caused_by")
# A curfew over the day shift: the rules exclude the person from the shop's vacancy.
CURFEW_OVER_THE_SHIFT = dict(
    curfew_from=time(8),
    curfew_to=time(20),
    permitted_area=None,
    place_codes=[],
    no_alcohol=False,
    no_contact_minors=False,
    until=None,
)


def last_event(placement_id: int) -> PlacementEvent:
    db.session.expire_all()
    return db.session.scalars(
        sa.select(PlacementEvent)
        .where(PlacementEvent.placement_id == placement_id)
        .order_by(PlacementEvent.id.desc())
    ).first()


def test_a_hire_names_itself_on_the_proposals_it_made_obsolete(shop, make_candidate, make_vacancy):
    person = make_candidate()
    other = shop.propose(person, make_vacancy(shop.employer, title_ru="Закройщик"))
    hired = shop.hire(person)
    event = last_event(other.id)
    assert (event.to_state, event.caused_by_id, event.note) == ("obsolete", hired.id, "")
    assert event.rule_codes is None


def test_a_withdrawal_by_the_rules_lists_their_codes(shop, make_candidate):
    person = make_candidate()
    proposal = shop.propose(person)
    sections.set_supervision(person, CURFEW_OVER_THE_SHIFT)
    event = last_event(proposal.id)
    assert (event.to_state, event.reason_code, event.note) == ("withdrawn", "ineligible", "")
    assert event.rule_codes and all(code.isidentifier() for code in event.rule_codes)
    assert event.caused_by_id is None


def test_the_migration_moves_old_notes_into_the_columns_and_back(
    shop, make_candidate, make_vacancy
):
    person = make_candidate()
    other = shop.propose(person, make_vacancy(shop.employer, title_ru="Закройщик"))
    hired = shop.hire(person)
    withdrawn = shop.propose(make_candidate())
    typed = shop.propose(make_candidate())
    old = {  # as 0017 wrote them
        other.id: ("obsolete", None, f"hired:{hired.id}", None),
        withdrawn.id: ("withdrawn", "ineligible", "curfew,custody_site", None),
        typed.id: ("withdrawn", "ineligible", "moved, see the file", shop.inspector.id),
    }
    for placement_id, (state, reason, note, user_id) in old.items():
        db.session.add(
            PlacementEvent(
                placement_id=placement_id,
                from_state="proposed",
                to_state=state,
                reason_code=reason,
                note=note,
                user_id=user_id,
                at=clock.now(),
            )
        )
    db.session.commit()
    with db.engine.begin() as conn:
        assert MIGRATION.convert_notes(conn) == 2
        assert MIGRATION.convert_notes(conn) == 0  # a second run changes nothing
    assert (last_event(other.id).caused_by_id, last_event(other.id).note) == (hired.id, "")
    assert last_event(withdrawn.id).rule_codes == ["curfew", "custody_site"]
    assert last_event(withdrawn.id).note == ""
    assert last_event(typed.id).note == "moved, see the file"  # a person's words stay
    assert last_event(typed.id).rule_codes is None

    with db.engine.begin() as conn:
        MIGRATION.restore_notes(conn)
    assert last_event(other.id).note == f"hired:{hired.id}"
    assert last_event(withdrawn.id).note == "curfew,custody_site"
    assert last_event(withdrawn.id).rule_codes is None


def test_the_history_shows_the_codes_and_links_the_hire(client, shop, make_candidate):
    from tests.helpers import sign_in

    person = make_candidate()
    proposal = shop.propose(person)
    sections.set_supervision(person, CURFEW_OVER_THE_SHIFT)
    codes = last_event(proposal.id).rule_codes
    sign_in(client, shop.inspector)
    page = client.get(f"/placements/{proposal.id}").get_data(as_text=True)
    assert ",".join(codes) in page
