"""The administrator adds and retires reference rows and rewrites the rules' legal-basis
texts: each change audited and shown in the row's history, kept by `flask reference load`,
and followed by matching: a retired code is not offered for new records but stays on old
ones; a retired or corrected article changes what a new offence gets."""

import sqlalchemy as sa
from flask_babel import force_locale

from portal.auth.models import ADMIN, INSPECTOR, AuditEntry
from portal.candidates.forms import CandidateForm, TradesForm
from portal.candidates.sections import add_offence
from portal.extensions import db
from portal.matching.eligibility import BASIS_ART26
from portal.reference.loader import load_reference_data
from portal.reference.models import CriminalArticle, District, Occupation
from tests.helpers import institution, page_text, sign_in


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_admin_adds_a_district_and_an_occupation_shown_with_their_history(
    app, client, make_user
):
    sign_in(client, make_user(ADMIN, full_name="Әкімші Екі"))
    region_id = institution("ЕЦ-166/11").region_id
    added = client.post(
        "/reference/district/new",
        data={
            "kato": "711399999",
            "region_id": region_id,
            "name_kk": "Жаңа аудан",
            "name_ru": "Новый район",
        },
    )
    assert added.status_code == 303
    row = db.session.scalar(sa.select(District).where(District.kato == "711399999"))
    assert row.name_ru == "Новый район" and row.region_id == region_id
    html = page_text(client, f"/reference/district/{row.id}/names")
    assert "Әкімші Екі" in html and "Новый район" in html
    occupation = client.post(
        "/reference/occupation/new",
        data={"code": "7533-9", "name_kk": "Жаңа кәсіп", "name_ru": "Новая профессия"},
    )
    assert occupation.status_code == 303
    load_reference_data()  # the seed does not list them: they stay as added
    db.session.commit()
    assert db.session.scalar(sa.select(Occupation.name_ru).where(Occupation.code == "7533-9")) == (
        "Новая профессия"
    )


def test_a_bad_or_taken_code_is_a_400_and_nothing_is_added(app, client, make_user):
    sign_in(client, make_user(ADMIN, locale="ru"))
    before = _count(District)
    taken = db.session.scalar(sa.select(District).limit(1))
    for kato in (taken.kato, "12345", ""):
        refused = client.post(
            "/reference/district/new",
            data={"kato": kato, "region_id": taken.region_id, "name_kk": "А", "name_ru": "А"},
        )
        assert refused.status_code == 400
    assert "Другой район" in refused.get_data(as_text=True) or "КАТО" in refused.get_data(
        as_text=True
    )
    assert _count(District) == before
    assert client.post("/reference/occupation/new", data={"code": "75330"}).status_code == 400
    assert client.get("/reference/criminal-article/new").status_code == 404  # its own page


def test_a_retired_occupation_stays_on_old_records_and_is_not_offered_for_new_ones(
    app, client, make_user, make_candidate
):
    admin = make_user(ADMIN)
    sign_in(client, admin)
    sewing = db.session.scalar(sa.select(Occupation).where(Occupation.code == "7533-0"))
    person = make_candidate()
    person.occupations.append(sewing)
    db.session.commit()
    path = f"/reference/occupation/{sewing.id}/retire"
    assert client.get(path).status_code == 200  # asks first
    assert client.post(path).status_code == 303
    db.session.expire_all()
    assert sewing.retired
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "reference_retired"))
    assert (entry.object_type, entry.object_id) == ("occupation", sewing.id)
    assert "7533-0" in page_text(client, f"/reference/occupation/{sewing.id}/names")
    with app.test_request_context():
        offered = [c.value for c in TradesForm(candidate=make_candidate()).occupation_ids.choices]
        kept = [c.value for c in TradesForm(candidate=person).occupation_ids.choices]
    assert sewing.id not in offered and sewing.id in kept
    assert [o.code for o in person.occupations] == ["7533-0"]  # the old record keeps it
    load_reference_data()  # reloading the seed does not put it back in use
    db.session.commit()
    assert db.session.get(Occupation, sewing.id).retired
    restored = client.post(f"/reference/occupation/{sewing.id}/restore")
    db.session.expire_all()
    assert restored.status_code == 303 and not db.session.get(Occupation, sewing.id).retired


def test_a_retired_district_is_refused_in_an_import_and_kept_on_an_edited_record(
    app, client, make_user, make_candidate, worker
):
    from tests.helpers import new_iin
    from tests.imports.test_import import checked, person, problems_by_row, xlsx

    admin = make_user(ADMIN)
    sign_in(client, admin)
    home = db.session.scalar(sa.select(District).where(District.kato == "711310000"))
    client.post(f"/reference/district/{home.id}/retire")
    inspector = make_user(INSPECTOR, locale="ru")
    sign_in(client, inspector)
    _path, html = checked(client, worker, xlsx([person(2, new_iin())]))
    assert any("выведен" in problem for problem in problems_by_row(html)[2])
    record = make_candidate(district_id=home.id)
    with app.test_request_context():
        kept = [
            c.value for c in CandidateForm(user=inspector, candidate=record).district_id.choices
        ]
        new = [c.value for c in CandidateForm(user=inspector).district_id.choices]
    assert home.id in kept and home.id not in new


