"""The notification list (each one opens its object and is marked read), and the e-mail
settings. A user only ever reaches their own notifications."""

from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.extensions import db
from portal.forms import ConfirmForm
from portal.models_base import in_user_language
from portal.notifications import bp, operations
from portal.notifications.forms import SettingsForm
from portal.notifications.kinds import GROUPS, KINDS
from portal.notifications.models import Notification, NotificationSetting
from portal.notifications.notify import link
from portal.placements.reasons import DECLINE_REASONS, END_REASONS


def unread_count(user) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def text(notification: Notification) -> str:
    """The notification's line in the reader's language."""
    params = dict(notification.params)
    params["vacancy"] = in_user_language(
        params.pop("vacancy_kk", None), params.pop("vacancy_ru", None)
    )
    reasons = END_REASONS if notification.kind == "placement_ended" else DECLINE_REASONS
    params["reason"] = str(reasons.get(params.get("reason") or "other", reasons["other"]))
    if "at" in params:
        params["when"] = format_datetime(datetime.fromisoformat(params["at"]), "short")
    if "on" in params:
        params["day"] = format_date(date.fromisoformat(params["on"]), "long")
    return str(KINDS[notification.kind].text) % params


def _own(notification_id: int) -> Notification:
    return db.first_or_404(
        sa.select(Notification).where(
            Notification.id == notification_id, Notification.user_id == current_user.id
        )
    )


@bp.get("/")
@login_required
def index():
    page = db.paginate(
        sa.select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template("notifications/index.html", page=page, text=text, form=ConfirmForm())


@bp.get("/<int:notification_id>")
@login_required
def open_one(notification_id: int):
    """Marks it read and opens its object (a link, so it works without JavaScript)."""
    notification = _own(notification_id)
    if notification.read_at is None:
        operations.mark_read(notification)
    return redirect(link(notification))


@bp.post("/read")
@login_required
def read_all():
    if ConfirmForm().validate_on_submit():
        operations.mark_all_read(current_user)
        flash(_("Every notification is marked as read."), "success")
    return redirect(url_for(".index"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    setting = db.session.get(NotificationSetting, current_user.id) or NotificationSetting(
        user_id=current_user.id, digest=False, email_off=[]
    )
    form = SettingsForm(
        email=[group for group in GROUPS if group not in setting.email_off],
        digest="daily" if setting.digest else "each",
    )
    if form.validate_on_submit():
        operations.save_settings(
            current_user,
            email_off=[group for group in GROUPS if group not in form.email.data],
            digest=form.digest.data == "daily",
        )
        flash(_("Your notification settings have been saved."), "success")
        return redirect(url_for(".settings"))
    status = 400 if request.method == "POST" else 200
    return render_template("notifications/settings.html", form=form), status
