"""The administrator's pages for API tokens: the list, issuing one (its secret shown once),
and revoking one."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.api import tokens
from portal.api.models import ApiToken
from portal.api.token_forms import IssueTokenForm
from portal.auth.access import roles_required
from portal.auth.models import ADMIN, User
from portal.extensions import db
from portal.forms import ConfirmForm

bp = Blueprint("api_tokens", __name__, url_prefix="/admin/tokens")


@bp.route("/", methods=["GET", "POST"])
@roles_required(ADMIN)
def index():
    form = IssueTokenForm()
    if form.validate_on_submit():
        user = db.session.get(User, form.user_id.data)
        if user is None or not user.active:
            abort(400)
        token, secret = tokens.issue(user, form.name.data, form.until.data, current_user)
        # The one time the secret is shown: the page is not cached, and it is in no log.
        response = render_template("api/token_issued.html", token=token, secret=secret)
        return response, 201, {"Cache-Control": "no-store"}
    listed = db.session.scalars(tokens.tokens_of_all()).all()
    return render_template(
        "api/tokens.html", form=form, tokens=listed, revoke_form=ConfirmForm()
    ), (400 if form.errors else 200)


@bp.post("/<int:token_id>/revoke")
@roles_required(ADMIN)
def revoke(token_id: int):
    token = db.get_or_404(ApiToken, token_id)
    if ConfirmForm().validate_on_submit():
        tokens.revoke(token, current_user)
        flash(_("The token has been revoked: it no longer works."), "success")
    return redirect(url_for(".index"), 303)
