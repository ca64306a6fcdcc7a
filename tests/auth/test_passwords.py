"""New passwords (ASVS row 9): not common or breached (the shipped list), not the user's own
e-mail or name; the reason said in the user's language."""

import pytest

from portal.auth import passwords
from tests.helpers import PASSWORD, sign_in, translated

COMMON = "This password is one of the most common ones. Choose a less guessable one."
PERSONAL = "The password must not contain your e-mail or your name."


@pytest.mark.parametrize(
    "password",
    ["aaaaaaaaaa", "1234567890", "password12", "Password12", "qwertyuiop", "Password-12!"],
)
def test_common_passwords_are_refused(password):
    assert passwords.problem(password) == COMMON or str(passwords.problem(password)) == COMMON


def test_the_shipped_list_is_large_and_offline():
    common = passwords.common_passwords()
    assert len(common) > 19_000 and "iloveyou" in common


@pytest.mark.parametrize(
    "password",
    ["gulnar.akhmetova1", "Akhmetova-2026!!", "tigin-tigin-2026", "ГүлнарСәлем2026"],
)
def test_own_email_and_name_are_refused(password):
    found = passwords.problem(
        password, email="gulnar.akhmetova@tigin.kz", full_name="Гүлнар Akhmetova"
    )
    assert str(found) == PERSONAL


def test_a_good_password_passes():
    assert passwords.problem("violet tractor sings", email="a@b.kz", full_name="Ли") is None


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_account_page_says_why_in_the_users_language(app, client, make_user, lang):
    user = make_user("employer", locale=lang, full_name="Серик Нурланов")
    sign_in(client, user)
    for new, message in (("password12", COMMON), ("Нурланов-2026", PERSONAL)):
        response = client.post(
            "/auth/account/password",
            data={"current_password": PASSWORD, "new_password": new, "confirm": new},
        )
        assert response.status_code == 400
        assert translated(app, message, lang) in response.get_data(as_text=True)
        assert translated(app, message, lang) != message  # translated, not English


def test_the_administrator_cannot_set_a_common_password(client, make_user):
    admin, user = make_user("admin"), make_user("akimat")
    sign_in(client, admin)
    response = client.post(f"/admin/users/{user.id}/password", data={"password": "1234567890"})
    assert response.status_code == 400
