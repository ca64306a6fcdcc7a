"""The person's own copy (Law "On personal data and their protection", art. 24): everything the
portal holds about them — the record, trades and limits, offences, court bans, supervision,
the consent history, correction requests, the individual programme, every proposal with its
steps, interview, follow-up and workplace checks, and who viewed or changed the record and
when (the audit log), the lists and searches that showed the person among them. One
structure for the printable bilingual page and the JSON file: every label in Kazakh and
Russian, free text as it was written. Reading it is audited by the caller (the export itself
is an entry)."""

from datetime import date, datetime, time

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from portal import clock
from portal.admin.audit_log import ACTION_LABELS
from portal.auth.models import ROLE_LABELS, AuditEntry, AuditShown
from portal.candidates import consent
from portal.candidates.choices import language_names
from portal.candidates.models import (
    CANDIDATE_STATUS_LABELS,
    CORRECTION_OUTCOMES,
    Candidate,
    CorrectionRequest,
)
from portal.candidates.vocabulary import CONSENT_KINDS, CONSENT_METHODS
from portal.employers.models import Vacancy
from portal.extensions import db
from portal.placements.models import (
    Interview,
    Placement,
    PlacementEvent,
    RetentionCheck,
    WorkplaceCheck,
)
from portal.placements.reasons import DECLINE_REASONS, END_REASONS, WITHDRAWN_REASONS
from portal.placements.vocabulary import STATE_LABELS
from portal.programmes.models import (
    ASSESSMENT_AREAS,
    ASSESSMENT_STATES,
    STEP_STATES,
    Programme,
)

ALL_REASONS = {**WITHDRAWN_REASONS, **END_REASONS, **DECLINE_REASONS}


# The page's headings, each printed in Kazakh and Russian.
LABELS = {
    "title": _l("Everything the portal holds about a person"),
    "intro": _l(
        "A copy of the person's data, made at their request (Law of the Republic of "
        "Kazakhstan “On personal data and their protection”)."
    ),
    "made_on": _l("Made on"),
    "record": _l("Record"),
    "full_name": _l("Full name"),
    "code": _l("Code"),
    "iin": _l("IIN"),
    "birth_date": _l("Date of birth"),
    "birth_year": _l("Year of birth"),
    "status": _l("Status"),
    "institution": _l("Institution"),
    "release_date": _l("Release date"),
    "region": _l("Region keeping the record"),
    "district": _l("District of residence"),
    "languages": _l("Languages spoken"),
    "education": _l("Education"),
    "housing": _l("Housing"),
    "available_from": _l("Available for work from"),
    "skills": _l("Skills"),
    "programme_notes": _l("Individual programme notes"),
    "consent_now": _l("Consent"),
    "trades": _l("Trades"),
    "contraindications": _l("Medical contraindications"),
    "offences": _l("Offences"),
    "article": _l("Criminal Code article"),
    "category": _l("Category"),
    "convicted_on": _l("Date of conviction"),
    "bans": _l("Court bans on posts or activities"),
    "until": _l("Until"),
    "for_life": _l("for life"),
    "supervision": _l("Administrative supervision"),
    "curfew": _l("Curfew"),
    "permitted_area": _l("Permitted area"),
    "prohibited_places": _l("Prohibited places"),
    "no_alcohol": _l("No alcohol"),
    "no_contact_minors": _l("No contact with minors"),
    "consent": _l("Consent history"),
    "text_version": _l("Version of the consent text"),
    "method": _l("How it was given"),
    "recorded_by": _l("Recorded by"),
    "corrections": _l("Correction requests"),
    "asked": _l("What the person asked to correct"),
    "outcome": _l("Outcome"),
    "reason": _l("Reason"),
    "placements": _l("Proposals and placements"),
    "vacancy": _l("Vacancy"),
    "employer": _l("Employer"),
    "state": _l("State"),
    "hired_on": _l("Started work"),
    "ended_on": _l("Employment ended"),
    "note": _l("Note"),
    "interview": _l("Interview"),
    "by_phone": _l("by phone"),
    "cancelled": _l("cancelled"),
    "follow_ups": _l("Follow-up checks"),
    "still_employed": _l("still employed"),
    "no_longer_employed": _l("no longer employed"),
    "audit": _l("Who viewed or changed the record, and when"),
    "when": _l("When"),
    "who": _l("Who"),
    "what": _l("What"),
    "in_list": _l("viewed in a list"),
    "none": _l("None recorded."),
    "yes": _l("yes"),
    "no": _l("no"),
    "anonymised": _l("This record has been anonymised."),
    "programme": _l("Individual programme"),
    "assessment": _l("Assessment"),
    "area": _l("Area"),
    "steps": _l("Steps"),
    "step": _l("Step"),
    "service": _l("Service"),
    "due_on": _l("Due date"),
    "done_on": _l("Done on"),
    "workplace_checks": _l("Workplace checks"),
    "found_at_work": _l("Found at work"),
    "not_found_at_work": _l("Not found at work"),
    "date": _l("Date"),
}


