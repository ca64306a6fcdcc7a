"""Interviews: the employer books one when inviting (day, time, place or by phone, a note),
moves or cancels it; both sides see it in Kazakhstan's time and are told; the employer sees
the inspector's contact and note; an interview past its time asks the employer for the outcome."""

from datetime import datetime, time, timedelta

import sqlalchemy as sa

from portal import clock
from portal.extensions import db
from portal.notifications.models import Notification
from portal.placements import deadlines
from portal.placements.models import Interview
from tests.helpers import TEST_TODAY, page_text
from tests.placements.helpers import BOOKING, HX, client_for, fresh


def kinds(user) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Notification.kind)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id)
        )
    )


def test_booking_moving_and_cancelling_an_interview(app, shop, make_candidate, make_user):
    shop.inspector.phone = "+7 701 555 12 34"
    db.session.commit()
    p = shop.propose(make_candidate())
    employer = client_for(app, shop.employer_user)
    page = page_text(employer, f"/placements/vacancies/{shop.vacancy.id}")
    assert shop.inspector.full_name in page and "+7 701 555 12 34" in page
    assert shop.inspector.email in page
    employer.post(f"/placements/{p.id}/interview", data={"version": p.version, **BOOKING})
    interview = db.session.scalar(sa.select(Interview).where(Interview.placement_id == p.id))
    day = TEST_TODAY + timedelta(days=2)
    assert interview.starts_at == datetime.combine(day, time(10), clock.LOCAL_ZONE)
    assert (interview.place, interview.by_phone) == ("Цех №2", False)
    assert fresh(p.id).state == "interview"
    assert kinds(shop.inspector) == ["interview_booked"]
    assert kinds(shop.employer_user) == ["proposal_made"]  # not told of their own booking
    # Both sides read it in local time (10:00 in Astana is 05:00 UTC).
    assert "10:00" in page_text(employer, f"/placements/vacancies/{shop.vacancy.id}")
    inspector = client_for(app, shop.inspector)
    assert "10:00" in page_text(inspector, f"/placements/{p.id}")
    employer.post(
        f"/placements/{p.id}/interview/move",
        data={"version": fresh(p.id).version, **BOOKING, "at": "15:30", "by_phone": "y"},
    )
    db.session.refresh(interview)
    assert interview.starts_at.astimezone(clock.LOCAL_ZONE).time() == time(15, 30)
    assert interview.by_phone and interview.place == ""
    employer.post(f"/placements/{p.id}/interview/cancel", data={"version": fresh(p.id).version})
    db.session.refresh(interview)
    assert interview.cancelled_at is not None
    assert fresh(p.id).state == "interview"  # still invited; the employer decides as before
    assert kinds(shop.inspector) == ["interview_booked", "interview_moved", "interview_cancelled"]


def test_a_booking_in_the_past_or_without_a_place_is_refused(app, shop, make_candidate):
    p = shop.propose(make_candidate())
    employer = client_for(app, shop.employer_user)
    for data in (
        {**BOOKING, "day": (TEST_TODAY - timedelta(days=1)).isoformat()},
        {**BOOKING, "place": ""},
        {**BOOKING, "at": "25:00"},
    ):
        row = employer.post(
            f"/placements/{p.id}/interview", data={"version": p.version, **data}, headers=HX
        )
        assert row.status_code == 200 and 'role="alert"' in row.get_data(as_text=True)
        assert fresh(p.id).state == "proposed"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Interview)) == 0
    assert kinds(shop.inspector) == []


def test_the_inspectors_note_is_shown_to_the_employer(app, shop, make_candidate):
    p = shop.propose(make_candidate())
    inspector = client_for(app, shop.inspector)
    inspector.post(
        f"/placements/{p.id}/note", data={"version": p.version, "inspector_note": "Ранний подъём"}
    )
    assert fresh(p.id).inspector_note == "Ранний подъём"
    employer = client_for(app, shop.employer_user)
    assert "Ранний подъём" in page_text(employer, f"/placements/vacancies/{shop.vacancy.id}")
    inspector.post(
        f"/placements/{p.id}/note",
        data={"version": fresh(p.id).version, "inspector_note": "ИИН 900101300123"},
    )
    assert fresh(p.id).inspector_note == "Ранний подъём"  # an identity number is refused


def test_an_interview_past_its_time_asks_the_employer_for_the_outcome(
    app, shop, make_candidate, frozen_clock
):
    p = shop.propose(make_candidate())
    client_for(app, shop.employer_user).post(
        f"/placements/{p.id}/interview", data={"version": p.version, **BOOKING}
    )
    assert deadlines.interviews_past() == 0
    frozen_clock.move_to(clock.now() + timedelta(days=3))
    deadlines.interviews_past()
    deadlines.interviews_past()
    assert kinds(shop.employer_user) == ["proposal_made", "interview_outcome"]
