"""A worker's copy of the signed-in accounts (auth/sessions.py): no query for the user while
nothing has been written, and never a sign-in the database no longer allows."""

import pytest
import sqlalchemy as sa

from portal.auth import sessions
from portal.auth.models import User
from portal.extensions import db
from tests.helpers import page_text, sign_in, statements

PAGE = "/notifications/"


@pytest.fixture
def signed_in(app, make_user):
    user = make_user("inspector")
    client = app.test_client()
    sign_in(client, user)
    page_text(client, PAGE)  # the worker has read the account once
    return client, user


def user_queries(client) -> int:
    with statements() as seen:
        page_text(client, PAGE)
    flat = [" ".join(statement.split()) for statement in seen]
    return sum("FROM user_account WHERE user_account.id =" in s for s in flat)


def test_a_signed_in_request_reads_its_account_once(signed_in):
    client, _user = signed_in
    assert user_queries(client) == 0


@pytest.mark.parametrize(
    "change", [{"active": False}, {"session_version": User.session_version + 1}]
)
def test_an_account_closed_or_signed_out_elsewhere_is_refused_at_once(signed_in, change):
    client, user = signed_in
    db.session.execute(sa.update(User).where(User.id == user.id).values(**change))
    db.session.commit()
    response = client.get(PAGE)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_change_to_the_account_is_read_again(signed_in):
    client, user = signed_in
    user.full_name = "Жаңа Аты"
    db.session.commit()
    assert user_queries(client) == 1
    assert "Жаңа Аты" in page_text(client, PAGE)


def test_the_kept_copy_is_in_the_session_as_loaded_and_loads_what_it_points_to(app, make_user):
    """The copy is built without User.__init__: it must be as a loaded row is, not a new one."""
    employer_user = make_user("employer")
    employer_name = employer_user.employer.name_ru
    with app.test_request_context():
        sessions._known_users.get(employer_user.id)  # read once: kept
    db.session.remove()
    with app.test_request_context():
        with statements() as seen:
            copy = sessions._known_users.get(employer_user.id)
        assert seen == []  # the kept copy, not a query
        state = sa.inspect(copy)
        assert state.persistent and not state.modified and copy in db.session
        assert copy.employer.name_ru == employer_name  # loaded when asked for
        db.session.commit()  # nothing to write: the copy is not a new account
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_an_account_already_in_the_session_is_the_one_returned(app, make_user):
    user = make_user("inspector")
    with app.test_request_context():
        loaded = db.session.get(User, user.id)
        with statements() as seen:
            assert sessions._known_users.get(user.id) is loaded  # not a second copy
        assert seen == []
