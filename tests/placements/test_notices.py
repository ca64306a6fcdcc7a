"""Each step of a placement tells the right people and nobody else, in their language; the
worker's rounds remind, close unanswered proposals and announce follow-ups once each."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale

from portal import clock
from portal.auth.models import INSPECTOR
from portal.employers import registration
from portal.extensions import db
from portal.notifications.digest import send_digests
from portal.notifications.models import MailOutbox, Notification, NotificationSetting
from portal.notifications.views import text
from portal.placements import deadlines, lifecycle
from portal.placements.followup import add_months
from portal.placements.models import PlacementEvent, Quota
from tests.helpers import translated


def told() -> dict[int, list[str]]:
    """{user id: kinds}, every notification so far."""
    found: dict[int, list[str]] = {}
    for user_id, kind in db.session.execute(
        sa.select(Notification.user_id, Notification.kind).order_by(Notification.id)
    ):
        found.setdefault(user_id, []).append(kind)
    return found


@pytest.fixture
def bystanders(make_user, shop):
    """People who must hear nothing: another organisation's user, another inspector of the
    region (the proposer is told), an akimat user and an administrator."""
    return [make_user("employer"), make_user(INSPECTOR), make_user("akimat"), make_user("admin")]


def test_a_proposal_tells_every_user_of_the_employer_and_nobody_else(
    shop, make_user, make_candidate, bystanders
):
    colleague = make_user("employer", employer_id=shop.employer.id)
    shop.propose(make_candidate())
    assert told() == {shop.employer_user.id: ["proposal_made"], colleague.id: ["proposal_made"]}


def test_the_employers_answers_tell_the_inspector_who_proposed(
    shop, make_candidate, bystanders, today
):
    placement = shop.hire(make_candidate())
    lifecycle.end(
        placement.id, placement.version, shop.employer_user, today, "quit", note="private note"
    )
    assert told() == {
        shop.employer_user.id: ["proposal_made"],
        shop.inspector.id: ["proposal_invited", "proposal_hired", "placement_ended"],
    }


def test_a_decline_names_its_reason_in_the_readers_language(app, shop, make_candidate):
    placement = shop.propose(make_candidate())
    lifecycle.decline(placement.id, placement.version, shop.employer_user, "no_experience")
    notice = db.session.scalar(sa.select(Notification).where(Notification.kind.like("%declined")))
    assert notice.user_id == shop.inspector.id
    with app.test_request_context(), force_locale("ru"):
        line = text(notice)
    assert placement.candidate.code in line and "Тест Тестов" not in line
    assert translated(app, "Not enough experience or skills", "ru") in line


def test_the_inspectors_own_steps_tell_nobody(shop, make_candidate, today):
    placement = shop.propose(make_candidate())
    lifecycle.withdraw(placement.id, placement.version, shop.inspector, "moved")
    assert told() == {shop.employer_user.id: ["proposal_made"]}


def test_without_the_proposer_every_inspector_of_the_record_is_told(
    shop, make_user, make_candidate
):
    placement = shop.propose(make_candidate())
    shop.inspector.active = False
    colleague = make_user(INSPECTOR)
    db.session.commit()
    lifecycle.accept_for_interview(
        placement.id, placement.version, shop.employer_user, clock.today()
    )
    assert told()[colleague.id] == ["proposal_invited"]
    assert shop.inspector.id not in told()


def test_a_failed_step_tells_nobody(shop, make_candidate):
    placement = shop.propose(make_candidate())
    with pytest.raises(lifecycle.StepRefused):
        lifecycle.decline(placement.id, placement.version, shop.employer_user, "no_such_reason")
    assert shop.inspector.id not in told()


def test_approval_and_rejection_tell_the_organisations_users(
    make_employer, make_user, make_candidate
):
    pending = make_employer(status="pending")
    own = make_user("employer", employer_id=pending.id)
    other = make_user("employer")
    inspector = make_user(INSPECTOR)
    registration.approve(pending, inspector)
    db.session.commit()
    assert told() == {own.id: ["employer_approved"]}
    assert other.id not in told()


def test_each_notification_is_mailed_in_the_recipients_language_without_details(
    shop, make_candidate, app
):
    shop.employer_user.locale = "ru"
    db.session.commit()
    placement = shop.propose(make_candidate())
    (mail,) = db.session.scalars(sa.select(MailOutbox)).all()
    assert mail.to_address == shop.employer_user.email
    assert translated(app, "A candidate has been proposed to you", "ru") in mail.subject
    assert f"/placements/vacancies/{shop.vacancy.id}" in mail.body
    for secret in (placement.candidate.code, placement.candidate.full_name, "Швея", "Тігінші"):
        assert secret not in mail.body and secret not in mail.subject


def test_preferences_keep_the_list_and_choose_the_email(shop, make_candidate, make_user):
    other_inspector = make_user(INSPECTOR)
    db.session.add_all(
        [
            NotificationSetting(user_id=shop.employer_user.id, email_off=["proposals"]),
            NotificationSetting(user_id=shop.inspector.id, digest=True, email_off=[]),
        ]
    )
    db.session.commit()
    first = shop.propose(make_candidate())
    second = shop.propose(make_candidate())
    for placement in (first, second):
        lifecycle.decline(placement.id, placement.version, shop.employer_user, "other")
    assert told() == {
        shop.employer_user.id: ["proposal_made"] * 2,
        shop.inspector.id: ["proposal_declined"] * 2,
    }
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MailOutbox)) == 0
    assert send_digests() == 1
    (digest,) = db.session.scalars(sa.select(MailOutbox)).all()
    assert digest.to_address == shop.inspector.email and ": 2" in digest.body
    assert send_digests() == 0  # each notification goes in one digest
    assert other_inspector.id not in told()


def days_on(frozen_clock, days: int) -> None:
    frozen_clock.move_to(clock.now() + timedelta(days=days))


def test_an_unanswered_proposal_reminds_then_closes_itself(
    shop, make_candidate, frozen_clock, bystanders
):
    placement = shop.propose(make_candidate())
    answered = shop.interview(make_candidate())
    remind = current_app.config["PROPOSAL_REMIND_DAYS"]
    assert deadlines.unanswered_proposals() == {"closed": 0, "reminded": 0}
    days_on(frozen_clock, remind)
    deadlines.unanswered_proposals()
    deadlines.unanswered_proposals()  # again: nobody is told twice
    assert told()[shop.employer_user.id].count("proposal_reminder") == 1
    assert "proposal_unanswered" not in told().get(shop.inspector.id, [])
    days_on(frozen_clock, remind)
    deadlines.unanswered_proposals()
    assert told()[shop.inspector.id].count("proposal_unanswered") == 1
    days_on(frozen_clock, current_app.config["PROPOSAL_EXPIRE_DAYS"] - 2 * remind)
    assert deadlines.unanswered_proposals()["closed"] == 1
    db.session.refresh(placement)
    assert (placement.state, placement.reason_code) == ("withdrawn", "no_answer")
    last = db.session.scalars(
        sa.select(PlacementEvent).where(PlacementEvent.placement_id == placement.id)
    ).all()[-1]
    assert (last.to_state, last.reason_code, last.user_id) == ("withdrawn", "no_answer", None)
    assert told()[shop.inspector.id][-1] == "proposal_expired"
    db.session.refresh(answered)
    assert answered.state == "interview"  # answered proposals never close by themselves
    for user in bystanders:
        assert user.id not in told()


def test_a_follow_up_due_tells_the_inspector_once(
    shop, make_candidate, today, frozen_clock, bystanders
):
    shop.hire(make_candidate())
    assert deadlines.follow_ups_due() == 0
    days_on(frozen_clock, (add_months(today, 3) - today).days)
    assert deadlines.follow_ups_due() == 1
    deadlines.follow_ups_due()
    assert told()[shop.inspector.id].count("follow_up_due") == 1
    for user in bystanders:
        assert user.id not in told()


def test_in_the_last_quarter_an_employer_short_of_its_quota_is_told_once(
    shop, make_user, today, bystanders
):
    db.session.add(
        Quota(
            employer_id=shop.employer.id,
            year=today.year,
            category="released",
            mode="number",
            value=2,
        )
    )
    db.session.commit()
    assert deadlines.quota_shortfalls(date(today.year, 6, 30)) == 0
    autumn = date(today.year, 11, 15)
    assert deadlines.quota_shortfalls(autumn) == 1
    deadlines.quota_shortfalls(autumn)
    assert told() == {shop.employer_user.id: ["quota_shortfall"]}
    notice = db.session.scalar(sa.select(Notification))
    assert notice.params == {"due": 2}
