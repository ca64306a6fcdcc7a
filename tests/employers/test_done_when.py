"""The issue's "done when": an SME registers in Kazakh, an inspector approves it in Russian, it
posts a sewing vacancy with a night shift and sees it on its dashboard; an akimat user of that
region sees it, an akimat user of another region does not."""

import sqlalchemy as sa

from portal.auth.models import AKIMAT, INSPECTOR
from portal.employers.models import Employer, Vacancy
from portal.extensions import db
from tests.employers.helpers import registration_data, vacancy_data
from tests.helpers import KARAGANDA, login, region, sign_in


def test_sme_to_akimat(app, make_user):
    employer_client = app.test_client()
    employer_client.set_cookie("lang", "kk")
    response = employer_client.post("/employers/register", data=registration_data())
    assert response.status_code == 302
    assert login(employer_client, registration_data()["login_email"]).status_code == 302
    employer = db.session.scalars(sa.select(Employer)).one()
    assert employer.status == "pending"
    page = employer_client.get(f"/employers/{employer.id}").get_data(as_text=True)
    assert '<html lang="kk">' in page

    inspector = app.test_client()
    sign_in(inspector, make_user(INSPECTOR, locale="ru"))
    queue = inspector.get("/employers/?status=pending").get_data(as_text=True)
    assert '<html lang="ru">' in queue and "ТОО «Астана Тігін»" in queue  # name shown in Russian
    assert inspector.post(f"/employers/{employer.id}/approve").status_code == 302

    response = employer_client.post("/employers/vacancies/new", data=vacancy_data())
    assert response.status_code == 302
    vacancy = db.session.scalars(sa.select(Vacancy)).one()
    dashboard = employer_client.get("/employers/vacancies").get_data(as_text=True)
    assert '<html lang="kk">' in dashboard
    assert "Тігінші (түнгі ауысым)" in dashboard and "22:00–06:00" in dashboard

    same_region = app.test_client()
    sign_in(same_region, make_user(AKIMAT))
    listing = same_region.get("/employers/vacancies").get_data(as_text=True)
    assert "Тігінші (түнгі ауысым)" in listing
    assert same_region.get(f"/employers/vacancies/{vacancy.id}").status_code == 200
    assert same_region.get(f"/employers/{employer.id}").status_code == 200

    other_region = app.test_client()
    sign_in(other_region, make_user(AKIMAT, region_id=region(KARAGANDA).id))
    listing = other_region.get("/employers/vacancies").get_data(as_text=True)
    assert "Тігінші (түнгі ауысым)" not in listing
    assert other_region.get(f"/employers/vacancies/{vacancy.id}").status_code == 404
    assert other_region.get(f"/employers/{employer.id}").status_code == 404
