"""A step sent after the session ended (portal/auth/kept_forms.py) comes back, after signing
in again, in the form it was sent from on the page it names."""

from portal.auth.sessions import SEEN_STEP_SECONDS
from tests.helpers import sign_in


def idle(app) -> int:
    return app.config["SESSION_IDLE_MINUTES"] * 60 + SEEN_STEP_SECONDS  # the longest idle


def test_a_step_sent_from_a_page_of_several_forms_comes_back_in_its_own(
    app, client, shop, make_candidate, frozen_clock
):
    """A step posts to its own address: the kept form goes back to the page it names
    (`next`), and fills the form it came from, not the page's other ones."""
    placement = shop.propose(make_candidate())
    page = f"/placements/{placement.id}"
    sign_in(client, shop.inspector)
    frozen_clock.shift(idle(app) + 5)
    data = {"version": placement.version, "next": page, "reason": "other", "note": "Көшті"}
    sent = client.post(f"/placements/{placement.id}/withdraw", data=data)
    assert sent.headers["Location"] == f"/auth/login?next={page}"
    sign_in(client, shop.inspector)
    with client.session_transaction() as session:
        session["kept_form_page"] = page  # what signing in leaves (sign_in skips the form)
    html = client.get(page).get_data(as_text=True)
    withdraw = html[html.index(f'action="/placements/{placement.id}/withdraw"') :]
    assert "Көшті" in withdraw[: withdraw.index("</form>")]
    assert '<option selected value="other">' in withdraw[: withdraw.index("</form>")]
    assert html.count("Көшті") == 1  # not in the page's other forms
    folded = html.rindex("<details", 0, html.index(f'action="/placements/{placement.id}/withdraw"'))
    assert html[folded : html.index(">", folded)].endswith("open")  # shown, not folded away


def test_a_note_to_the_employer_comes_back_unfolded(
    app, client, shop, make_candidate, frozen_clock
):
    placement = shop.propose(make_candidate())
    page = f"/placements/{placement.id}"
    sign_in(client, shop.inspector)
    frozen_clock.shift(idle(app) + 5)
    data = {"version": placement.version, "next": page, "inspector_note": "Сәрсенбіде келеді"}
    client.post(f"/placements/{placement.id}/note", data=data)
    sign_in(client, shop.inspector)
    with client.session_transaction() as session:
        session["kept_form_page"] = page
    html = client.get(page).get_data(as_text=True)
    form = html[
        html.rindex("<details", 0, html.index(f'action="/placements/{placement.id}/note"')) :
    ]
    assert (
        form.startswith("<details open>") and "Сәрсенбіде келеді" in form[: form.index("</form>")]
    )
    assert "<details open>" not in client.get(page).get_data(as_text=True)  # once
