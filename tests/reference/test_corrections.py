"""An administrator corrects a reference row's names in both languages, and sees the history;
reloading the seed keeps the correction."""

from portal.auth.models import ADMIN
from portal.extensions import db
from portal.reference.loader import load_places_and_vocabularies
from tests.helpers import institution, page_text, sign_in


def test_the_admin_corrects_an_institutions_names_and_sees_the_history(app, client, make_user):
    admin = make_user(ADMIN, full_name="Әкімші Бір")
    sign_in(client, admin)
    row = institution("ЕЦ-166/11")
    old_ru = row.name_ru
    path = f"/reference/institution/{row.id}/names"
    saved = client.post(path, data={"name_kk": "Жаңа атауы", "name_ru": "Новое название"})
    assert saved.status_code == 303
    db.session.expire_all()
    assert (row.name_kk, row.name_ru) == ("Жаңа атауы", "Новое название")
    html = page_text(client, path)
    assert f"{old_ru} → Новое название" in html and "Әкімші Бір" in html
    load_places_and_vocabularies()
    db.session.commit()
    assert institution("ЕЦ-166/11").name_ru == "Новое название"


def test_an_empty_name_is_refused_and_nothing_changes(app, client, make_user):
    sign_in(client, make_user(ADMIN))
    row = institution("ЕЦ-166/11")
    before = row.name_kk
    refused = client.post(
        f"/reference/institution/{row.id}/names", data={"name_kk": "", "name_ru": "Х"}
    )
    assert refused.status_code == 400
    db.session.expire_all()
    assert row.name_kk == before
    assert client.get("/reference/planet/1/names").status_code == 404
