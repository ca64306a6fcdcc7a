"""Operations on user accounts: create, change, disable, re-enable, reset a password or the
second factor, change one's own password, language or second factor, sign in and out. Each
runs inside write_transaction() and records its audit entry; the pages (admin/views.py,
auth/views.py, auth/second_factor_views.py) parse, authorise and render."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from portal import clock
from portal.auth import kept_forms, second_factor, throttle
from portal.auth.audit import record
from portal.auth.models import ADMIN, User
from portal.auth.sessions import end_sessions, start_pending, start_session
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


def create_user(values: dict, scope: dict, password: str, **audit_details) -> User:
    """A new account from the administrator's form (`values`: USER_FIELDS), or from
    `flask users create-admin` (`audit_details`: how it was made)."""
    with write_transaction():
        _email_free(values["email"])
        user = User(**values, **scope)
        user.email = normal_email(user.email)
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
        record("user_created", user, role=user.role, **audit_details)
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


def _signed_in(user: User, method: str) -> None:
    start_session(user)
    kept_forms.after_sign_in(user)
    user.last_login_at = clock.now()
    record("login", user=user, method=method)


def sign_in(user: User, method: str, email: str | None = None) -> None:
    """Both factors passed (or the one the user needs): a fresh session, recorded; `email`, the
    one typed with the password, has its failures forgotten."""
    with write_transaction():
        if email is not None:
            throttle.succeeded(email)
        _signed_in(user, method)


def password_failed(email: str) -> None:
    """A wrong password (or an unknown e-mail): counted against the e-mail, recorded."""
    with write_transaction():
        throttle.failed(email)
        record("login_failed", email=email)


def password_passed(user: User, email: str) -> None:
    """The password of a user who needs a second factor: a half-signed-in session."""
    with write_transaction():
        throttle.succeeded(email)
        start_pending(user)
        record("login_password_passed", user=user)


def second_factor_sign_in(user: User, code: str) -> bool:
    """The code at sign-in, from the authenticator or a recovery code (used once): signs the
    user in, or records the failure and returns False."""
    totp = second_factor.is_totp_code(code)
    # The recovery codes' hashes are checked before the write lock is taken.
    recovery = None if totp else second_factor.matching_recovery_code(user, code)
    with write_transaction():
        if totp:
            passed = second_factor.verify_totp(user, code)
        else:
            passed = recovery is not None and second_factor.use_recovery_code(recovery)
            if passed:
                left = second_factor.unused_recovery_codes(user)
                record("recovery_code_used", user, user=user, left=left)
        if passed:
            _signed_in(user, "totp" if totp else "recovery_code")
        else:
            record("second_factor_failed", user=user)
    return passed


def enrol_second_factor(user: User, secret: str, step: int, at_sign_in: bool) -> list[str]:
    """The factor turned on with a secret the user has just proved; returns the recovery codes.
    At sign-in it signs the user in; from the account page the sessions opened on a password
    alone end and this one is renewed."""
    with write_transaction():
        codes = second_factor.enrol(user, secret, step)
        record("second_factor_enrolled", user, user=user)
        if at_sign_in:
            _signed_in(user, "totp_enrolment")
        else:
            user.end_other_sessions()
            start_session(user)
    return codes


def remove_own_second_factor(user: User, code: str) -> None:
    """An optional factor given up, proved with a current code."""
    with write_transaction():
        if not second_factor.verify_totp(user, code):
            raise AccountRefused("code", _l("This code is wrong or has already been used."))
        second_factor.remove(user)
        record("second_factor_removed", user)


def sign_out(user: User, everywhere: bool = False) -> None:
    """Every session of the user ends on the server, this one included."""
    with write_transaction():
        record("signed_out_everywhere" if everywhere else "logout")
        end_sessions(user)


def set_language(user: User, locale: str) -> None:
    with write_transaction():
        user.locale = locale
        record("language_changed", user, locale=locale)
