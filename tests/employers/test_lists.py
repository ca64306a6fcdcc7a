"""Staff lists: htmx fragments of the same markup, plain GET filters, pagination, scope."""

from portal.auth.models import ADMIN, AKIMAT
from tests.helpers import district, sign_in


def test_lists_render_a_fragment_for_htmx(client, make_user, make_vacancy):
    vacancy = make_vacancy(title_ru="Швея-фрагмент")
    sign_in(client, make_user(ADMIN))
    for path, rows_id, text in [
        ("/employers/vacancies?q=фрагмент", "vacancy-rows", "Швея-фрагмент"),
        ("/employers/?q=Тест", "employer-rows", vacancy.employer.name_ru),
    ]:
        full = client.get(path).get_data(as_text=True)
        fragment = client.get(path, headers={"HX-Request": "true"}).get_data(as_text=True)
        assert f'id="{rows_id}"' in full and "<html" in full
        assert "<html" not in fragment and text in fragment
        assert fragment.strip() in full  # the page includes the very same fragment


def test_filters_and_pagination_keep_the_query(make_app, make_user, make_vacancy):
    app = make_app(PAGE_SIZE=1)
    client = app.test_client()
    make_vacancy(title_ru="Швея один")
    make_vacancy(title_ru="Швея два")
    make_vacancy(title_ru="Бетонщик", status="closed")
    sign_in(client, make_user(AKIMAT))
    page = client.get("/employers/vacancies?q=швея&status=published").get_data(as_text=True)
    assert "Бетонщик" not in page
    assert "page=2" in page and "q=%D1%88%D0%B2%D0%B5%D1%8F" in page and "status=published" in page


def test_an_akimat_of_a_district_sees_only_its_district(
    client, make_user, make_vacancy, make_employer
):
    make_vacancy(title_ru="Здесь")  # Сарыарқа district of Astana
    elsewhere = make_employer(district_kato="711110000")  # Алматы district of Astana
    there = make_vacancy(elsewhere, title_ru="Там")
    sign_in(client, make_user(AKIMAT, district_id=district("711310000").id))
    page = client.get("/employers/vacancies").get_data(as_text=True)
    assert "Здесь" in page and "Там" not in page
    assert client.get(f"/employers/vacancies/{there.id}").status_code == 404
