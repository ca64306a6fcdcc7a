"""The second factor's pages: the code at sign-in, enrolment (at sign-in for the roles that
must have it, or from the account page), and giving up an optional factor.

At sign-in these pages serve the half-signed-in user of sessions.pending_user(); nothing else
is open to them. Enrolling or passing the code is a change of privilege: a fresh session.
"""

from flask import abort, flash, make_response, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.auth import accounts, bp
from portal.auth import second_factor as factor
from portal.auth.audit import record_refusal
from portal.auth.forms import CodeForm
from portal.auth.sessions import PENDING_KEY, pending_user
from portal.auth.views import _login_limit, audit_rate_limited
from portal.extensions import limiter
from portal.safe_redirect import local_target

ENROL_KEY = "enrol_secret"  # the secret being enrolled, encrypted, until the first code proves it


def _attempt_key() -> str:
    """Code attempts are limited per account (whoever holds its password), not per address."""
    return f"second-factor:{session.get(PENDING_KEY) or current_user.get_id()}"


def _pending_or_login():
    user = pending_user()
    if user is None:
        flash(_("Please sign in again."), "warning")
    return user


@bp.route("/second-factor", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_attempt_key, on_breach=audit_rate_limited)
def second_factor_verify():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    user = _pending_or_login()
    if user is None or not user.has_second_factor:
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        target = session.get("next")
        if accounts.second_factor_sign_in(user, form.code.data):
            return redirect(local_target(target))
        form.code.errors.append(_("This code is wrong or has already been used."))
        return render_template("auth/second_factor.html", form=form), 400
    return render_template("auth/second_factor.html", form=form)


def _enrolling_user():
    """The signed-in user enrolling from the account page, or the half-signed-in one."""
    if current_user.is_authenticated:
        return current_user._get_current_object()
    return _pending_or_login()


def _not_stored(html: str, status: int = 200):
    """A page with a secret on it (the key, the recovery codes): no cache may keep it."""
    response = make_response(html, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _enrol_page(user, form, status=200):
    token = session.get(ENROL_KEY)
    secret = factor.decrypt(token) if token else factor.new_secret()
    session[ENROL_KEY] = factor.encrypt(secret)
    html = render_template(
        "auth/enrol.html",
        form=form,
        qr=factor.qr_svg(factor.provisioning_uri(user, secret)),
        secret=factor.grouped(secret),
        at_sign_in=not current_user.is_authenticated,
    )
    return _not_stored(html, status)


@bp.route("/second-factor/enrol", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_attempt_key, on_breach=audit_rate_limited)
def second_factor_enrol():
    user = _enrolling_user()
    if user is None:
        return redirect(url_for("auth.login"))
    if user.has_second_factor:
        signed_in = current_user.is_authenticated
        return redirect(url_for("auth.account" if signed_in else "auth.second_factor_verify"))
    form = CodeForm()
    token = session.get(ENROL_KEY)
    if not form.validate_on_submit() or token is None:
        return _enrol_page(user, form, 400 if form.is_submitted() else 200)
    secret = factor.decrypt(token)
    step = factor.matching_step(secret, form.code.data, None)
    if step is None:
        record_refusal("second_factor_failed", user=user, during="enrolment")
        form.code.errors.append(_("This code is wrong. Check the time on your phone and retry."))
        return _enrol_page(user, form, 400)
    at_sign_in = not current_user.is_authenticated
    target = session.get("next")
    codes = accounts.enrol_second_factor(user, secret, step, at_sign_in)
    # Shown once, in this answer; only their hashes are kept.
    html = render_template(
        "auth/recovery_codes.html",
        codes=codes,
        continue_to=local_target(target) if at_sign_in else url_for("auth.account"),
    )
    return _not_stored(html)


@bp.post("/account/second-factor/remove")
@login_required
def second_factor_remove():
    """An employer or akimat user gives up the optional factor, proving it with a code."""
    user = current_user._get_current_object()
    if user.second_factor_required or not user.has_second_factor:
        abort(403)
    form = CodeForm()
    if form.validate_on_submit():
        try:
            accounts.remove_own_second_factor(user, form.code.data)
            flash(_("The second factor has been turned off."), "success")
            return redirect(url_for("auth.account"))
        except accounts.AccountRefused:
            pass  # the same message as a code that is not even a code
    flash(_("This code is wrong or has already been used."), "danger")
    return redirect(url_for("auth.account"))
