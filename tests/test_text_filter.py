"""The list pages' search box: what is typed matches literally, `%`, `_` and `\\` included."""

import pytest
import sqlalchemy as sa

from portal.auth.models import User
from portal.database import contains_text, escape_like
from portal.extensions import db


def names_matching(text: str) -> set[str]:
    query = sa.select(User.full_name).where(contains_text(text, User.full_name, User.email))
    return set(db.session.scalars(query))


@pytest.fixture
def people(make_user):
    for name in (
        "Discount 50%",
        "Discount 500",
        "Asel a_b",
        "Asel axb",
        r"Back\slash",
        "Backxslash",
    ):
        make_user(full_name=name)


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("50%", {"Discount 50%"}),
        ("a_b", {"Asel a_b"}),
        ("\\s", {r"Back\slash"}),
        ("%", {"Discount 50%"}),
        ("_", {"Asel a_b"}),
        ("discount 50", {"Discount 50%", "Discount 500"}),  # case is ignored
        ("ASEL A", {"Asel a_b", "Asel axb"}),
    ],
)
def test_wildcards_typed_in_the_box_match_themselves(app, people, typed, expected):
    assert names_matching(typed) == expected


def test_the_users_page_finds_a_name_with_an_underscore_only(client, make_user, people):
    from tests.helpers import sign_in

    sign_in(client, make_user())
    page = client.get("/admin/users", query_string={"q": "a_b"}).get_data(as_text=True)
    assert "Asel a_b" in page and "Asel axb" not in page


def test_escape_like_escapes_the_escape_first():
    assert escape_like(r"50%_\ ") == r"50\%\_\\ "
