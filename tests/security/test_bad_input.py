"""Row 13: each input that made a 500 is a 400 (or a form error) in the user's language."""

import io

import pytest
import sqlalchemy as sa
from markupsafe import escape

from portal.auth.models import ADMIN, AKIMAT
from portal.employers.models import Employer
from portal.extensions import db
from portal.placements.models import Quota
from portal.request_guard import NO_FILES, NO_NUL, TOO_LARGE
from tests.helpers import sign_in, translated

FORM = "application/x-www-form-urlencoded"


def says(app, response, message, lang="kk") -> bool:
    return str(escape(translated(app, message, lang))) in response.get_data(as_text=True)


@pytest.fixture
def admin(client, make_user):
    sign_in(client, make_user(ADMIN))
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/candidates/99999999999999999999",
        "/candidates/2147483648",
        "/candidates/?page=99999999999999999999",
        "/employers/?page=-99999999999999999999",
    ],
)
def test_an_integer_too_large_for_the_database(app, admin, path):
    response = admin.get(path, headers={"Accept-Language": "ru"})
    assert response.status_code == 400
    assert says(app, response, TOO_LARGE, "ru")


@pytest.mark.parametrize(
    "path",
    [
        "/stats/people?measure=quota&employer=99999999999999999999",
        "/placements/?employer=99999999999999999999&vacancy=-99999999999999999999",
        "/placements/quotas?year=99999999999999999999",
        "/search/candidates?vacancy=99999999999999999999",
    ],
)
def test_a_filter_by_an_id_too_large_for_the_database_filters_nothing(admin, path):
    assert admin.get(path).status_code == 200


def test_an_iin_in_a_search_box_is_not_taken_for_an_id(admin):
    assert admin.get("/candidates/?q=900101300037").status_code == 200


def test_a_file_part_in_a_form(app, admin):
    response = admin.post(
        "/admin/users/new",
        data={"email": "a@b.kz", "password": (io.BytesIO(b"x"), "x.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and says(app, response, NO_FILES)


def test_a_body_sent_with_a_read_is_not_read(admin):
    # No view reads a GET's body (forms there read the query string): the guard leaves it.
    response = admin.get("/candidates/", data={"q": "a\x00b"}, content_type=FORM)
    assert response.status_code == 200
    assert admin.get("/candidates/?q=a%00b").status_code == 400  # the query string is read


def test_a_nul_byte_in_a_text_field_writes_nothing(app, client):
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Employer))
    response = client.post(
        "/employers/register", data={"name_ru": "ТОО \x00", "email": "x@example.kz"}
    )
    assert response.status_code == 400 and says(app, response, NO_NUL)
    assert client.get("/employers/?q=a%00b").status_code in (302, 400)  # anonymous: sign in
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Employer)) == before


@pytest.mark.parametrize("on", ["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize("period", ["month", "quarter", "year"])
def test_statistics_on_the_first_or_last_day_a_date_can_be(client, make_user, on, period):
    sign_in(client, make_user(AKIMAT))
    for path in ("/stats/", "/stats/export.csv"):
        assert client.get(f"{path}?period={period}&on={on}").status_code == 200
    custom = f"/stats/?period=custom&start=0001-01-01&end=9999-12-31&on={on}"
    assert client.get(custom).status_code == 200


@pytest.mark.parametrize("value", ["inf", "-Infinity", "NaN"])
def test_a_quota_of_infinity_is_a_form_error(app, admin, make_employer, today, value):
    employer = make_employer()
    response = admin.post(
        f"/placements/quotas/{employer.id}",
        data={"year": today.year, "released_mode": "number", "released_value": value},
    )
    assert response.status_code == 400
    assert says(app, response, "Enter a number, for example 2 or 0,5.")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Quota)) == 0
