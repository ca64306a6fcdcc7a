"""The notification list: the unread count in the header, opening one marks it read and goes
to its object, and the e-mail settings page stores the choices."""

import sqlalchemy as sa

from portal.extensions import db
from portal.notifications.models import Notification, NotificationSetting
from portal.notifications.notify import notify
from tests.helpers import page_text, sign_in, translated


def test_the_header_counts_the_unread_and_opening_one_reads_it(
    app, client, make_user, make_employer
):
    employer = make_employer()
    user = make_user("employer", employer_id=employer.id, locale="ru")
    notify([user], "employer_approved", "employer", employer.id)
    notify([user], "employer_rejected", "employer", employer.id)
    db.session.commit()
    sign_in(client, user)
    unread = translated(app, "unread", "ru")
    html = page_text(client, "/notifications/")
    assert html.count(unread) == 2 and '<mark class="badge"' in html
    assert (
        translated(app, "Your organisation has been approved: you can now post vacancies.", "ru")
        in html
    )
    first = db.session.scalar(sa.select(Notification.id).order_by(Notification.id))
    response = client.get(f"/notifications/{first}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/employers/{employer.id}"
    assert page_text(client, "/notifications/").count(unread) == 1
    client.post("/notifications/read")
    html = page_text(client, "/notifications/")
    assert unread not in html and '<mark class="badge"' not in html


def test_the_settings_page_keeps_the_choices(client, make_user):
    user = make_user("inspector")
    sign_in(client, user)
    assert page_text(client, "/notifications/settings")
    response = client.post(
        "/notifications/settings", data={"email": ["answers", "follow_ups"], "digest": "daily"}
    )
    assert response.status_code == 302
    setting = db.session.get(NotificationSetting, user.id)
    assert setting.digest is True
    assert "answers" not in setting.email_off and "proposals" in setting.email_off
    bad = client.post("/notifications/settings", data={"email": ["nonsense"], "digest": "x"})
    assert bad.status_code == 400  # the form again, with its errors; nothing stored
    db.session.refresh(setting)
    assert setting.digest is True