def both(text, *arguments) -> dict[str, str]:
    """A translatable label (or a function's result) in both languages."""
    pair = {}
    for locale in ("kk", "ru"):
        with force_locale(locale):
            pair[locale] = text(*arguments) if callable(text) else str(text)
    return pair


def _named(row) -> dict | None:
    """A reference row (region, trade, activity…) by its code and bilingual name."""
    if row is None:
        return None
    return {"code": getattr(row, "code", None), "kk": row.name_kk, "ru": row.name_ru}


def _label(labels: dict, code: str | None) -> dict | None:
    return None if code is None else {"code": code, **both(labels.get(code, code))}


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="minutes")
    return value


def _user(user) -> dict | None:
    return (
        None if user is None else {"name": user.full_name, "role": _label(ROLE_LABELS, user.role)}
    )


def _record(candidate: Candidate, iin: str) -> dict:
    return {
        "code": candidate.code,
        "full_name": candidate.full_name,
        "iin": None if candidate.anonymised_at else iin,  # the marker is no one's IIN
        "birth_date": _plain(candidate.birth_date),
        "birth_year": candidate.birth_year,
        "status": _label(CANDIDATE_STATUS_LABELS, candidate.status),
        "institution": _named(candidate.institution),
        "release_date": _plain(candidate.release_date),
        "region": _named(candidate.region),
        "district": _named(candidate.district),
        "languages": {"codes": candidate.languages, **both(language_names, candidate.languages)},
        "education": candidate.education,
        "housing": candidate.housing,
        "skills": candidate.skills,
        "programme_notes": candidate.programme_notes,
        "available_from": _plain(candidate.available_from),
        "consent": candidate.consent,
        "offences_recorded": candidate.offences_recorded,
        "created_at": _plain(candidate.created_at),
        "updated_at": _plain(candidate.updated_at),
        "anonymised_at": _plain(candidate.anonymised_at),
        "anonymised_kind": candidate.anonymised_kind,
    }


def _supervision(candidate: Candidate) -> dict | None:
    sup = candidate.supervision
    if sup is None:
        return None
    return {
        "curfew_from": _plain(sup.curfew_from),
        "curfew_to": _plain(sup.curfew_to),
        "permitted_area": sup.permitted_area,
        "prohibited_places": [_named(p) for p in sup.prohibited_places],
        "no_alcohol": sup.no_alcohol,
        "no_contact_minors": sup.no_contact_minors,
        "until": _plain(sup.until),
    }


