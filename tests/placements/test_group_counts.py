"""The employer's proposals page after an htmx step: every group heading's count follows."""

from tests.placements.helpers import BOOKING, HX, client_for, fresh


def test_an_htmx_step_updates_the_group_counts(app, shop, make_candidate):
    a = shop.propose(make_candidate(full_name="Серік Ахметов", status="released"))
    b = shop.propose(make_candidate(full_name="Мария Ким", status="released"))
    employer = client_for(app, shop.employer_user)
    page = employer.get(f"/placements/vacancies/{a.vacancy_id}").get_data(as_text=True)
    assert '<small class="muted" id="count-proposed">(2)</small>' in page
    assert "hx-swap-oob" not in page
    row = employer.post(
        f"/placements/{a.id}/interview",
        data={"version": fresh(a.id).version, **BOOKING},
        headers=HX,
    ).get_data(as_text=True)
    assert 'id="count-proposed" hx-swap-oob="true">(1)<' in row
    assert 'id="count-interview" hx-swap-oob="true">(1)<' in row
    assert fresh(b.id).state == "proposed"
