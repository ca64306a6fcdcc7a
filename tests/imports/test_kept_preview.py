"""Corrections typed into an import's preview and sent after the session ended, or from a tab
left open while the user signed in again, are not lost: the job's page shows the preview with
them back in their fields, nothing saved and nothing imported until sent again."""

import io
import json

import pytest
import sqlalchemy as sa

from portal.auth.kept_forms import RESTORED, STALE
from portal.auth.models import INSPECTOR
from portal.auth.sessions import SEEN_STEP_SECONDS
from portal.candidates.models import Candidate
from portal.extensions import db
from portal.imports.models import ImportRow
from tests.auth.test_kept_forms import TOKEN, token_of
from tests.helpers import enrolled, new_iin, sign_in, translated
from tests.imports.test_import import checked, person, xlsx
from tests.placements.test_kept_follow_up import signs_in
from tests.placements.test_kept_proposals import signed_in_again

DISTRICT = "711310000"
WRONG = "999999999"
FIELD = f'name="fix-3-district" value="{DISTRICT}"'


def two_rows_one_bad() -> bytes:
    rows = [person(2, new_iin()), person(3, new_iin())]
    rows[1]["district"] = WRONG
    return xlsx(rows)


def stored_district() -> str:
    row = db.session.scalar(sa.select(ImportRow).where(ImportRow.number == 3))
    return json.loads(row.raw)["district"]


def candidates() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Candidate))


def test_corrections_sent_after_the_session_ended_come_back_into_the_preview(
    app, client, make_user, frozen_clock, worker
):
    inspector = make_user(INSPECTOR, locale="ru")
    sign_in(client, inspector)
    path, _html = checked(client, worker, two_rows_one_bad())
    frozen_clock.shift(app.config["SESSION_IDLE_MINUTES"] * 60 + SEEN_STEP_SECONDS + 5)
    data = {"action": "check", "mode": "all", "fix-3-district": DISTRICT}
    sent = client.post(f"{path}/confirm", data=data, headers={"Referer": f"http://localhost{path}"})
    assert sent.headers["Location"] == f"/auth/login?next={path}"
    sign_in(client, inspector)
    with client.session_transaction() as session:
        session["kept_form_page"] = path  # what signing in leaves (sign_in skips the form)
    again = client.get(path).get_data(as_text=True)
    assert translated(app, RESTORED, "ru") in again and FIELD in again
    assert stored_district() == WRONG and candidates() == 0  # nothing saved, nothing imported
    assert FIELD not in client.get(path).get_data(as_text=True)  # once


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_corrections_from_a_preview_open_since_an_earlier_sign_in_come_back(
    make_app, make_user, frozen_clock, worker, lang
):
    app = make_app(WTF_CSRF_ENABLED=True)
    inspector = enrolled(make_user(INSPECTOR, locale=lang))
    client = app.test_client()
    signs_in(client, inspector)
    sent = {
        "file": (io.BytesIO(two_rows_one_bad()), "list.xlsx"),
        "csrf_token": token_of(client, "/imports/"),
    }
    path = client.post("/imports/", data=sent, content_type="multipart/form-data").location
    worker()
    old_token = TOKEN.search(client.get(path).get_data(as_text=True)).group(1)
    signed_in_again(app, client, inspector, frozen_clock, signs_in)
    data = {"csrf_token": old_token, "action": "check", "mode": "all", "fix-3-district": DISTRICT}
    refused = client.post(
        f"{path}/confirm", data=data, headers={"Referer": f"http://localhost{path}"}
    )
    assert refused.status_code == 302 and refused.headers["Location"] == path
    again = client.get(path).get_data(as_text=True)
    assert translated(app, STALE, lang) in again and FIELD in again
    assert stored_district() == WRONG and candidates() == 0
