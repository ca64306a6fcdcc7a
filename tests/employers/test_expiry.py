"""A vacancy past its closing date closes itself: lazily before lists, and from the CLI."""

from datetime import date, timedelta

import sqlalchemy as sa

from portal import clock
from portal.auth.models import AKIMAT, EMPLOYER
from portal.employers.expiry import close_expired
from portal.employers.models import Vacancy
from portal.extensions import db
from tests.employers.helpers import audit
from tests.helpers import TEST_TODAY, sign_in

YESTERDAY = TEST_TODAY - timedelta(days=1)


def statuses() -> dict[str, str]:
    db.session.expire_all()
    return dict(db.session.execute(sa.select(Vacancy.title_ru, Vacancy.status)).all())


def test_lists_close_expired_vacancies_first(client, make_user, make_vacancy):
    user = make_user(EMPLOYER)
    employer = user.employer
    make_vacancy(employer, title_ru="вчера", closes_on=YESTERDAY)
    make_vacancy(employer, title_ru="сегодня", closes_on=clock.today())  # open all of today
    make_vacancy(
        employer,
        title_ru="черновик",
        closes_on=YESTERDAY,
        status="draft",
        with_minors=None,
        near_minors=None,
    )
    sign_in(client, user)
    client.get("/employers/vacancies")
    assert statuses() == {"вчера": "closed", "сегодня": "published", "черновик": "draft"}
    closed = audit("vacancy_closed")
    assert len(closed) == 1 and closed[0].user_id is None  # the portal closed it, not the viewer
    assert closed[0].details == {"reason": "expired", "closes_on": YESTERDAY.isoformat()}
    client.get("/employers/vacancies")
    assert len(audit("vacancy_closed")) == 1  # once only


def test_staff_pages_close_them_too(client, make_user, make_vacancy):
    vacancy = make_vacancy(closes_on=YESTERDAY)
    sign_in(client, make_user(AKIMAT))
    page = client.get(f"/employers/vacancies/{vacancy.id}").get_data(as_text=True)
    assert statuses()[vacancy.title_ru] == "closed" and "badge-closed" in page


def test_cli_closes_expired_vacancies(runner, make_vacancy):
    make_vacancy(closes_on=YESTERDAY)
    result = runner.invoke(args=["employers", "close-expired"])
    assert result.exit_code == 0 and "Closed 1" in result.output
    assert list(statuses().values()) == ["closed"]


def test_close_expired_uses_the_given_day(app, make_vacancy):
    make_vacancy(closes_on=date(2030, 1, 31))
    assert close_expired(date(2030, 1, 31)) == []
    assert len(close_expired(date(2030, 2, 1))) == 1
    db.session.commit()
    assert list(statuses().values()) == ["closed"]
