"""Sign in and out, and each user's own account page (password, language, second factor).

Signing in is two steps for a user with a second factor (and for the roles that must have one):
the password leaves a half-signed-in session (sessions.start_pending) that opens nothing but
the second-factor pages (second_factor_views.py); the code signs the user in on a fresh session.
"""

from functools import cache

import sqlalchemy as sa
from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.security import check_password_hash

from portal.auth import accounts, bp, second_factor, throttle
from portal.auth.audit import record_refusal
from portal.auth.forms import CodeForm, LoginForm, PasswordChangeForm
from portal.auth.models import User
from portal.auth.sessions import PENDING_KEY
from portal.extensions import db, limiter
from portal.forms import ConfirmForm, with_ids
from portal.safe_redirect import local_target


@cache
def _unknown_user_hash() -> str:
    """Checked when the e-mail is unknown, so that both answers cost one scrypt (same time)."""
    return User.hash_password("no account has this password")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def audit_rate_limited(limit) -> None:
    """Flask-Limiter refused a sign-in or a code: recorded here, with what a sign-in knows, so
    the 429 page's own audit (portal/errors.py) does not write it again."""
    g.rate_limit_audited = True
    pending = session.get(PENDING_KEY)
    record_refusal(
        "login_rate_limited",
        endpoint=request.endpoint,
        email=throttle.key(request.form.get("email") or "") or None,
        pending_user=pending.partition(":")[0] if pending else None,
        limit=str(limit.limit),
    )


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email))


def password_matches(user: User | None, password: str) -> bool:
    """The same work whether or not `user` exists: one password hash check."""
    if user is None:
        check_password_hash(_unknown_user_hash(), password)
        return False
    return user.check_password(password)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], on_breach=audit_rate_limited)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm(next=request.args.get("next"))
    if form.validate_on_submit():
        email = throttle.key(form.email.data)
        wait = throttle.wait_seconds(email)
        if wait:
            record_refusal("login_backoff", email=email, wait_seconds=wait)
            message = _(
                "Too many failed sign-ins for this e-mail. Try again in %(seconds)d seconds.",
                seconds=wait,
            )
            form.password.errors.append(message)
            return render_template("auth/login.html", form=form), 429
        user = find_user(email)
        if not password_matches(user, form.password.data):
            accounts.password_failed(email)
            flash(_("Wrong e-mail or password."), "danger")
        elif not user.active:
            record_refusal("login_refused_disabled", user=user)
            flash(_("This account is disabled. Ask the administrator to re-enable it."), "danger")
        else:
            if not (user.has_second_factor or user.second_factor_required):
                accounts.sign_in(user, "password", email=email)
                return redirect(local_target(form.next.data))
            accounts.password_passed(user, email)
            session["next"] = form.next.data
            step = "verify" if user.has_second_factor else "enrol"
            return redirect(url_for(f"auth.second_factor_{step}"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    accounts.sign_out(current_user._get_current_object())
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/session/keep-alive")
@login_required
def keep_alive():
    """ "Stay signed in": any request restarts the idle clock (sessions.enforce_timeouts), so
    this one only answers: nothing to a script, the page it came from to a plain form."""
    if request.headers.get("X-Requested-With") == "fetch":
        return "", 204
    return redirect(local_target(request.form.get("next")), 303)


@bp.route("/account/sign-out-everywhere", methods=["GET", "POST"])
@login_required
def sign_out_everywhere():
    """GET asks for confirmation; POST ends every session of the user, this one too."""
    form = ConfirmForm()
    if form.validate_on_submit():
        accounts.sign_out(current_user._get_current_object(), everywhere=True)
        flash(_("You have been signed out on every device."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/sign_out_everywhere.html", form=form)


def _account_page(form, status: int = 200):
    return render_template(
        "auth/account.html",
        form=form,
        code_form=with_ids(CodeForm(), "factor"),
        recovery_codes_left=second_factor.unused_recovery_codes(current_user),
    ), status


@bp.get("/account")
@login_required
def account():
    return _account_page(PasswordChangeForm())


@bp.post("/account/password")
@login_required
def change_password():
    form = PasswordChangeForm()
    user = current_user._get_current_object()  # login_user must get the user, not the proxy
    if form.validate_on_submit():
        if not user.check_password(form.current_password.data):
            form.current_password.errors.append(_("The current password is wrong."))
        else:
            accounts.change_own_password(user, form.new_password.data)
            flash(
                _("Your password has been changed. Other sessions have been signed out."), "success"
            )
            return redirect(url_for("auth.account"))
    return _account_page(form, 400)
