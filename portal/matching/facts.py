"""Plain facts from the models, for the pure rules in eligibility.py."""

from flask import current_app

from portal.candidates.models import Candidate
from portal.employers.models import Vacancy
from portal.matching.eligibility import CandidateFacts, VacancyFacts
from portal.reference.occupations import implied_activities


def facts_from_candidate(candidate: Candidate) -> CandidateFacts:
    supervision = candidate.supervision
    facts = dict(
        birth_date=candidate.birth_date,
        status=candidate.status,
        institution_id=candidate.institution_id,
        release_date=candidate.release_date,
        # An offence section not yet filled in is unknown, not "no offences" (fail closed).
        offences=frozenset(o.category_code for o in candidate.offences)
        if candidate.offences_recorded
        else None,
        activity_bans=tuple((b.activity_code, b.until) for b in candidate.activity_bans),
        contraindications=frozenset(c.code for c in candidate.contraindications),
    )
    if supervision is not None:
        facts.update(
            curfew=(supervision.curfew_from, supervision.curfew_to)
            if supervision.curfew_from is not None
            else None,
            permitted_area=supervision.permitted_area or None,
            prohibited_places=frozenset(p.code for p in supervision.prohibited_places),
            no_alcohol=supervision.no_alcohol,
            no_contact_minors=supervision.no_contact_minors,
            supervision_until=supervision.until,
        )
    return CandidateFacts(**facts)


def rule_activities(vacancy: Vacancy) -> frozenset[str]:
    """The activities the rules apply: those the employer declared and those the occupation
    implies, declared or not (a court ban on driving bars a truck driver's job either way).
    Vacancy.occupation is loaded with the vacancy (a join), so a list reads no more rows."""
    declared = frozenset(a.code for a in vacancy.activities)
    return declared | implied_activities(vacancy.occupation.code)


def facts_from_vacancy(vacancy: Vacancy) -> VacancyFacts:
    return VacancyFacts(
        sphere=vacancy.sphere_code or "",
        with_minors=vacancy.with_minors,
        near_minors=vacancy.near_minors,
        kato=vacancy.district.kato if vacancy.district is not None else "",
        shift=(vacancy.shift_start, vacancy.shift_end) if vacancy.shift_start is not None else None,
        travel=vacancy.travel,
        place_types=frozenset(p.code for p in vacancy.place_types),
        alcohol=vacancy.alcohol,
        activities=rule_activities(vacancy),
        conditions=frozenset(c.code for c in vacancy.conditions),
        institution_ids=frozenset(i.id for i in vacancy.institutions),
        starts_on=vacancy.starts_on,
        travel_minutes=current_app.config["CURFEW_TRAVEL_MINUTES"],
    )