def _placements(candidate_id: int) -> list[dict]:
    placements = db.session.scalars(
        sa.select(Placement)
        .where(Placement.candidate_id == candidate_id)
        .options(so.joinedload(Placement.vacancy).joinedload(Vacancy.employer))
        .order_by(Placement.proposed_at, Placement.id)
    ).all()
    ids = [p.id for p in placements]
    events: dict[int, list] = {}
    for event in db.session.scalars(
        sa.select(PlacementEvent)
        .where(PlacementEvent.placement_id.in_(ids))
        .order_by(PlacementEvent.at, PlacementEvent.id)
    ):
        events.setdefault(event.placement_id, []).append(event)
    interviews = {
        i.placement_id: i
        for i in db.session.scalars(sa.select(Interview).where(Interview.placement_id.in_(ids)))
    }
    checks: dict[int, list] = {}
    for check in db.session.scalars(
        sa.select(RetentionCheck)
        .where(RetentionCheck.placement_id.in_(ids))
        .order_by(RetentionCheck.milestone)
    ):
        checks.setdefault(check.placement_id, []).append(check)
    visits: dict[int, list] = {}
    for visit in db.session.scalars(
        sa.select(WorkplaceCheck)
        .where(WorkplaceCheck.placement_id.in_(ids))
        .order_by(WorkplaceCheck.checked_on, WorkplaceCheck.id)
    ):
        visits.setdefault(visit.placement_id, []).append(visit)
    found = []
    for p in placements:
        vacancy, interview = p.vacancy, interviews.get(p.id)
        found.append(
            {
                "id": p.id,
                "vacancy": {
                    "kk": vacancy.title_kk or vacancy.title_ru,
                    "ru": vacancy.title_ru or vacancy.title_kk,
                },
                "employer": {
                    "kk": vacancy.employer.name_kk or vacancy.employer.name_ru,
                    "ru": vacancy.employer.name_ru or vacancy.employer.name_kk,
                },
                "state": _label(STATE_LABELS, p.state),
                "reason": _label(ALL_REASONS, p.reason_code),
                "proposed_at": _plain(p.proposed_at),
                "hired_on": _plain(p.hired_on),
                "ended_on": _plain(p.ended_on),
                "note_to_employer": p.inspector_note,
                "steps": [
                    {
                        "at": _plain(e.at),
                        "from": _label(STATE_LABELS, e.from_state),
                        "to": _label(STATE_LABELS, e.to_state),
                        "on_date": _plain(e.on_date),
                        "reason": _label(ALL_REASONS, e.reason_code),
                        "note": e.note,
                        "rules": e.rule_codes or [],
                    }
                    for e in events.get(p.id, [])
                ],
                "interview": None
                if interview is None
                else {
                    "starts_at": _plain(interview.starts_at),
                    "by_phone": interview.by_phone,
                    "place": interview.place,
                    "note": interview.note,
                    "cancelled_at": _plain(interview.cancelled_at),
                },
                "follow_ups": [
                    {
                        "months": c.milestone,
                        "checked_on": _plain(c.checked_on),
                        "still_employed": c.still_employed,
                    }
                    for c in checks.get(p.id, [])
                ],
                "workplace_checks": [
                    {
                        "checked_on": _plain(c.checked_on),
                        "found_at_work": c.found_at_work,
                        "note": c.note,
                    }
                    for c in visits.get(p.id, [])
                ],
            }
        )
    return found


def _programme(candidate_id: int) -> dict | None:
    programme = db.session.scalar(
        sa.select(Programme).where(Programme.candidate_id == candidate_id)
    )
    if programme is None:
        return None
    return {
        "template": programme.template_code,
        "started_on": _plain(programme.started_on),
        "assessment": [
            {
                "area": _label(ASSESSMENT_AREAS, a.area),
                "state": _label(ASSESSMENT_STATES, a.state),
                "on_date": _plain(a.on_date),
                "note": a.note,
            }
            for a in programme.assessments
        ],
        "steps": [
            {
                "title": {"kk": s.title_kk or s.title_ru, "ru": s.title_ru or s.title_kk},
                "service": _named(s.service),
                "due_on": _plain(s.due_on),
                "state": _label(STEP_STATES, s.state),
                "done_on": _plain(s.done_on),
                "reason": s.reason,
                "outcome": s.outcome,
            }
            for s in programme.steps
        ],
    }


