"""The record's sections, each with its own form: offences, court bans, supervision,
medical contraindications, trades. Removing asks for confirmation (a page on GET, the action
on POST; with htmx the button posts after hx-confirm and gets the section's rows back)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth import audit
from portal.auth.access import roles_required
from portal.candidates import bp, records, sections
from portal.candidates.forms import (
    BanForm,
    ContraindicationsForm,
    OffenceForm,
    OffencesRecordedForm,
    SupervisionForm,
    TradesForm,
)
from portal.candidates.models import Candidate
from portal.candidates.scope import candidate_filter
from portal.candidates.views import STAFF, flash_warnings, form_status, get_candidate
from portal.extensions import db, htmx
from portal.forms import ConfirmForm


def section_page(template: str, section: str, candidate: Candidate, **context):
    """A section's page; showing it (not a rejected POST) is an audited read of the record."""
    if request.method == "GET":
        records.record_view(candidate, section)
    return render_template(template, candidate=candidate, **context), form_status()


def _row(rows: list, row_id: int):
    """A row of this candidate's section; a row of another record is 404."""
    for row in rows:
        if row.id == row_id:
            return row
    abort(404)


def _confirm_removal(
    candidate: Candidate, section: str, remove, question: str, fragment: str | None = None
):
    form = ConfirmForm()
    back = url_for(f".{section}", candidate_id=candidate.id)
    if form.validate_on_submit():
        remove()
        if htmx and fragment:
            return render_template(fragment, candidate=candidate, editable=True)
        flash(_("The entry has been removed."), "success")
        return redirect(back)
    return section_page(
        "candidates/confirm_remove.html",
        section,
        candidate,
        form=form,
        question=question,
        back=back,
    )


@bp.route("/<int:candidate_id>/offences", methods=["GET", "POST"])
@roles_required(*STAFF)
def offences(candidate_id: int):
    candidate = get_candidate(candidate_id)
    form = OffenceForm()
    if form.validate_on_submit():
        sections.add_offence(candidate, **form.judgment())
        flash(_("The offence has been added."), "success")
        return redirect(url_for(".offences", candidate_id=candidate.id))
    recorded_form = OffencesRecordedForm(formdata=None, recorded=candidate.offences_recorded)
    return section_page(
        "candidates/offences.html", "offences", candidate, form=form, recorded_form=recorded_form
    )


@bp.get("/regraded")
@roles_required(*STAFF)
def regraded():
    """The offences of the user's records whose category their article corrected."""
    offences = db.session.scalars(sections.regraded_offences(candidate_filter(current_user)))
    offences = offences.all()
    audit.read("candidates_listed", [o.candidate_id for o in offences], page="regraded_offences")
    return render_template("candidates/regraded.html", offences=offences, form=ConfirmForm())


@bp.post("/<int:candidate_id>/offences/<int:offence_id>/seen")
@roles_required(*STAFF)
def regrade_seen(candidate_id: int, offence_id: int):
    candidate = get_candidate(candidate_id)
    offence = _row(candidate.offences, offence_id)
    if ConfirmForm().validate_on_submit() and offence.regraded_from is not None:
        sections.regrade_seen(candidate, offence)
        flash(_("Marked as seen."), "success")
    return redirect(url_for(".regraded"))


@bp.post("/<int:candidate_id>/offences/recorded")
@roles_required(*STAFF)
def offences_recorded(candidate_id: int):
    candidate = get_candidate(candidate_id)
    form = OffencesRecordedForm()
    if form.validate_on_submit():
        sections.mark_offences_recorded(candidate, form.recorded.data)
        if form.recorded.data:
            flash(_("The offence record is marked complete."), "success")
        else:
            flash(
                _("The offence record is marked incomplete: the rules treat it as unknown."),
                "warning",
            )
    return redirect(url_for(".offences", candidate_id=candidate.id))


