"""The administrator's pages for reference rows: correct a row's names (with its history),
add a district, occupation or institution, retire a row or put it back in use, and rewrite
the rules' legal-basis texts."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.access import roles_required
from portal.auth.models import ADMIN
from portal.extensions import db
from portal.forms import ConfirmForm
from portal.matching.legal_basis import BASES
from portal.reference import bp, legal_texts
from portal.reference.corrections import FIELDS, KINDS, history, save_names
from portal.reference.forms import (
    DistrictForm,
    InstitutionForm,
    LegalBasisForm,
    NamesForm,
    OccupationForm,
)
from portal.reference.retiring import ADDABLE, RETIRABLE, add_row, set_retired

NEW_ROW_FORMS = {
    "district": DistrictForm,
    "occupation": OccupationForm,
    "institution": InstitutionForm,
}


@bp.context_processor
def _labels():
    from portal.admin.audit_log import action_label

    return {"action_label": action_label}


def _status() -> int:
    return 400 if request.method == "POST" else 200


def _row_or_404(kinds: dict, kind: str, row_id: int):
    if kind not in kinds:
        abort(404)
    return db.get_or_404(kinds[kind], row_id)


def row_page(kind: str, row) -> str:
    """Where a row's history is shown."""
    if kind == "criminal-article":
        return url_for(".edit_criminal_article", entry_id=row.id)
    return url_for(".correct_names", kind=kind, row_id=row.id)


@bp.route("/<kind>/<int:row_id>/names", methods=["GET", "POST"])
@roles_required(ADMIN)
def correct_names(kind: str, row_id: int):
    row = _row_or_404(KINDS, kind, row_id)
    form = NamesForm(obj=row)
    if form.validate_on_submit():
        changed = save_names(row, {name: form[name].data for name in FIELDS}, current_user)
        flash(_("The names have been saved.") if changed else _("Nothing was changed."), "success")
        return redirect(url_for(".correct_names", kind=kind, row_id=row.id), 303)
    return render_template(
        "reference/names_form.html", form=form, row=row, kind=kind, history=history(row)
    ), _status()


@bp.route("/<kind>/new", methods=["GET", "POST"])
@roles_required(ADMIN)
def new_row(kind: str):
    if kind not in ADDABLE:
        abort(404)
    form = NEW_ROW_FORMS[kind]()
    if form.validate_on_submit():
        row = add_row(KINDS[kind], form.values(), current_user)
        flash(_("The entry has been added."), "success")
        return redirect(row_page(kind, row), 303)
    return render_template("reference/new_row.html", form=form, kind=kind), _status()


@bp.route("/<kind>/<int:row_id>/retire", methods=["GET", "POST"])
@roles_required(ADMIN)
def retire(kind: str, row_id: int):
    """Asks first; the records that name the row keep it."""
    row = _row_or_404(RETIRABLE, kind, row_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        if set_retired(row, True, current_user):
            flash(
                _("The entry has been retired: it is no longer offered for new records."), "success"
            )
        return redirect(row_page(kind, row), 303)
    return render_template("reference/retire.html", form=form, kind=kind, row=row), _status()


@bp.post("/<kind>/<int:row_id>/restore")
@roles_required(ADMIN)
def restore(kind: str, row_id: int):
    row = _row_or_404(RETIRABLE, kind, row_id)
    if ConfirmForm().validate_on_submit() and set_retired(row, False, current_user):
        flash(_("The entry is in use again."), "success")
    return redirect(row_page(kind, row), 303)


@bp.get("/legal-basis")
@roles_required(ADMIN)
def legal_bases():
    return render_template(
        "reference/legal_bases.html",
        bases=[(basis, legal_texts.texts(basis)) for basis in BASES.values()],
    )


@bp.route("/legal-basis/<key>", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit_legal_basis(key: str):
    basis = BASES.get(key) or abort(404)
    form = LegalBasisForm(data=legal_texts.texts(basis))
    if form.validate_on_submit():
        changed = legal_texts.save_texts(
            basis, {"text_kk": form.text_kk.data, "text_ru": form.text_ru.data}, current_user
        )
        flash(_("The text has been saved.") if changed else _("Nothing was changed."), "success")
        return redirect(url_for(".edit_legal_basis", key=key), 303)
    return render_template(
        "reference/legal_basis_form.html",
        form=form,
        basis=basis,
        history=legal_texts.history(basis),
    ), _status()
