"""Operations on user accounts: create, change, disable, re-enable, reset a password or the
second factor, change one's own password. Each runs inside write_transaction() and records
its audit entry; the pages (admin/views.py, auth/views.py) parse, authorise and render."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from portal.auth import second_factor
from portal.auth.audit import record
from portal.auth.models import ADMIN, User
from portal.auth.sessions import start_session
from portal.database import write_transaction
from portal.extensions import db

# What an administrator's form sets on an account (with the role's scope).
USER_FIELDS = ("email", "full_name", "phone", "role", "locale")


class AccountRefused(Exception):
    """A change the rules of accounts refuse; `field` is the form field the message is for."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


def normal_email(email: str) -> str:
    """The one form of an e-mail address the portal stores and looks up: trimmed, lower case."""
    return email.strip().lower()


def email_taken(email: str, except_id: int | None = None) -> bool:
    query = sa.select(User.id).where(sa.func.lower(User.email) == normal_email(email))
    if except_id is not None:
        query = query.where(User.id != except_id)
    return db.session.scalar(query) is not None


def _email_free(email: str, except_id: int | None = None) -> None:
    if email_taken(email, except_id):
        raise AccountRefused("email", _l("A user with this e-mail already exists."))


def create_user(values: dict, scope: dict, password: str) -> User:
    """A new account from the administrator's form (`values`: USER_FIELDS)."""
    with write_transaction():
        _email_free(values["email"])
        user = User(**values, **scope)
        user.email = normal_email(user.email)
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
        record("user_created", user, role=user.role)
    return user


def update_user(user: User, values: dict, scope: dict, by: User) -> User:
    """The administrator's changes; a new role ends the user's other sessions."""
    with write_transaction():
        _email_free(values["email"], except_id=user.id)
        if user.id == by.id and values["role"] != ADMIN:
            raise AccountRefused(
                "role", _l("You cannot take the administrator role from yourself.")
            )
        before = {f: getattr(user, f) for f in USER_FIELDS}
        for field, value in {**values, **scope}.items():
            setattr(user, field, value)
        user.email = normal_email(user.email)
        if before["role"] != user.role:
            user.end_other_sessions()  # a new role must not keep an old session's rights
        changed = {
            f: [str(before[f]), str(getattr(user, f))]
            for f in USER_FIELDS
            if before[f] != getattr(user, f)
        }
        record("user_updated", user, changed=changed)
    return user


def disable_user(user: User) -> None:
    """Disabled, and signed out everywhere."""
    with write_transaction():
        user.active = False
        user.end_other_sessions()
        record("user_disabled", user)


def enable_user(user: User) -> None:
    with write_transaction():
        user.active = True
        record("user_enabled", user)


def reset_password(user: User, password: str) -> None:
    """The administrator sets a new password; the user is signed out everywhere."""
    with write_transaction():
        user.set_password(password)
        user.end_other_sessions()
        record("password_reset", user)


def reset_second_factor(user: User) -> None:
    """The factor and recovery codes removed, every session ended: the user enrols again at the
    next sign-in, if the role requires."""
    with write_transaction():
        second_factor.remove(user)
        user.end_other_sessions()
        record("second_factor_reset", user)


def change_own_password(user: User, password: str) -> None:
    """The signed-in user's new password: other sessions void, this one renewed (the session id
    carries the version)."""
    with write_transaction():
        user.set_password(password)
        user.end_other_sessions()
        record("password_changed", user)
        start_session(user)