def audit_trail(candidate_id: int, placement_ids: list[int]) -> list[tuple[AuditEntry, bool]]:
    """Every entry about the record or one of the person's placements, and every list that
    showed them (audit_shown), oldest first; each with whether it is such a list."""
    about = sa.and_(AuditEntry.object_type == "candidate", AuditEntry.object_id == candidate_id)
    if placement_ids:
        about = sa.or_(
            about,
            sa.and_(AuditEntry.object_type == "placement", AuditEntry.object_id.in_(placement_ids)),
        )
    listed = sa.select(AuditShown.audit_id).where(AuditShown.candidate_id == candidate_id)
    # A union of two indexed lookups (ix_audit_log_object, audit_shown's key), not an OR
    # that would read the whole log.
    ids = sa.union(sa.select(AuditEntry.id).where(about), listed).subquery()
    entries = db.session.scalars(
        sa.select(AuditEntry)
        .join(ids, AuditEntry.id == ids.c.id)
        .options(so.joinedload(AuditEntry.user))
        .order_by(AuditEntry.at, AuditEntry.id)
    )

    def in_list(entry: AuditEntry) -> bool:
        if entry.object_type == "candidate":
            return entry.object_id != candidate_id
        return not (entry.object_type == "placement" and entry.object_id in placement_ids)

    return [(entry, in_list(entry)) for entry in entries]


def gather(candidate: Candidate, iin: str) -> dict:
    """Everything held about the person; `iin` as the reader may see it (identity.shown_iin)."""
    placements = _placements(candidate.id)
    corrections = db.session.scalars(
        sa.select(CorrectionRequest)
        .where(CorrectionRequest.candidate_id == candidate.id)
        .order_by(CorrectionRequest.requested_on, CorrectionRequest.id)
    )
    return {
        "record": _record(candidate, iin),
        "trades": [_named(o) for o in sorted(candidate.occupations, key=lambda o: o.code)],
        "contraindications": [_named(c) for c in candidate.contraindications],
        "offences": [
            {
                "criminal_code": o.code,
                "article": o.article,
                "part": o.part,
                "minor_victim": o.minor_victim,
                "category": _named(o.category),
                "convicted_on": _plain(o.convicted_on),
            }
            for o in candidate.offences
        ],
        "bans": [
            {"activity": _named(b.activity), "until": _plain(b.until)}
            for b in candidate.activity_bans
        ],
        "supervision": _supervision(candidate),
        "consent_history": [
            {
                "kind": _label(CONSENT_KINDS, e.kind),
                "on_date": _plain(e.on_date),
                "text_version": e.text_version,
                "method": _label(CONSENT_METHODS, e.method),
                "recorded_by": _user(e.recorded_by),
                "recorded_at": _plain(e.recorded_at),
            }
            for e in consent.history(candidate.id)
        ],
        "corrections": [
            {
                "requested_on": _plain(c.requested_on),
                "asked": c.asked,
                "outcome": _label(CORRECTION_OUTCOMES, c.outcome),
                "reason": c.reason,
                "recorded_by": _user(c.recorded_by),
                "recorded_at": _plain(c.recorded_at),
            }
            for c in corrections
        ],
        "programme": _programme(candidate.id),
        "placements": placements,
        "audit": [
            {
                "at": _plain(e.at),
                "action": _label(ACTION_LABELS, e.action),
                "by": _user(e.user),
                "object": e.object_type,
                "in_list": in_list,
            }
            for e, in_list in audit_trail(candidate.id, [p["id"] for p in placements])
        ],
    }


def shown(value: str | None) -> str:
    """An ISO date or moment of the copy as printed: the same in both languages (31.12.2026,
    moments in Kazakhstan's time)."""
    if not value:
        return "—"
    if "T" not in value:
        return date.fromisoformat(value).strftime("%d.%m.%Y")
    return datetime.fromisoformat(value).astimezone(clock.LOCAL_ZONE).strftime("%d.%m.%Y %H:%M")
