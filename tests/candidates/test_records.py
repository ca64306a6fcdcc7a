"""The main record: create and edit with their checks, scope on creation, masked IIN, audit."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import gettext
from markupsafe import escape

from portal.auth.models import ADMIN, INSPECTOR
from portal.candidates.identity import mask_iin
from portal.candidates.models import Candidate
from portal.extensions import db
from portal.forms import NOT_HERE
from tests.candidates.helpers import audit_rows, bad_checksum, record_form
from tests.helpers import (
    ASTANA,
    KARAGANDA,
    institution,
    new_iin,
    page_text,
    region,
    sign_in,
    translated,
)


def candidates() -> list[Candidate]:
    return list(db.session.scalars(sa.select(Candidate).order_by(Candidate.id)))


@pytest.fixture
def inspector(client, make_user):
    user = make_user(INSPECTOR)
    sign_in(client, user)
    return user


def test_an_inspector_creates_a_record_in_their_region(client, inspector):
    data = record_form(region_id=str(region(KARAGANDA).id))  # tampered: not a field for them
    response = client.post("/candidates/new", data=data)
    [candidate] = candidates()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/candidates/{candidate.id}")
    assert candidate.region_id == region(ASTANA).id
    assert candidate.created_by_id == inspector.id
    assert (candidate.iin, candidate.languages, candidate.consent) == (data["iin"], "kk, ru", True)
    assert candidate.offences_recorded is False  # the offence section starts unknown
    assert re.fullmatch(r"K-[2-9A-HJ-NP-Z]{6}", candidate.code)
    [created] = audit_rows("candidate_created")
    assert created.object_id == candidate.id and data["iin"] not in str(created.details)


def test_codes_are_random_not_derived(client, inspector):
    for _ in range(3):
        client.post("/candidates/new", data=record_form())
    codes = [c.code for c in candidates()]
    assert len(set(codes)) == 3 and all(c.iin[-4:] not in c.code for c in candidates())


def test_an_institution_inspector_creates_records_of_their_institution(client, make_user):
    ec = institution("ЕЦ-166/11")
    sign_in(client, make_user(INSPECTOR, institution_id=ec.id))
    other = institution("ЕЦ-166/4")
    response = client.post(
        "/candidates/new",
        data=record_form(
            status="min_security", institution_id=str(other.id), release_date="2027-09-01"
        ),
    )
    assert response.status_code == 302
    [candidate] = candidates()
    assert (candidate.institution_id, candidate.status) == (ec.id, "min_security")


def test_an_admin_chooses_the_region(client, make_user):
    sign_in(client, make_user(ADMIN))
    response = client.post("/candidates/new", data=record_form(region_id=str(region(KARAGANDA).id)))
    assert response.status_code == 302
    assert candidates()[0].region_id == region(KARAGANDA).id
    response = client.post("/candidates/new", data=record_form())  # no region chosen
    assert response.status_code == 400 and 'id="region_id-error"' in response.get_data(as_text=True)


INVALID_IIN = "Enter a valid IIN: 12 digits with a correct check digit."
NO_INSTITUTION = (
    "A person in custody (minimum-security prisoner or penitentiary probation) "
    "needs an institution."
)


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"iin": "12345"}, "iin", INVALID_IIN),
        ({"iin": bad_checksum(new_iin())}, "iin", INVALID_IIN),
        ({"iin": ""}, "iin", "Enter the IIN."),
        ({"full_name": "  "}, "full_name", "Enter the full name."),
        ({"birth_date": ""}, "birth_date", "Enter the date of birth."),
        ({"birth_date": "2999-01-01"}, "birth_date", "The date cannot be in the future."),
        ({"status": ""}, "status", "Choose the status."),
        ({"status": "min_security"}, "institution_id", NO_INSTITUTION),
        ({"status": "pre_release"}, "institution_id", NO_INSTITUTION),
        (
            {"status": "min_security", "institution_id": "ЕЦ-166/4"},
            "institution_id",
            "A prisoner of a minimum-security institution needs a minimum-security institution.",
        ),
        ({"institution_id": "АК-159/24"}, "institution_id", None),  # another region: not a choice
        ({"language_codes": ["xx"]}, "language_codes", None),
    ],
)
def test_a_rejected_form_keeps_the_input_and_writes_nothing(
    client, inspector, fields, field, message
):
    fields = dict(fields)  # the parameters are shared by both backends' runs
    if fields.get("institution_id"):
        fields["institution_id"] = str(institution(fields["institution_id"]).id)
    response = client.post("/candidates/new", data=record_form(**fields))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in html
    if message:
        assert str(escape(gettext(message))) in html  # in the user's language (Kazakh here)
    assert "Психологпен кездесу" in html and "Жалдамалы пәтер" in html  # what was typed is kept
    assert candidates() == [] and audit_rows("candidate_created") == []


def test_every_mistake_shows_at_once(client, inspector):
    response = client.post(
        "/candidates/new", data=record_form(iin="12345", birth_date="", status="min_security")
    )
    html = response.get_data(as_text=True)
    for field in ("iin", "birth_date", "institution_id"):
        assert f'id="{field}-error"' in html, field


def test_a_taken_iin_is_refused_without_saying_whose(client, inspector, make_candidate):
    elsewhere = make_candidate(KARAGANDA, full_name="Басқа Адам")
    response = client.post("/candidates/new", data=record_form(iin=elsewhere.iin))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert str(escape(gettext(NOT_HERE))) in html  # tests/security/test_iin_probe.py
    assert "Басқа Адам" not in html and elsewhere.code not in html
    assert len(candidates()) == 1


def test_the_iin_may_be_typed_with_spaces(client, inspector):
    iin = new_iin()
    spaced = f"{iin[:6]} {iin[6]} {iin[7:]}"
    assert client.post("/candidates/new", data=record_form(iin=spaced)).status_code == 302
    assert candidates()[0].iin == iin


def test_editing_saves_and_audits_what_changed(client, inspector, make_candidate):
    candidate = make_candidate(full_name="Ескі Аты", consent=True)
    old_iin = candidate.iin
    new = new_iin()
    response = client.post(
        f"/candidates/{candidate.id}/edit",
        data=record_form(full_name="Жаңа Аты", iin=new, status="probation"),
    )
    assert response.status_code == 302
    db.session.refresh(candidate)
    assert (candidate.full_name, candidate.iin, candidate.status) == ("Жаңа Аты", new, "probation")
    [updated] = audit_rows("candidate_updated")
    assert {"full_name", "iin", "status"} <= set(updated.details["fields"])
    assert updated.details["values"]["status"] == ["released", "probation"]
    assert updated.details["values"]["iin"] == [mask_iin(old_iin), mask_iin(new)]
    text = str(updated.details)
    assert "Жаңа Аты" not in text and new not in text and old_iin not in text


def test_editing_keeps_its_own_iin_and_the_region(client, inspector, make_candidate):
    candidate = make_candidate()
    data = record_form(iin=candidate.iin, region_id=str(region(KARAGANDA).id))
    assert client.post(f"/candidates/{candidate.id}/edit", data=data).status_code == 302
    db.session.refresh(candidate)
    assert candidate.region_id == region(ASTANA).id


def test_a_rejected_edit_changes_nothing(client, inspector, make_candidate):
    candidate = make_candidate(full_name="Ескі Аты")
    response = client.post(
        f"/candidates/{candidate.id}/edit",
        data=record_form(full_name="Жаңа Аты", iin=candidate.iin, status="min_security"),
    )
    assert response.status_code == 400 and "Жаңа Аты" in response.get_data(as_text=True)
    db.session.refresh(candidate)
    assert (candidate.full_name, candidate.status) == ("Ескі Аты", "released")
    assert audit_rows("candidate_updated") == []


def test_the_records_inspector_sees_the_iin_in_full(client, inspector, make_candidate):
    candidate = make_candidate()
    assert candidate.iin in client.get(f"/candidates/{candidate.id}").get_data(as_text=True)
    assert candidate.iin in client.get(f"/candidates/{candidate.id}/edit").get_data(as_text=True)


def test_an_admin_sees_the_iin_masked_and_cannot_edit_it(client, make_user, make_candidate):
    candidate = make_candidate()
    sign_in(client, make_user(ADMIN))
    for url in (f"/candidates/{candidate.id}", f"/candidates/{candidate.id}/edit", "/candidates/"):
        html = client.get(url).get_data(as_text=True)
        assert candidate.iin not in html and mask_iin(candidate.iin) in html, url
    data = record_form(iin=new_iin(), region_id=str(region(ASTANA).id))
    assert client.post(f"/candidates/{candidate.id}/edit", data=data).status_code == 302
    db.session.refresh(candidate)
    assert candidate.iin != data["iin"] and candidate.full_name == data["full_name"]


def test_mask_iin_shows_the_last_four_digits():
    assert mask_iin("880314301201") == "•••••••• 1201"
    assert mask_iin("") == ""


def test_every_view_of_a_record_is_audited(client, inspector, make_candidate):
    candidate = make_candidate()
    client.get(f"/candidates/{candidate.id}")
    fragment = client.get(f"/candidates/{candidate.id}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)
    assert candidate.full_name in fragment.get_data(as_text=True)
    for section in ("edit", "offences", "bans", "supervision", "contraindications", "trades"):
        client.get(f"/candidates/{candidate.id}/{section}")
    rows = audit_rows("candidate_viewed")
    assert [r.details["page"] for r in rows] == [
        "record",
        "record",
        "edit",
        "offences",
        "bans",
        "supervision",
        "contraindications",
        "trades",
    ]
    assert {(r.user_id, r.object_type, r.object_id) for r in rows} == {
        (inspector.id, "candidate", candidate.id)
    }


def test_a_refused_view_is_not_audited_as_a_read(client, make_user, make_candidate):
    candidate = make_candidate(KARAGANDA)
    sign_in(client, make_user(INSPECTOR))
    assert client.get(f"/candidates/{candidate.id}").status_code == 404
    assert audit_rows("candidate_viewed") == []


def test_the_form_marks_what_employers_see(client, make_user, make_candidate):
    """Skills, languages, district, availability and trades are shown to employers: the forms
    say so, and warn that the free text is shown as typed."""
    sign_in(client, make_user(INSPECTOR))
    person = make_candidate()
    for path, marks in (("/candidates/new", 4), (f"/candidates/{person.id}/trades", 1)):
        page = page_text(client, path)
        assert page.count('class="employer-sees"') == marks, path
    assert page_text(client, "/candidates/new").count('class="as-typed"') == 1
    assert 'class="employer-sees"' not in page_text(client, f"/candidates/{person.id}/bans")


def test_a_released_person_with_a_release_still_ahead_is_saved_with_a_word(
    app, client, inspector, today
):
    ahead = (today + timedelta(days=30)).isoformat()
    response = client.post(
        "/candidates/new", data=record_form(release_date=ahead), follow_redirects=True
    )
    warning = "The person is recorded as released, but the release date is still ahead."
    assert translated(app, warning) in response.get_data(as_text=True)
    quiet = client.post("/candidates/new", data=record_form(), follow_redirects=True)
    assert translated(app, warning) not in quiet.get_data(as_text=True)
