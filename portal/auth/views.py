"""Sign in and out, and each user's own account page (password, language)."""

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal import clock
from portal.auth import bp
from portal.auth.audit import record
from portal.auth.forms import LoginForm, PasswordChangeForm
from portal.auth.models import User
from portal.auth.sessions import start_session
from portal.extensions import db, limiter
from portal.safe_redirect import local_target


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _submitted_email() -> str:
    return (request.form.get("email") or "").strip().lower()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_submitted_email)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm(next=request.args.get("next"))
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email))
        if user is None or not user.check_password(form.password.data):
            record("login_failed", email=email)
            db.session.commit()
            flash(_("Wrong e-mail or password."), "danger")
        elif not user.active:
            record("login_refused_disabled", user=user)
            db.session.commit()
            flash(_("This account is disabled. Ask the administrator to re-enable it."), "danger")
        else:
            login_user(user)
            start_session(user)
            user.last_login_at = clock.now()
            record("login", user=user)
            db.session.commit()
            return redirect(local_target(form.next.data))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    record("logout")
    db.session.commit()
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.get("/account")
@login_required
def account():
    return render_template("auth/account.html", form=PasswordChangeForm())


@bp.post("/account/password")
@login_required
def change_password():
    form = PasswordChangeForm()
    user = current_user._get_current_object()  # login_user must get the user, not the proxy
    if form.validate_on_submit():
        if not user.check_password(form.current_password.data):
            form.current_password.errors.append(_("The current password is wrong."))
        else:
            user.set_password(form.new_password.data)
            user.end_other_sessions()
            record("password_changed", user)
            db.session.commit()
            # The session id carries the version: renew this session, the others are now void.
            login_user(user)
            start_session(user)
            flash(
                _("Your password has been changed. Other sessions have been signed out."), "success"
            )
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form), 400
