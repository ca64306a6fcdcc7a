"""The person's rights on their record: the records coming to the end of their retention
period, the person's own copy (a printable bilingual page and a JSON file, each audited),
correction requests, and erasure (asked with a reason and a tick, done at once). Access as for
the record: inspectors of its scope and administrators; another scope's ids answer 404. An
anonymised record is shown, never changed: every other page of it sends back to it."""

import json

import sqlalchemy as sa
from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.auth import audit
from portal.auth.access import roles_required
from portal.candidates import bp, corrections
from portal.candidates import person_copy as copies
from portal.candidates.anonymise import MSG_ANONYMISED, AnonymiseRefused, erase, is_held
from portal.candidates.identity import shown_iin
from portal.candidates.models import Candidate, CorrectionRequest
from portal.candidates.privacy_forms import CorrectionForm, ErasureForm
from portal.candidates.schedule import coming_due, notice_horizon, with_dates
from portal.candidates.scope import candidate_filter
from portal.candidates.section_views import section_page
from portal.candidates.views import STAFF, get_candidate
from portal.extensions import db

# The pages an anonymised record still has: the record and the person's copy.
READ_ONLY = frozenset({"candidates.view", "candidates.person_copy", "candidates.person_copy_json"})


@bp.before_request
def refuse_changes_to_anonymised():
    """Any other page of an anonymised record (in the user's scope) sends back to the record
    with the reason; outside the scope the page itself answers (403 or 404)."""
    candidate_id = (request.view_args or {}).get("candidate_id")
    if candidate_id is None or request.endpoint in READ_ONLY:
        return None
    if not current_user.is_authenticated:
        return None
    anonymised = db.session.scalar(
        sa.select(Candidate.anonymised_at).where(
            Candidate.id == candidate_id, candidate_filter(current_user)
        )
    )
    if anonymised is None:
        return None
    flash(str(MSG_ANONYMISED), "warning")
    return redirect(url_for("candidates.view", candidate_id=candidate_id), 303)


@bp.get("/retention")
@roles_required(*STAFF)
def retention_due():
    """The records of the user's scope that will be anonymised within the notice period."""
    today = clock.today()
    page = db.paginate(
        coming_due(candidate_filter(current_user), today),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    audit.read("candidates_listed", [c.id for c in page.items], page="retention")
    return render_template(
        "candidates/retention.html",
        page=page,
        rows=with_dates(page.items),
        horizon=notice_horizon(today),
        years=current_app.config["RETENTION_YEARS"],
    )


def _copy(candidate: Candidate, produced: str) -> dict:
    data = copies.gather(candidate, shown_iin(candidate, current_user))
    audit.record("person_copy_produced", candidate, format=produced)
    audit.commit_read()
    return data


@bp.get("/<int:candidate_id>/copy")
@roles_required(*STAFF)
def person_copy(candidate_id: int):
    candidate = get_candidate(candidate_id)
    return render_template(
        "candidates/person_copy.html",
        candidate=candidate,
        copy=_copy(candidate, "page"),
        labels={name: copies.both(text) for name, text in copies.LABELS.items()},
        shown=copies.shown,
        made_on=clock.today().isoformat(),
    )


@bp.get("/<int:candidate_id>/copy.json")
@roles_required(*STAFF)
def person_copy_json(candidate_id: int):
    candidate = get_candidate(candidate_id)
    data = {"produced_at": clock.now().isoformat(), **_copy(candidate, "json")}
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{candidate.code}.json"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/<int:candidate_id>/corrections", methods=["GET", "POST"])
@roles_required(*STAFF)
def corrections_section(candidate_id: int):
    candidate = get_candidate(candidate_id)
    form = CorrectionForm()
    if form.validate_on_submit():
        corrections.record_correction(candidate, current_user, form.values())
        flash(_("The correction request has been recorded."), "success")
        return redirect(url_for(".corrections_section", candidate_id=candidate.id), 303)
    listed = db.session.scalars(
        sa.select(CorrectionRequest)
        .where(CorrectionRequest.candidate_id == candidate.id)
        .order_by(CorrectionRequest.requested_on.desc(), CorrectionRequest.id.desc())
    ).all()
    return section_page(
        "candidates/corrections.html", "corrections", candidate, form=form, requests=listed
    )


@bp.route("/<int:candidate_id>/erase", methods=["GET", "POST"])
@roles_required(*STAFF)
def erase_record(candidate_id: int):
    """Erasure on the person's request: the reason and a tick, then the anonymisation at once."""
    candidate = get_candidate(candidate_id)
    form = ErasureForm()
    if form.validate_on_submit():
        try:
            erase(candidate, current_user, form.reason.data)
        except AnonymiseRefused as refused:
            form.form_errors.append(refused.message)
        else:
            flash(_("The record has been anonymised."), "success")
            return redirect(url_for(".view", candidate_id=candidate.id), 303)
    return section_page(
        "candidates/erase.html", "erase", candidate, form=form, held=is_held(candidate.id)
    )