@bp.route("/<int:candidate_id>/offences/<int:offence_id>/remove", methods=["GET", "POST"])
@roles_required(*STAFF)
def remove_offence(candidate_id: int, offence_id: int):
    candidate = get_candidate(candidate_id)
    offence = _row(candidate.offences, offence_id)
    return _confirm_removal(
        candidate,
        "offences",
        lambda: sections.remove_offence(candidate, offence),
        _("Remove the offence “%(category)s” from the record?", category=offence.category.name),
        fragment="candidates/_offence_rows.html",
    )


@bp.route("/<int:candidate_id>/bans", methods=["GET", "POST"])
@roles_required(*STAFF)
def bans(candidate_id: int):
    candidate = get_candidate(candidate_id)
    form = BanForm()
    if form.validate_on_submit():
        until = None if form.for_life.data else form.until.data
        sections.add_ban(candidate, form.activity_code.data, until)
        flash(_("The ban has been added."), "success")
        return redirect(url_for(".bans", candidate_id=candidate.id))
    return section_page("candidates/bans.html", "bans", candidate, form=form)


@bp.route("/<int:candidate_id>/bans/<int:ban_id>/remove", methods=["GET", "POST"])
@roles_required(*STAFF)
def remove_ban(candidate_id: int, ban_id: int):
    candidate = get_candidate(candidate_id)
    ban = _row(candidate.activity_bans, ban_id)
    return _confirm_removal(
        candidate,
        "bans",
        lambda: sections.remove_ban(candidate, ban),
        _("Remove the ban on “%(activity)s” from the record?", activity=ban.activity.name),
        fragment="candidates/_ban_rows.html",
    )


@bp.route("/<int:candidate_id>/supervision", methods=["GET", "POST"])
@roles_required(*STAFF)
def supervision(candidate_id: int):
    candidate = get_candidate(candidate_id)
    form = SupervisionForm(supervision=candidate.supervision)
    if form.validate_on_submit():
        sections.set_supervision(candidate, form.values())
        flash(_("The administrative supervision has been saved."), "success")
        flash_warnings(form)
        return redirect(url_for(".view", candidate_id=candidate.id))
    return section_page("candidates/supervision.html", "supervision", candidate, form=form)


@bp.route("/<int:candidate_id>/supervision/clear", methods=["GET", "POST"])
@roles_required(*STAFF)
def clear_supervision(candidate_id: int):
    candidate = get_candidate(candidate_id)
    if candidate.supervision is None:
        return redirect(url_for(".supervision", candidate_id=candidate.id))
    return _confirm_removal(
        candidate,
        "supervision",
        lambda: sections.clear_supervision(candidate),
        _("Remove the administrative supervision from the record?"),
    )


@bp.route("/<int:candidate_id>/contraindications", methods=["GET", "POST"])
@roles_required(*STAFF)
def contraindications(candidate_id: int):
    candidate = get_candidate(candidate_id)
    form = ContraindicationsForm(candidate=candidate)
    if form.validate_on_submit():
        sections.set_contraindications(candidate, form.codes.data or [])
        flash(_("The medical contraindications have been saved."), "success")
        return redirect(url_for(".view", candidate_id=candidate.id))
    return section_page(
        "candidates/checklist.html",
        "contraindications",
        candidate,
        form=form,
        field=form.codes,
        title=_("Medical contraindications"),
    )


@bp.route("/<int:candidate_id>/trades", methods=["GET", "POST"])
@roles_required(*STAFF)
def trades(candidate_id: int):
    candidate = get_candidate(candidate_id)
    form = TradesForm(candidate=candidate)
    if form.validate_on_submit():
        sections.set_trades(candidate, form.occupation_ids.data or [])
        flash(_("The trades have been saved."), "success")
        return redirect(url_for(".view", candidate_id=candidate.id))
    return section_page(
        "candidates/checklist.html",
        "trades",
        candidate,
        form=form,
        field=form.occupation_ids,
        title=_("Trades"),
        shown_to_employers=True,
    )
