"""The consent section: grants and withdrawals on record with their history and audit, a
withdrawal confirmed with the number of proposals it ends, bad input refused in the user's
language with nothing written, the first grant on the new-record form."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import ngettext

from portal import clock
from portal.auth.models import AKIMAT, EMPLOYER, INSPECTOR
from portal.candidates import consent
from portal.candidates.consent import ConsentRefused
from portal.candidates.consent_texts import CONSENT_TEXTS, CURRENT_VERSION
from portal.candidates.models import Candidate, ConsentEvent
from portal.candidates.vocabulary import CONSENT_METHODS
from portal.extensions import db
from portal.placements import lifecycle
from tests.candidates.helpers import audit_rows, record_form
from tests.helpers import KARAGANDA, region, sign_in, translated
from tests.placements.helpers import in_language


@pytest.fixture
def inspector(client, make_user):
    user = make_user(INSPECTOR, locale="ru")
    sign_in(client, user)
    return user


def entries(candidate) -> list[tuple]:
    db.session.expire_all()
    return [
        (e.kind, e.on_date, e.text_version, e.method, e.recorded_by_id)
        for e in consent.history(candidate.id)
    ]


def reload(candidate) -> Candidate:
    db.session.expire_all()
    return db.session.get(Candidate, candidate.id)


def day(days_ago: int) -> str:
    return (clock.today() - timedelta(days=days_ago)).isoformat()


def with_days(data: dict) -> dict:
    """Form data with whole numbers of days ago as dates (parameters are made before the clock
    is frozen, so they name days relative to it) and without the fields set to None."""
    return {k: day(v) if isinstance(v, int) else v for k, v in data.items() if v is not None}


def test_grant_then_withdraw_with_the_history_and_audit(client, inspector, make_candidate):
    candidate = make_candidate(consent=False)
    assert entries(candidate) == []
    url = f"/candidates/{candidate.id}/consent"
    grant = {"on_date": day(3), "method": "in_person", "text_version": CURRENT_VERSION}
    assert client.post(f"{url}/grant", data=grant).status_code == 302
    assert reload(candidate).consent is True
    granted_on = clock.today() - timedelta(days=3)
    assert entries(candidate) == [("grant", granted_on, "1", "in_person", inspector.id)]
    [granted] = audit_rows("consent_granted")
    assert granted.user_id == inspector.id and granted.object_id == candidate.id
    assert granted.details == {
        "event_id": consent.history(candidate.id)[0].id,
        "on_date": granted_on.isoformat(),
        "method": "in_person",
        "text_version": "1",
    }

    # The withdrawal asks first, saying what it ends; asking writes nothing but the read.
    withdrawal = {"on_date": day(1), "method": "paper_form"}
    page = client.post(f"{url}/withdraw", data=withdrawal)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'name="confirmed" value="y"' in html
    assert translated(client.application, "No proposal is open: none will be withdrawn.", "ru") in (
        html
    )
    assert reload(candidate).consent is True and len(entries(candidate)) == 1
    assert audit_rows("consent_withdrawn") == []
    assert [r.details for r in audit_rows("candidate_viewed")][-1] == {"page": "consent_withdrawal"}

    confirmed = {**withdrawal, "confirmed": "y", "open_count": "0"}
    assert client.post(f"{url}/withdraw", data=confirmed).status_code == 302
    assert reload(candidate).consent is False
    assert entries(candidate) == [
        ("grant", granted_on, "1", "in_person", inspector.id),
        ("withdrawal", clock.today() - timedelta(days=1), "1", "paper_form", inspector.id),
    ]
    [withdrawn] = audit_rows("consent_withdrawn")
    assert withdrawn.details["placements"] == [] and withdrawn.details["method"] == "paper_form"
    assert all(e.recorded_at.tzinfo is not None for e in consent.history(candidate.id))

    # The section shows both entries, in the user's language; showing it is an audited read.
    html = client.get(url).get_data(as_text=True)
    for method in ("in_person", "paper_form"):
        assert in_language(client.application, "ru", lambda m=method: CONSENT_METHODS[m]) in html
    assert inspector.full_name in html
    assert audit_rows("candidate_viewed")[-1].details == {"page": "consent"}


def test_the_confirmation_counts_the_open_proposals(
    app, client, inspector, make_candidate, make_vacancy
):
    candidate = make_candidate()
    for title in ("Швея", "Повар"):
        lifecycle.propose(candidate.id, make_vacancy(title_ru=title).id, inspector, clock.today())
    url = f"/candidates/{candidate.id}/consent/withdraw"
    withdrawal = {"on_date": day(0), "method": "in_person"}
    html = client.post(url, data=withdrawal).get_data(as_text=True)
    message = in_language(
        app,
        "ru",
        lambda: ngettext(
            "%(num)d open proposal will be withdrawn at once.",
            "%(num)d open proposals will be withdrawn at once.",
            2,
        ),
    )
    assert message in html and 'name="open_count" value="2"' in html
    # Told 1 while 2 are open: asked again with the right number, nothing withdrawn.
    again = client.post(url, data={**withdrawal, "confirmed": "y", "open_count": "1"})
    assert again.status_code == 200 and 'name="open_count" value="2"' in again.get_data(
        as_text=True
    )
    assert reload(candidate).consent is True and audit_rows("consent_withdrawn") == []
    response = client.post(url, data={**withdrawal, "confirmed": "y", "open_count": "2"})
    assert response.status_code == 302 and consent.open_proposals(candidate.id) == 0
    assert len(audit_rows("consent_withdrawn")[0].details["placements"]) == 2


def nothing_written(candidate, consenting: bool, events: int) -> bool:
    return (
        reload(candidate).consent is consenting
        and len(entries(candidate)) == events
        and audit_rows("consent_granted") == []
        and audit_rows("consent_withdrawn") == []
    )


def grant_form() -> dict:
    return {"on_date": day(0), "method": "paper_form", "text_version": CURRENT_VERSION}


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize(
    "change, message",
    [
        ({"on_date": ""}, "Enter the date."),
        ({"on_date": None}, "Enter the date."),
        ({"on_date": "14.03.2026"}, "Enter a valid date."),
        ({"on_date": -1}, "The date cannot be in the future."),
        ({"method": "fax"}, "Choose one of the ways listed."),
        ({"method": "migrated"}, "Choose one of the ways listed."),
        ({"method": ""}, "Choose one of the ways listed."),
        ({"text_version": "9"}, "Choose a version of the consent text."),
    ],
)
def test_a_bad_grant_is_refused_in_the_users_language(
    app, client, make_user, make_candidate, lang, change, message
):
    sign_in(client, make_user(INSPECTOR, locale=lang))
    candidate = make_candidate(consent=False)
    data = with_days({**grant_form(), **change})
    response = client.post(f"/candidates/{candidate.id}/consent/grant", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'class="field-error"' in html
    assert in_language(app, lang, lambda: translated(app, message, lang)) in html
    assert nothing_written(candidate, consenting=False, events=0)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"on_date": ""}, "Enter the date."),
        ({"on_date": -1}, "The date cannot be in the future."),
        ({"on_date": 10}, "The date cannot be before the last entry of the consent history."),
        ({"method": "migrated"}, "Choose one of the ways listed."),
    ],
)
@pytest.mark.parametrize("confirmed", [False, True])
def test_a_bad_withdrawal_is_refused_and_ends_nothing(
    app, client, inspector, make_candidate, make_vacancy, change, message, confirmed
):
    candidate = make_candidate()  # granted today
    p = lifecycle.propose(candidate.id, make_vacancy().id, inspector, clock.today())
    data = with_days({"on_date": 0, "method": "in_person", **change})
    if confirmed:  # a forged confirmation is checked all the same
        data.update(confirmed="y", open_count="1")
    response = client.post(f"/candidates/{candidate.id}/consent/withdraw", data=data)
    assert response.status_code == 400
    assert in_language(app, "ru", lambda: translated(app, message, "ru")) in response.get_data(
        as_text=True
    )
    assert nothing_written(candidate, consenting=True, events=1)
    assert consent.open_proposals(candidate.id) == 1 and p.state == "proposed"


def test_there_is_no_withdrawal_without_a_consent(app, client, inspector, make_candidate):
    candidate = make_candidate(consent=False)
    response = client.post(
        f"/candidates/{candidate.id}/consent/withdraw",
        data={"on_date": day(0), "method": "in_person"},
    )
    assert response.status_code == 400
    expected = "There is no consent to withdraw: it is not given now."
    assert in_language(app, "ru", lambda: translated(app, expected, "ru")) in response.get_data(
        as_text=True
    )
    assert nothing_written(candidate, consenting=False, events=0)


def grant_args() -> dict:
    return {"on_date": clock.today(), "method": "paper_form", "text_version": CURRENT_VERSION}


def test_the_operations_check_what_the_forms_check(app, make_user, make_candidate):
    """Called from elsewhere (an API, a script), the operations refuse the same input."""
    user, candidate = make_user(INSPECTOR), make_candidate(consent=False)
    for kwargs, code in (
        ({"on_date": None}, "no_date"),
        ({"on_date": clock.today() + timedelta(days=1)}, "future_date"),
        ({"method": "migrated"}, "unknown_method"),
        ({"text_version": "0"}, "unknown_version"),
    ):
        with pytest.raises(ConsentRefused) as refused:
            consent.grant_consent(candidate, user, **{**grant_args(), **kwargs})
        assert refused.value.code == code
    with pytest.raises(ConsentRefused, match="not_consenting"):
        consent.withdraw_consent(candidate, user, on_date=clock.today(), method="in_person")
    assert nothing_written(candidate, consenting=False, events=0)


def test_a_second_grant_records_a_newer_agreement(client, inspector, make_candidate):
    candidate = make_candidate()  # granted today
    response = client.post(f"/candidates/{candidate.id}/consent/grant", data=grant_form())
    assert response.status_code == 302
    assert [e[0] for e in entries(candidate)] == ["grant", "grant"]


def test_the_record_shows_the_consent_and_its_text_in_both_languages(
    client, inspector, make_candidate
):
    candidate = make_candidate()
    html = client.get(f"/candidates/{candidate.id}").get_data(as_text=True)
    text = CONSENT_TEXTS[CURRENT_VERSION]
    assert text.title_kk in html and text.title_ru in html
    assert f'href="/candidates/{candidate.id}/consent"' in html
    page = client.get(f"/candidates/{candidate.id}/consent").get_data(as_text=True)
    assert text.title_kk in page and text.title_ru in page
    assert f'<option selected value="{CURRENT_VERSION}">' in page


def test_a_new_record_may_start_with_a_grant(client, inspector):
    client.post("/candidates/new", data=record_form())
    candidate = db.session.scalar(sa.select(Candidate))
    assert candidate.consent is True
    assert entries(candidate) == [("grant", clock.today(), "1", "paper_form", inspector.id)]
    assert len(audit_rows("consent_granted")) == 1


def test_a_new_record_without_a_grant_has_no_consent(client, inspector):
    data = record_form(**{"initial_consent-given": None, "initial_consent-method": ""})
    assert client.post("/candidates/new", data=data).status_code == 302
    candidate = db.session.scalar(sa.select(Candidate))
    assert candidate.consent is False and entries(candidate) == []


def test_a_bad_first_grant_creates_no_record(app, client, inspector):
    data = record_form(**{"initial_consent-on_date": day(-1)})
    response = client.post("/candidates/new", data=data)
    assert response.status_code == 400
    message = translated(app, "The date cannot be in the future.", "ru")
    assert in_language(app, "ru", lambda: message) in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Candidate)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ConsentEvent)) == 0


def test_the_main_form_no_longer_changes_the_consent(client, inspector, make_candidate):
    candidate = make_candidate(consent=False)
    page = client.get(f"/candidates/{candidate.id}/edit").get_data(as_text=True)
    assert "initial_consent" not in page and 'name="consent"' not in page
    data = record_form(iin=candidate.iin, consent="y")
    assert client.post(f"/candidates/{candidate.id}/edit", data=data).status_code == 302
    assert reload(candidate).consent is False and entries(candidate) == []


@pytest.mark.parametrize(
    "role, region_kato, status",
    [(EMPLOYER, None, 403), (AKIMAT, None, 403), (INSPECTOR, KARAGANDA, 404)],
)
def test_only_the_records_staff_record_consent(
    app, make_user, make_candidate, role, region_kato, status
):
    fields = {"region_id": region(region_kato).id} if region_kato else {}
    client = app.test_client()
    sign_in(client, make_user(role, **fields))
    candidate = make_candidate(consent=False)
    url = f"/candidates/{candidate.id}/consent"
    assert client.post(f"{url}/grant", data=grant_form()).status_code == status
    assert client.get(url).status_code == status
    assert nothing_written(candidate, consenting=False, events=0)
    assert audit_rows("candidate_viewed") == []