def test_a_retired_article_gives_new_offences_nothing_and_old_ones_keep_their_category(
    app, client, make_user, make_candidate
):
    sign_in(client, make_user(ADMIN))
    entry = db.session.scalar(
        sa.select(CriminalArticle).where(
            CriminalArticle.code == "2014",
            CriminalArticle.article == "106",
            CriminalArticle.part == "",
        )
    )
    old = add_offence(make_candidate(), "2014", "106")
    assert old.category_code == entry.category_code != "other"
    assert client.post(f"/reference/criminal-article/{entry.id}/retire").status_code == 303
    new = add_offence(make_candidate(), "2014", "106")
    assert new.category_code == "other" and new.outside_listed  # the form asks to confirm
    db.session.expire_all()
    assert db.session.get(type(old), old.id).category_code == entry.category_code
    assert "106" in page_text(client, f"/reference/criminal-code/{entry.id}/edit")
    # Corrected (after being put back): a new offence gets the corrected category.
    client.post(f"/reference/criminal-article/{entry.id}/restore")
    client.post(
        f"/reference/criminal-code/{entry.id}/edit",
        data={"name_kk": entry.name_kk, "name_ru": entry.name_ru, "category_code": "sexual_minors"},
    )
    assert add_offence(make_candidate(), "2014", "106").category_code == "sexual_minors"


def test_the_admin_rewrites_a_legal_basis_in_both_languages_and_the_rules_cite_it(
    app, client, make_user
):
    sign_in(client, make_user(ADMIN, full_name="Әкімші Үш"))
    assert "Labour Code" in page_text(client, "/reference/legal-basis") or "Еңбек" in page_text(
        client, "/reference/legal-basis"
    )
    saved = client.post(
        "/reference/legal-basis/art26",
        data={
            "text_kk": "ҚР Еңбек кодексі, 26-бап 1-тармақ (жаңа)",
            "text_ru": "ТК РК, ст. 26 п. 1 (новая)",
        },
    )
    assert saved.status_code == 303
    with app.test_request_context():
        for language, text in (("kk", "(жаңа)"), ("ru", "(новая)")):
            with force_locale(language):
                assert text in str(BASIS_ART26)
    html = page_text(client, "/reference/legal-basis/art26")
    assert "Әкімші Үш" in html and "(новая)" in html
    load_reference_data()
    db.session.commit()
    with app.test_request_context(), force_locale("ru"):
        assert "(новая)" in str(BASIS_ART26)
    assert (
        client.post(
            "/reference/legal-basis/art26", data={"text_kk": "", "text_ru": "x"}
        ).status_code
        == 400
    )
    assert client.get("/reference/legal-basis/nothing").status_code == 404


def test_the_admin_adds_an_institution_in_a_region_and_a_district_of_another_is_refused(
    app, client, make_user
):
    sign_in(client, make_user(ADMIN))
    home = institution("ЕЦ-166/11")
    elsewhere = db.session.scalar(
        sa.select(District).where(District.region_id != home.region_id).limit(1)
    )
    values = {"code": "ЕЦ-999/1", "name_kk": "Жаңа мекеме", "name_ru": "Новое учреждение"}
    values |= {"security_level": "minimum", "region_id": home.region_id}
    refused = client.post(
        "/reference/institution/new", data={**values, "district_id": elsewhere.id}
    )
    assert refused.status_code == 400
    assert client.post("/reference/institution/new", data=values).status_code == 303
    assert institution("ЕЦ-999/1").name_ru == "Новое учреждение"
    again = client.post("/reference/institution/new", data=values)  # the code is taken now
    assert again.status_code == 400


def test_a_corrected_article_and_a_rewritten_basis_show_in_matching(
    app, client, make_user, make_candidate, make_vacancy
):
    sign_in(client, make_user(ADMIN, locale="ru"))
    entry = db.session.scalar(
        sa.select(CriminalArticle).where(
            CriminalArticle.code == "2014",
            CriminalArticle.article == "106",
            CriminalArticle.part == "",
        )
    )
    client.post(
        f"/reference/criminal-code/{entry.id}/edit",
        data={"name_kk": entry.name_kk, "name_ru": entry.name_ru, "category_code": "sexual_minors"},
    )
    client.post(
        "/reference/legal-basis/sexual_minors",
        data={"text_kk": "Жаңа негіз", "text_ru": "Новое основание"},
    )
    person = make_candidate(full_name="Исключённый Тест")
    add_offence(person, "2014", "106")
    vacancy = make_vacancy(near_minors=True)
    shown = page_text(client, f"/matching/vacancies/{vacancy.id}")
    excluded = page_text(
        client, f"/matching/vacancies/{vacancy.id}", query_string={"tab": "excluded"}
    )
    assert "Исключённый Тест" not in shown
    assert "Исключённый Тест" in excluded and "Новое основание" in excluded
