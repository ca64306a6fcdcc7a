"""The administrator's page for correcting a reference row's names, with its history."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.access import roles_required
from portal.auth.models import ADMIN
from portal.extensions import db
from portal.reference import bp
from portal.reference.corrections import FIELDS, KINDS, history, save_names
from portal.reference.forms import NamesForm


@bp.route("/<kind>/<int:row_id>/names", methods=["GET", "POST"])
@roles_required(ADMIN)
def correct_names(kind: str, row_id: int):
    if kind not in KINDS:
        abort(404)
    row = db.get_or_404(KINDS[kind], row_id)
    form = NamesForm(obj=row)
    if form.validate_on_submit():
        changed = save_names(row, {name: form[name].data for name in FIELDS}, current_user)
        flash(_("The names have been saved.") if changed else _("Nothing was changed."), "success")
        return redirect(url_for(".correct_names", kind=kind, row_id=row.id), 303)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "reference/names_form.html", form=form, row=row, kind=kind, history=history(row)
    ), status
