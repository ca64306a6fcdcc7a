"""Administrator's pages: users (create, edit, disable, re-enable, reset password), audit log."""

import sqlalchemy as sa
from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.admin import audit_log, bp
from portal.admin.forms import NewUserForm, PasswordResetForm, UserForm
from portal.auth import accounts
from portal.auth.access import roles_required
from portal.auth.audit import read
from portal.auth.models import ADMIN, ROLE_LABELS, ROLES, User
from portal.database import contains_text
from portal.extensions import db, htmx
from portal.forms import ConfirmForm


def _get_user(user_id: int) -> User:
    return db.get_or_404(User, user_id)


def _values(form) -> dict:
    return {f: getattr(form, f).data for f in accounts.USER_FIELDS}


@bp.get("/users")
@roles_required(ADMIN)
def users():
    query = sa.select(User).order_by(User.role, User.full_name)
    role = request.args.get("role")
    if role in ROLES:
        query = query.where(User.role == role)
    q = (request.args.get("q") or "").strip()
    if q:
        query = query.where(contains_text(q, User.full_name, User.email))
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    template = "admin/_user_rows.html" if htmx else "admin/users.html"
    return render_template(
        template, page=page, roles=ROLES, role_labels=ROLE_LABELS, role=role, q=q
    )


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new_user():
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            accounts.create_user(_values(form), form.scope_for_role(), form.password.data)
        except accounts.AccountRefused as refused:
            form[refused.field].errors.append(refused.message)
        else:
            flash(_("The user has been created."), "success")
            return redirect(url_for("admin.users"))
    status = 400 if request.method == "POST" else 200
    return render_template("admin/user_form.html", form=form, user=None), status


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit_user(user_id: int):
    user = _get_user(user_id)
    form = UserForm(obj=user)
    if form.validate_on_submit():
        try:
            accounts.update_user(
                user, _values(form), form.scope_for_role(), current_user._get_current_object()
            )
        except accounts.AccountRefused as refused:
            form[refused.field].errors.append(refused.message)
        else:
            flash(_("The changes have been saved."), "success")
            return redirect(url_for("admin.users"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "admin/user_form.html",
        form=form,
        user=user,
        reset_form=PasswordResetForm(),
        confirm_form=ConfirmForm(),
    ), status


@bp.route("/users/<int:user_id>/disable", methods=["GET", "POST"])
@roles_required(ADMIN)
def disable_user(user_id: int):
    """GET asks for confirmation; POST disables and ends every session of the user."""
    user = _get_user(user_id)
    form = ConfirmForm()
    if user.id == current_user.id:
        flash(_("You cannot disable your own account."), "danger")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    if form.validate_on_submit():
        accounts.disable_user(user)
        flash(_("The user has been disabled and signed out everywhere."), "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/confirm_disable.html", user=user, form=form)


@bp.post("/users/<int:user_id>/enable")
@roles_required(ADMIN)
def enable_user(user_id: int):
    user = _get_user(user_id)
    if ConfirmForm().validate_on_submit():
        accounts.enable_user(user)
        flash(_("The user has been re-enabled."), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/password")
@roles_required(ADMIN)
def reset_password(user_id: int):
    user = _get_user(user_id)
    form = PasswordResetForm()
    form.user = user
    if form.validate_on_submit():
        accounts.reset_password(user, form.password.data)
        flash(_("The password has been reset and the user signed out everywhere."), "success")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template(
        "admin/user_form.html",
        form=UserForm(obj=user),
        user=user,
        reset_form=form,
        confirm_form=ConfirmForm(),
    ), 400


@bp.route("/users/<int:user_id>/second-factor/reset", methods=["GET", "POST"])
@roles_required(ADMIN)
def reset_second_factor(user_id: int):
    """GET asks for confirmation; POST removes the user's factor and recovery codes and ends
    every session of the user (who enrols again at the next sign-in, if the role requires)."""
    user = _get_user(user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        accounts.reset_second_factor(user)
        flash(_("The second factor has been reset and the user signed out everywhere."), "success")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("admin/confirm_reset_factor.html", user=user, form=form)


@bp.get("/audit")
@roles_required(ADMIN)
def audit():
    form = audit_log.AuditFilterForm(request.args)
    form.validate()
    page = db.paginate(audit_log.query(form), per_page=50, error_out=False)
    # Reading the log is itself logged (who read which entries), after the page is read.
    read("audit_viewed", [], entries=[entry.id for entry in page.items])
    return render_template("admin/audit.html", page=page, form=form, log=audit_log)


AUDIT_EXPORT_LIMIT = 50_000  # a file an investigator opens; narrow the filters for more


@bp.get("/audit.csv")
@roles_required(ADMIN)
def audit_csv():
    form = audit_log.AuditFilterForm(request.args)
    form.validate()
    entries = db.session.scalars(audit_log.query(form).limit(AUDIT_EXPORT_LIMIT)).all()
    body = audit_log.to_csv(entries)
    read("audit_exported", [], rows=len(entries))
    name = f"audit-{clock.today().isoformat()}.csv"
    return Response(
        body,
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
