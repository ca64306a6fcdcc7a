"""The record's consent section: the state and its history, a form to record a grant, and one
to record a withdrawal, which asks first (saying how many open proposals it will withdraw).
Plain form posts: no JavaScript needed. Access as for the record's other sections."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal.auth.access import roles_required
from portal.candidates import bp, consent, records
from portal.candidates.consent import ConsentRefused
from portal.candidates.consent_forms import ConsentGrantForm, ConsentWithdrawForm
from portal.candidates.models import Candidate
from portal.candidates.section_views import section_page
from portal.candidates.views import STAFF, get_candidate
from portal.forms import with_ids


def _section(candidate: Candidate, grant_form=None, withdraw_form=None):
    """The consent page; the forms not posted are shown empty."""
    return section_page(
        "candidates/consent.html",
        "consent",
        candidate,
        grant_form=with_ids(grant_form or ConsentGrantForm(formdata=None), "grant"),
        withdraw_form=with_ids(withdraw_form or ConsentWithdrawForm(formdata=None), "withdraw"),
        consent_history=consent.history(candidate.id),
        open_count=consent.open_proposals(candidate.id),
    )


def _refused(form, refused: ConsentRefused) -> None:
    """Show the operation's refusal on the field it is about, or over the form."""
    if refused.field in form:
        form[refused.field].errors = [*form[refused.field].errors, refused.message]
    else:
        form.form_errors.append(refused.message)


@bp.get("/<int:candidate_id>/consent")
@roles_required(*STAFF)
def consent_section(candidate_id: int):
    return _section(get_candidate(candidate_id))


@bp.post("/<int:candidate_id>/consent/grant")
@roles_required(*STAFF)
def grant_consent(candidate_id: int):
    candidate = get_candidate(candidate_id)
    form = ConsentGrantForm()
    if form.validate_on_submit():
        try:
            consent.grant_consent(candidate, current_user, **form.grant())
        except ConsentRefused as refused:
            _refused(form, refused)
        else:
            flash(_("The consent has been recorded."), "success")
            return redirect(url_for(".consent_section", candidate_id=candidate.id))
    return _section(candidate, grant_form=form)


def _confirm_withdrawal(candidate: Candidate, form: ConsentWithdrawForm):
    """The second step: what the withdrawal will end, told before it is done (a read)."""
    records.record_view(candidate, "consent_withdrawal")
    return render_template(
        "candidates/consent_confirm.html",
        candidate=candidate,
        form=form,
        open_count=consent.open_proposals(candidate.id),
    )


@bp.post("/<int:candidate_id>/consent/withdraw")
@roles_required(*STAFF)
def withdraw_consent(candidate_id: int):
    candidate = get_candidate(candidate_id)
    form = ConsentWithdrawForm()
    if not form.validate_on_submit():
        return _section(candidate, withdraw_form=form)
    entry = dict(on_date=form.on_date.data, method=form.method.data)
    try:
        if not form.is_confirmed():
            consent.check_withdrawal(candidate, **entry)
            return _confirm_withdrawal(candidate, form)
        _event, withdrawn = consent.withdraw_consent(
            candidate, current_user, **entry, expected_open=form.open_count.data
        )
    except ConsentRefused as refused:
        if refused.code == "open_changed":
            flash(str(refused.message), "warning")
            return _confirm_withdrawal(candidate, form)
        _refused(form, refused)
        return _section(candidate, withdraw_form=form)
    flash(
        ngettext(
            "The consent has been withdrawn, and with it %(num)d open proposal.",
            "The consent has been withdrawn, and with it %(num)d open proposals.",
            len(withdrawn),
        )
        if withdrawn
        else _("The consent has been withdrawn. No proposal was open."),
        "success",
    )
    return redirect(url_for(".consent_section", candidate_id=candidate.id))
