"""The person's record tells their story (proposals, interviews, jobs, follow-up checks,
newest first, each a link to its placement) and links to the vacancies they may be put to."""

from datetime import timedelta

from portal import clock
from portal.extensions import db
from portal.placements import lifecycle
from portal.placements.lifecycle import Booking
from portal.placements.models import RetentionCheck
from tests.helpers import page_text, sign_in, translated


def test_the_record_tells_the_story_newest_first(
    app, client, make_user, make_vacancy, make_candidate, frozen_clock
):
    inspector = make_user("inspector")
    vacancy = make_vacancy(title_ru="Каменщик", title_kk="Тас қалаушы")
    boss = make_user("employer", employer_id=vacancy.employer_id)
    person = make_candidate()
    p = lifecycle.propose(person.id, vacancy.id, inspector, clock.today())
    booked = Booking(clock.now() + timedelta(hours=2), place="Цех")
    p = lifecycle.accept_for_interview(p.id, p.version, boss, clock.today(), booked)
    frozen_clock.move_to(clock.now() + timedelta(days=1))
    p = lifecycle.hire(p.id, p.version, boss, start=clock.today(), on=clock.today())
    db.session.add(
        RetentionCheck(
            placement_id=p.id,
            milestone=3,
            checked_on=clock.today() + timedelta(days=91),
            still_employed=True,
            user_id=inspector.id,
        )
    )
    db.session.commit()
    inspector.locale = "ru"
    db.session.commit()
    sign_in(client, inspector)
    html = page_text(client, f"/candidates/{person.id}")
    assert f'href="/matching/candidates/{person.id}"' in html
    story = html[html.index(translated(app, "Story", "ru")) :]
    order = [
        translated(
            app,
            "follow-up check at %(months)s months: %(outcome)s",
            "ru",
            months=3,
            outcome=translated(app, "still employed", "ru"),
        ),
        translated(
            app,
            "started work: «%(vacancy)s», %(employer)s",
            "ru",
            vacancy="Каменщик",
            employer=vacancy.employer.name_ru,
        ),
        translated(app, "interview for «%(vacancy)s»", "ru", vacancy="Каменщик"),
    ]
    positions = [
        story.index(str(line).replace("«", "&laquo;") if False else line) for line in order
    ]
    assert positions == sorted(positions)
    assert story.count(f'href="/placements/{p.id}"') == 4
