"""Administrator's pages: users (create, edit, disable, re-enable, reset password), audit log."""

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.admin import bp
from portal.admin.forms import NewUserForm, PasswordResetForm, UserForm
from portal.auth.access import roles_required
from portal.auth.audit import record
from portal.auth.models import ADMIN, ROLE_LABELS, ROLES, AuditEntry, User
from portal.extensions import db, htmx
from portal.forms import ConfirmForm

USER_FIELDS = ("email", "full_name", "phone", "role", "locale")


def _get_user(user_id: int) -> User:
    return db.get_or_404(User, user_id)


def _email_taken(email: str, except_id: int | None = None) -> bool:
    query = sa.select(User.id).where(sa.func.lower(User.email) == email.lower())
    if except_id is not None:
        query = query.where(User.id != except_id)
    return db.session.scalar(query) is not None


@bp.get("/users")
@roles_required(ADMIN)
def users():
    query = sa.select(User).order_by(User.role, User.full_name)
    role = request.args.get("role")
    if role in ROLES:
        query = query.where(User.role == role)
    q = (request.args.get("q") or "").strip()
    if q:
        like = f"%{q.lower()}%"
        query = query.where(
            sa.or_(sa.func.lower(User.full_name).like(like), sa.func.lower(User.email).like(like))
        )
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
        if _email_taken(form.email.data):
            form.email.errors.append(_("A user with this e-mail already exists."))
        else:
            user = User(**{f: getattr(form, f).data for f in USER_FIELDS}, **form.scope_for_role())
            user.email = user.email.strip().lower()
            user.set_password(form.password.data)
            db.session.add(user)
            db.session.flush()
            record("user_created", user, role=user.role)
            db.session.commit()
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
        if _email_taken(form.email.data, except_id=user.id):
            form.email.errors.append(_("A user with this e-mail already exists."))
        elif user.id == current_user.id and form.role.data != ADMIN:
            form.role.errors.append(_("You cannot take the administrator role from yourself."))
        else:
            before = {f: getattr(user, f) for f in USER_FIELDS}
            for field in USER_FIELDS:
                setattr(user, field, getattr(form, field).data)
            for field, value in form.scope_for_role().items():
                setattr(user, field, value)
            user.email = user.email.strip().lower()
            if before["role"] != user.role:
                user.end_other_sessions()  # a new role must not keep an old session's rights
            changed = {
                f: [str(before[f]), str(getattr(user, f))]
                for f in USER_FIELDS
                if before[f] != getattr(user, f)
            }
            record("user_updated", user, changed=changed)
            db.session.commit()
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
        user.active = False
        user.end_other_sessions()
        record("user_disabled", user)
        db.session.commit()
        flash(_("The user has been disabled and signed out everywhere."), "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/confirm_disable.html", user=user, form=form)


@bp.post("/users/<int:user_id>/enable")
@roles_required(ADMIN)
def enable_user(user_id: int):
    user = _get_user(user_id)
    if ConfirmForm().validate_on_submit():
        user.active = True
        record("user_enabled", user)
        db.session.commit()
        flash(_("The user has been re-enabled."), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/password")
@roles_required(ADMIN)
def reset_password(user_id: int):
    user = _get_user(user_id)
    form = PasswordResetForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        user.end_other_sessions()
        record("password_reset", user)
        db.session.commit()
        flash(_("The password has been reset and the user signed out everywhere."), "success")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template(
        "admin/user_form.html",
        form=UserForm(obj=user),
        user=user,
        reset_form=form,
        confirm_form=ConfirmForm(),
    ), 400


@bp.get("/audit")
@roles_required(ADMIN)
def audit():
    query = sa.select(AuditEntry).order_by(AuditEntry.id.desc())
    action = (request.args.get("action") or "").strip()
    if action:
        query = query.where(AuditEntry.action == action)
    page = db.paginate(query, per_page=50, error_out=False)
    return render_template("admin/audit.html", page=page, action=action)
