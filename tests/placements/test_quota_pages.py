"""Quota pages: the akimat's form (numbers, percentages, the configured range, refusals in the
user's language with nothing written), the list with employers below quota first, and the
fulfilment and workshop occupancy wherever an employer's standing is shown."""

from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_babel import format_decimal, gettext, ngettext

from portal.auth.models import ADMIN, AKIMAT, INSPECTOR
from portal.extensions import db
from portal.placements.models import Quota
from portal.placements.quotas import QuotaRefused, set_quota
from tests.helpers import KARAGANDA, TEST_TODAY, region
from tests.placements.helpers import HX, client_for, in_language, snapshot

YEAR = TEST_TODAY.year


def quotas() -> dict[str, tuple[str, Decimal]]:
    db.session.expire_all()
    return {q.category: (q.mode, q.value) for q in db.session.scalars(sa.select(Quota))}


def test_an_akimat_sets_both_quotas(app, shop, make_user):
    client = client_for(app, make_user(AKIMAT))
    form = client.get(f"/placements/quotas/{shop.employer.id}").get_data(as_text=True)
    assert f'value="{YEAR}"' in form
    response = client.post(
        f"/placements/quotas/{shop.employer.id}",
        data={
            "year": YEAR,
            "released_mode": "number",
            "released_value": "2",
            "probation_mode": "percent",
            "probation_value": "0,5",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/placements/quotas?year={YEAR}"
    assert quotas() == {
        "released": ("number", Decimal(2)),
        "probation": ("percent", Decimal("0.5")),
    }
    again = client.get(f"/placements/quotas/{shop.employer.id}?year={YEAR}").get_data(as_text=True)
    assert 'value="0.5"' in again and 'checked id="probation_mode-1"' in again


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_percentage_out_of_range_is_refused_in_the_users_language(app, shop, make_user, lang):
    client = client_for(app, make_user(AKIMAT, locale=lang))
    before = snapshot()
    response = client.post(
        f"/placements/quotas/{shop.employer.id}",
        data={
            "year": YEAR,
            "released_mode": "number",
            "released_value": "2",  # valid on its own
            "probation_mode": "percent",
            "probation_value": "5",
        },
        headers={"Accept-Language": lang},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and f'<html lang="{lang}">' in page
    low, high = app.config["QUOTA_PERCENT_MIN"], app.config["QUOTA_PERCENT_MAX"]
    with pytest.raises(QuotaRefused) as refused:  # the rule's own words, in that language
        set_quota(shop.employer, YEAR, "probation", "percent", Decimal(5), shop.employer_user)
    db.session.rollback()
    assert in_language(app, lang, lambda: refused.value.message) in page
    assert 'class="field-error"' in page
    # The help text names the configured range, in the user's number format.
    help_text = in_language(
        app,
        lang,
        lambda: gettext(
            "As a percentage: from %(low)s%% to %(high)s%% of the headcount.",
            low=format_decimal(low),
            high=format_decimal(high),
        ),
    )
    assert help_text in page and "0,5" in help_text
    assert snapshot() == before and quotas() == {}  # not even the valid one


def test_a_number_above_the_headcount_is_refused(app, shop, make_user):
    client = client_for(app, make_user(ADMIN))
    response = client.post(
        f"/placements/quotas/{shop.employer.id}",
        data={"year": YEAR, "released_mode": "number", "released_value": "201"},
    )
    assert response.status_code == 400 and quotas() == {}


def test_who_may_set_quotas(app, shop, make_user):
    other_akimat = make_user(AKIMAT, region_id=region(KARAGANDA).id)
    assert (
        client_for(app, other_akimat).get(f"/placements/quotas/{shop.employer.id}").status_code
        == 404
    )
    assert (
        client_for(app, make_user(INSPECTOR))
        .get(f"/placements/quotas/{shop.employer.id}")
        .status_code
        == 403
    )
    assert client_for(app, shop.employer_user).get("/placements/quotas").status_code == 403
    listing = client_for(app, other_akimat).get("/placements/quotas").get_data(as_text=True)
    assert "«Тігін» ЖШС" not in listing and "ТОО «Тигин»" not in listing


def test_fulfilment_and_workshop_shown_to_employer_inspector_and_akimat(
    app, shop, make_user, make_candidate
):
    akimat = make_user(AKIMAT)
    set_quota(shop.employer, YEAR, "released", "number", Decimal(3), akimat)
    db.session.commit()
    shop.hire(make_candidate(status="released"))
    due = lambda lang: in_language(  # noqa: E731
        app, lang, lambda: ngettext("%(num)d place still due", "%(num)d places still due", 2)
    )
    working = lambda lang: in_language(  # noqa: E731
        app,
        lang,
        lambda: ngettext(
            "%(occupied)s of %(num)d place taken",
            "%(occupied)s of %(num)d places taken",
            120,
            occupied=1,
        ),
    )
    dashboard = client_for(app, shop.employer_user).get("/employers/vacancies")
    assert due("kk") in dashboard.get_data(as_text=True)
    assert working("kk") in dashboard.get_data(as_text=True)
    for user in (make_user(INSPECTOR), akimat):
        page = client_for(app, user).get(f"/employers/{shop.employer.id}").get_data(as_text=True)
        assert due("kk") in page and working("kk") in page


def test_the_list_puts_employers_below_quota_first(make_app, make_employer, make_user):
    app = make_app(PAGE_SIZE=2)
    akimat = make_user(AKIMAT)
    met = make_employer(name_kk="Орындалды", headcount=100)
    make_employer(name_kk="Квотасыз", headcount=100)
    below = make_employer(name_kk="Жетпейді", headcount=100)
    set_quota(met, YEAR, "released", "number", Decimal(0), akimat)
    set_quota(below, YEAR, "released", "number", Decimal(2), akimat)
    set_quota(below, YEAR - 1, "released", "number", Decimal(1), akimat)
    db.session.commit()
    client = client_for(app, akimat)
    first = client.get("/placements/quotas").get_data(as_text=True)
    assert first.index("Жетпейді") < first.index("Орындалды") and "Квотасыз" not in first
    assert "page=2" in first
    assert "Квотасыз" in client.get("/placements/quotas?page=2").get_data(as_text=True)
    fragment = client.get(f"/placements/quotas?year={YEAR - 1}", headers=HX).get_data(as_text=True)
    assert "<html" not in fragment and "Жетпейді" in fragment
