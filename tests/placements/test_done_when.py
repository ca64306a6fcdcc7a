"""The issue's "done when": the inspector proposes two people for a 1-place sewing vacancy, the
employer accepts both for interview, hires one; the other's proposal can no longer be hired and
says why; the hired person's other proposals are obsolete; the follow-up list shows them at 3
months; the akimat sees the employer's quota fulfilment rise by one."""

from flask_babel import gettext, ngettext

from portal import clock
from portal.auth.models import AKIMAT
from portal.placements.followup import add_months
from portal.placements.vocabulary import STATE_LABELS
from tests.helpers import noon
from tests.placements.helpers import BOOKING, HX, client_for, fresh, in_language


def filled(app, filled_places: int, quota: int) -> str:
    return in_language(
        app,
        "kk",
        lambda: ngettext(
            "%(filled)s of %(num)d workplace filled",
            "%(filled)s of %(num)d workplaces filled",
            quota,
            filled=filled_places,
        ),
    )


def test_two_proposed_one_hired(app, shop, make_candidate, make_vacancy, make_user, frozen_clock):
    akimat = client_for(app, make_user(AKIMAT))
    year = clock.today().year
    akimat.post(
        f"/placements/quotas/{shop.employer.id}",
        data={"year": year, "released_mode": "number", "released_value": "2"},
    )
    quota_list = akimat.get("/placements/quotas").get_data(as_text=True)
    assert filled(app, 0, 2) in quota_list

    # The inspector proposes two released people; the first is also proposed elsewhere.
    first = make_candidate(full_name="Серік Ахметов", status="released")
    second = make_candidate(full_name="Мария Ким", status="released")
    elsewhere = shop.propose(first, vacancy=make_vacancy(title_ru="Швея в другом цехе"))
    a, b = shop.propose(first), shop.propose(second)

    employer = client_for(app, shop.employer_user)
    for p in (a, b):
        employer.post(
            f"/placements/{p.id}/interview", data={"version": p.version, **BOOKING}, headers=HX
        )
    assert (fresh(a.id).state, fresh(b.id).state) == ("interview", "interview")

    today = clock.today().isoformat()
    employer.post(
        f"/placements/{a.id}/hire",
        data={"version": fresh(a.id).version, "start_date": today},
        headers=HX,
    )
    assert fresh(a.id).state == "hired"
    row = employer.post(
        f"/placements/{b.id}/hire",
        data={"version": fresh(b.id).version, "start_date": today},
        headers=HX,
    ).get_data(as_text=True)
    assert in_language(app, "kk", lambda: gettext("All places of this vacancy are taken.")) in row
    assert fresh(b.id).state == "interview"

    assert fresh(elsewhere.id).state == "obsolete"
    inspector = client_for(app, shop.inspector)
    page = inspector.get(f"/placements/{elsewhere.id}").get_data(as_text=True)
    assert in_language(app, "kk", lambda: STATE_LABELS["obsolete"]) in page

    quota_list = akimat.get("/placements/quotas").get_data(as_text=True)
    assert filled(app, 1, 2) in quota_list
    assert (
        in_language(
            app, "kk", lambda: ngettext("%(num)d place still due", "%(num)d places still due", 1)
        )
        in quota_list
    )

    frozen_clock.move_to(noon(add_months(clock.today(), 3)))  # the inspector is back 3 months on
    follow_up = client_for(app, shop.inspector).get("/placements/follow-up").get_data(as_text=True)
    assert "Серік Ахметов" in follow_up and "Мария Ким" not in follow_up
    assert f'id="follow-up-{a.id}-3"' in follow_up
