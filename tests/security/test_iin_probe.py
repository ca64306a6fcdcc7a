"""Row 5: an inspector typing an IIN that another record holds learns nothing about it: one
answer whether the record is theirs or not (and is sent to an administrator), and every such
attempt is audited with whose record it was."""

import pytest
import sqlalchemy as sa
from markupsafe import escape

from portal.auth.models import ADMIN, INSPECTOR, AuditEntry
from portal.extensions import db
from portal.forms import NOT_HERE
from tests.candidates.helpers import record_form
from tests.helpers import KARAGANDA, assert_same_pages, masked, sign_in, translated

REGISTERED = "A record with this IIN is already registered."


def probes() -> list[tuple]:
    db.session.expire_all()
    return db.session.execute(
        sa.select(AuditEntry.user_id, AuditEntry.object_id, AuditEntry.details)
        .where(AuditEntry.action == "candidate_probe")
        .order_by(AuditEntry.id)
    ).all()


@pytest.fixture
def inspector(client, make_user):
    user = make_user(INSPECTOR)
    sign_in(client, user)
    return user


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_answer_is_the_same_inside_and_outside_the_scope(
    app, client, inspector, make_candidate, lang
):
    own, elsewhere = make_candidate(), make_candidate(KARAGANDA, full_name="Басқа Адам")
    headers = {"Accept-Language": lang}
    pages = {}
    for name, holder in (("own", own), ("elsewhere", elsewhere)):
        response = client.post("/candidates/new", data=record_form(iin=holder.iin), headers=headers)
        assert response.status_code == 400
        pages[name] = masked(response.get_data(as_text=True), {holder.iin: "IIN"})
    assert_same_pages(pages)
    html = pages["elsewhere"]
    assert str(escape(translated(app, NOT_HERE, lang))) in html
    assert str(escape(translated(app, REGISTERED, lang))) not in html
    assert "Басқа Адам" not in html and elsewhere.code not in html
    assert probes() == [
        (inspector.id, own.id, {"page": "new", "in_scope": True}),
        (inspector.id, elsewhere.id, {"page": "new", "in_scope": False}),
    ]


def test_an_edit_to_an_iin_held_elsewhere_is_answered_and_audited_the_same(
    app, client, inspector, make_candidate
):
    own, elsewhere = make_candidate(), make_candidate(KARAGANDA)
    response = client.post(f"/candidates/{own.id}/edit", data=record_form(iin=elsewhere.iin))
    assert response.status_code == 400
    assert str(escape(translated(app, NOT_HERE))) in response.get_data(as_text=True)
    assert probes() == [(inspector.id, elsewhere.id, {"page": "edit", "in_scope": False})]
    db.session.refresh(own)
    assert own.iin != elsewhere.iin


def test_an_administrator_who_sees_every_record_is_told_it_is_registered(
    app, client, make_user, make_candidate
):
    admin = make_user(ADMIN)
    sign_in(client, admin)
    elsewhere = make_candidate(KARAGANDA)
    data = record_form(iin=elsewhere.iin, region_id=str(elsewhere.region_id))
    response = client.post("/candidates/new", data=data)
    assert str(escape(translated(app, REGISTERED))) in response.get_data(as_text=True)
    assert probes() == [(admin.id, elsewhere.id, {"page": "new", "in_scope": True})]
