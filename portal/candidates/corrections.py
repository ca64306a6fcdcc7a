"""Correction requests (Law "On personal data and their protection", art. 24): what the person
asked, when, and the outcome — corrected (the inspector changes the record through its forms,
each change audited as usual) or refused with the reason. One transaction with its audit row."""

from portal.auth.audit import record
from portal.auth.models import User
from portal.candidates.models import Candidate, CorrectionRequest
from portal.database import write_transaction
from portal.extensions import db


def record_correction(candidate: Candidate, by: User, values: dict) -> CorrectionRequest:
    with write_transaction():
        request = CorrectionRequest(candidate_id=candidate.id, recorded_by_id=by.id, **values)
        db.session.add(request)
        db.session.flush()
        record(
            "correction_recorded",
            candidate,
            user=by,
            request_id=request.id,
            requested_on=request.requested_on.isoformat(),
            outcome=request.outcome,
        )
    return request
