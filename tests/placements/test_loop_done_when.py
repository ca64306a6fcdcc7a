"""Issue 14's "done when", through the pages and the worker's tasks, in both languages: an
inspector proposes; the employer gets an e-mail and sees the proposal first on its home page,
books an interview for Thursday 10:00 at the workshop; the inspector sees it on the home page
and in the notification list; the employer hires; the inspector is told; three months later
the follow-up shows on the inspector's home page. An unanswered proposal closes after 30 days."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal import clock
from portal.extensions import db
from portal.notifications.models import MailOutbox
from portal.placements import deadlines
from portal.placements.followup import add_months
from tests.helpers import page_text, translated
from tests.placements.helpers import client_for, fresh


def next_thursday(day):
    return day + timedelta(days=(3 - day.weekday()) % 7 or 7)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_loop(app, shop, make_candidate, frozen_clock, lang):
    shop.employer_user.locale = shop.inspector.locale = lang
    db.session.commit()
    p = shop.propose(make_candidate())
    (mail,) = db.session.scalars(sa.select(MailOutbox)).all()
    assert mail.to_address == shop.employer_user.email

    employer = client_for(app, shop.employer_user)
    home = page_text(employer, "/")
    assert translated(app, "Candidates awaiting your decision", lang) in home
    assert f"#placement-{p.id}" in home and p.candidate.code in home

    thursday = next_thursday(clock.today())
    employer.post(
        f"/placements/{p.id}/interview",
        data={"version": p.version, "day": thursday.isoformat(), "at": "10:00", "place": "Цех"},
    )
    assert fresh(p.id).state == "interview"

    inspector = client_for(app, shop.inspector)
    home = page_text(inspector, "/")
    assert translated(app, "Interviews coming up", lang) in home and "10:00" in home
    listing = page_text(inspector, "/notifications/")
    assert p.candidate.code in listing and "10:00" in listing

    employer.post(
        f"/placements/{p.id}/hire",
        data={"version": fresh(p.id).version, "start_date": thursday.isoformat()},
    )
    assert fresh(p.id).state == "hired"
    listing = page_text(inspector, "/notifications/")
    hired = translated(
        app,
        "The employer hired %(candidate)s (“%(vacancy)s”).",
        lang,
        candidate=p.candidate.code,
        vacancy="Тігінші" if lang == "kk" else "Швея",
    )
    assert hired in listing

    later = add_months(thursday, 3)
    frozen_clock.move_to(clock.now() + (later - clock.today()))
    deadlines.follow_ups_due()
    home = page_text(client_for(app, shop.inspector), "/")  # a new session, months later
    due = translated(app, "Follow-up checks due", lang)
    assert due + '</a>: <span class="todo-count">1<' in home


def test_an_unanswered_proposal_closes_itself_after_30_days(shop, make_candidate, frozen_clock):
    p = shop.propose(make_candidate())
    frozen_clock.move_to(clock.now() + timedelta(days=29))
    deadlines.unanswered_proposals()
    assert fresh(p.id).state == "proposed"
    frozen_clock.move_to(clock.now() + timedelta(days=1))
    deadlines.unanswered_proposals()
    assert (fresh(p.id).state, fresh(p.id).reason_code) == ("withdrawn", "no_answer")
