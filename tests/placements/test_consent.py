"""Consent and the life cycle: a withdrawal ends the person's open proposals at once; every step
that moves a proposal forward re-checks consent; a new grant allows new proposals; employers
never learn why a proposal was withdrawn."""

import pytest
import sqlalchemy as sa

from portal import clock
from portal.auth.models import AuditEntry
from portal.candidates import consent
from portal.candidates.models import Candidate
from portal.extensions import db
from portal.placements import lifecycle
from portal.placements.display import MSG_ASK_INSPECTOR
from portal.placements.lifecycle import MSG_NO_CONSENT, StepRefused
from portal.placements.models import Placement, PlacementEvent
from portal.placements.reasons import PORTAL_WITHDRAW_REASONS
from tests.placements.helpers import BOOKING, HX, client_for, fresh, history, in_language, snapshot

CONSENT_WITHDRAWN = PORTAL_WITHDRAW_REASONS["consent_withdrawn"]


def withdraw(shop, candidate):
    return consent.withdraw_consent(
        candidate, shop.inspector, on_date=clock.today(), method="in_person"
    )


def test_a_withdrawal_ends_the_open_proposals_and_leaves_the_jobs(
    app, shop, make_candidate, make_vacancy
):
    person = make_candidate()
    vacancy = lambda title: make_vacancy(shop.employer, title_ru=title)  # noqa: E731
    ended = shop.hire(person, vacancy=vacancy("A"))
    ended = lifecycle.end(ended.id, ended.version, shop.inspector, clock.today(), "quit")
    hired = shop.hire(person, vacancy=vacancy("B"))
    proposed = shop.propose(person, vacancy=vacancy("C"))
    interview = shop.interview(person, vacancy=vacancy("D"))
    jobs_before = [(p.id, fresh(p.id).state, fresh(p.id).version) for p in (ended, hired)]

    event, withdrawn = withdraw(shop, person)

    assert sorted(p.id for p in withdrawn) == sorted([proposed.id, interview.id])
    for p, came_from in ((proposed, "proposed"), (interview, "interview")):
        after = fresh(p.id)
        assert (after.state, after.reason_code) == ("withdrawn", "consent_withdrawn")
        assert history(p.id)[-1] == (came_from, "withdrawn")
        last = db.session.scalar(
            sa.select(PlacementEvent)
            .where(PlacementEvent.placement_id == p.id)
            .order_by(PlacementEvent.id.desc())
            .limit(1)
        )
        assert (last.user_id, last.reason_code) == (shop.inspector.id, "consent_withdrawn")
    assert [(p.id, fresh(p.id).state, fresh(p.id).version) for p in (ended, hired)] == jobs_before
    assert db.session.get(Candidate, person.id).consent is False
    audit = db.session.scalars(
        sa.select(AuditEntry.object_id).where(
            AuditEntry.action == "placement_withdrawn_consent_withdrawn"
        )
    )
    assert sorted(audit) == sorted([proposed.id, interview.id])


@pytest.mark.parametrize("step", ["interview", "hire"])
def test_steps_after_a_withdrawal_refuse_and_change_nothing(app, shop, make_candidate, step):
    person = make_candidate()
    p = shop.propose(person) if step == "interview" else shop.interview(person)
    withdraw(shop, person)
    p = fresh(p.id)  # the current version: only the consent stands in the way
    before = snapshot()
    with pytest.raises(StepRefused) as refused:
        if step == "interview":
            lifecycle.accept_for_interview(p.id, p.version, shop.employer_user, clock.today())
        else:
            lifecycle.hire(
                p.id, p.version, shop.employer_user, start=clock.today(), on=clock.today()
            )
    assert refused.value.code == "no_consent" and refused.value.message == MSG_NO_CONSENT
    assert snapshot() == before


@pytest.mark.parametrize("step", ["interview", "hire"])
def test_a_step_re_checks_consent_even_on_an_open_proposal(app, shop, make_candidate, step):
    """Inside its transaction, whatever left the proposal open (e.g. data written elsewhere)."""
    person = make_candidate()
    p = shop.propose(person) if step == "interview" else shop.interview(person)
    db.session.execute(sa.update(Candidate).where(Candidate.id == person.id).values(consent=False))
    db.session.commit()
    before = snapshot()
    with pytest.raises(StepRefused, match="no_consent"):
        if step == "interview":
            lifecycle.accept_for_interview(p.id, p.version, shop.employer_user, clock.today())
        else:
            lifecycle.hire(p.id, p.version, shop.inspector, start=clock.today(), on=clock.today())
    assert snapshot() == before and fresh(p.id).state == p.state


def test_a_new_grant_allows_new_proposals(app, shop, make_candidate):
    person = make_candidate()
    old = shop.propose(person)
    withdraw(shop, person)
    with pytest.raises(StepRefused, match="no_consent"):
        shop.propose(person)
    consent.grant_consent(
        person, shop.inspector, on_date=clock.today(), method="paper_form", text_version="1"
    )
    new = shop.interview(person)
    assert fresh(new.id).state == "interview" and fresh(old.id).state == "withdrawn"


def test_the_employer_never_reads_why_it_was_withdrawn(app, shop, make_candidate):
    person = make_candidate()
    p = shop.propose(person)
    withdraw(shop, person)
    employer = client_for(app, shop.employer_user)
    page = employer.get(f"/placements/vacancies/{shop.vacancy.id}").get_data(as_text=True)
    assert person.code in page
    for lang in ("kk", "ru"):
        assert in_language(app, lang, lambda: CONSENT_WITHDRAWN) not in page
    # Taking a step on it anyway: the employer is sent to the inspector, not told the reason.
    before = snapshot()
    row = employer.post(
        f"/placements/{p.id}/interview",
        data={"version": fresh(p.id).version, **BOOKING},
        headers=HX,
    ).get_data(as_text=True)
    assert in_language(app, "kk", lambda: MSG_ASK_INSPECTOR) in row
    assert in_language(app, "kk", lambda: MSG_NO_CONSENT) not in row
    assert in_language(app, "kk", lambda: CONSENT_WITHDRAWN) not in row
    assert snapshot() == before
    # The inspector's page of the placement says why.
    inspector = client_for(app, shop.inspector)
    detail = inspector.get(f"/placements/{p.id}").get_data(as_text=True)
    assert in_language(app, "kk", lambda: CONSENT_WITHDRAWN) in detail


def test_the_consent_reason_is_not_for_inspectors_to_choose(app, shop, make_candidate):
    p = shop.propose(make_candidate())
    inspector = client_for(app, shop.inspector)
    detail = inspector.get(f"/placements/{p.id}").get_data(as_text=True)
    assert 'value="consent_withdrawn"' not in detail
    before = snapshot()
    with pytest.raises(StepRefused, match="unknown_reason"):
        lifecycle.withdraw(p.id, p.version, shop.inspector, "consent_withdrawn")
    assert snapshot() == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Placement)) == 1
