"""The exclusion rules of eligibility.py as one SQL condition on vacancies, for one person.

The mirror of sql_filters.py: with the person's facts fixed, every rule becomes a condition on
vacancy columns, so the vacancies a person may be put to are listed, counted and paged by the
database instead of evaluating every published vacancy in Python. Each clause mirrors the rule
of the same name; tests/matching/test_vacancy_filters.py checks on generated data that this
condition and `evaluate` agree, vacancy by vacancy. Warnings are not exclusions: absent here.
"""

from datetime import date

import sqlalchemy as sa

from portal.employers.models import (
    Vacancy,
    vacancy_activity,
    vacancy_condition,
    vacancy_institution,
    vacancy_place_type,
)
from portal.matching.eligibility import (
    ART26_OFFENCES,
    ART26_SPHERES,
    CUSTODY_STATUSES,
    FREE_STATUSES,
    MINOR_BARRED_CONDITIONS,
    MINOR_BARRED_PLACE_TYPES,
    MINORS_ACTIVITIES,
    MINORS_PLACE_TYPES,
    MINORS_SPHERES,
    NIGHT,
    CandidateFacts,
    _age,
    _offences,
    _supervised,
    segments,
    widened,
)
from portal.matching.sql_filters import span_meets
from portal.reference.models import District, Occupation
from portal.reference.occupations import IMPLIED_ACTIVITIES

NO_SHIFT = Vacancy.shift_start.is_(None)


def _has(table: sa.Table, column: str, codes) -> sa.ColumnElement[bool]:
    return sa.exists().where(table.c.vacancy_id == Vacancy.id, table.c[column].in_(codes))


def has_activity(codes) -> sa.ColumnElement[bool]:
    """The vacancy declares one of these activities, or its occupation implies one
    (facts.rule_activities): a code implies what every matching prefix row lists."""
    prefixes = [prefix for prefix, implied in IMPLIED_ACTIVITIES if implied & set(codes)]
    implied = (
        Vacancy.occupation_id.in_(
            sa.select(Occupation.id).where(
                sa.or_(*(Occupation.code.startswith(p) for p in prefixes))
            )
        )
        if prefixes
        else sa.false()
    )
    return sa.or_(_has(vacancy_activity, "activity_code", codes), implied)


def has_place_type(codes) -> sa.ColumnElement[bool]:
    return _has(vacancy_place_type, "place_type_code", codes)


def has_condition(codes) -> sa.ColumnElement[bool]:
    return _has(vacancy_condition, "condition_code", codes)


def night_shift() -> sa.ColumnElement[bool]:
    """The stated shift covers some of 22:00-06:00 (eligibility.effective_conditions)."""
    return sa.and_(~NO_SHIFT, span_meets(Vacancy.shift_start, Vacancy.shift_end, segments(NIGHT)))


def minors_exposure_possible() -> sa.ColumnElement[bool]:
    """minors_exposure(v) is not False: a "yes" anywhere, or a minors question unanswered."""
    says_minors = sa.or_(
        Vacancy.with_minors.is_(True),
        Vacancy.near_minors.is_(True),
        has_place_type(MINORS_PLACE_TYPES),
        has_activity(MINORS_ACTIVITIES),
    )
    answered_no = sa.and_(Vacancy.with_minors.is_(False), Vacancy.near_minors.is_(False))
    return sa.or_(says_minors, ~answered_no)


def _art26_may_reach() -> sa.ColumnElement[bool]:
    """art26_reach(v) is not False: an unknown sphere, one minors take part in by name, or a
    listed sphere where minors are or may be involved."""
    sphere = sa.func.coalesce(Vacancy.sphere_code, "")
    return sa.or_(
        sphere == "",
        sphere.in_(MINORS_SPHERES),
        sa.and_(sphere.in_(ART26_SPHERES), minors_exposure_possible()),
    )


def open_to(c: CandidateFacts, on: date, travel_minutes: int) -> sa.ColumnElement[bool]:
    """True for exactly the vacancies `v` with `evaluate(c, v, on)` eligible, where v's
    travel_minutes is `travel_minutes` (the portal's CURFEW_TRAVEL_MINUTES)."""
    keep: list[sa.ColumnElement[bool]] = []
    offences = _offences(c)
    # labour_code_26_conviction (an unknown record fails it)
    if offences is None or offences & ART26_OFFENCES:
        keep.append(~_art26_may_reach())
    # sexual_offence_minors
    if offences is None or "sexual_minors" in offences:
        keep.append(~minors_exposure_possible())
    # court_activity_ban: a "work with minors" ban also bars jobs that do or may involve minors
    for activity, last_day in c.activity_bans:
        if last_day is not None and last_day < on:
            continue
        barred = has_activity({activity})
        if activity in MINORS_ACTIVITIES:
            barred = sa.or_(barred, ~Vacancy.with_minors.is_(False))
        keep.append(~barred)

    if _supervised(c, on):
        # supervision_curfew: the shift widened by the way home meets the curfew exactly when
        # the shift meets the curfew widened by it (same margin, both ends)
        if c.curfew is not None:
            meets = span_meets(
                Vacancy.shift_start, Vacancy.shift_end, widened(c.curfew, travel_minutes)
            )
            keep.append(sa.and_(~NO_SHIFT, ~meets))
        if c.permitted_area:
            # supervision_area: the workplace's KATO must lie inside the area
            inside = sa.select(District.id).where(
                District.kato.startswith(c.permitted_area, autoescape=True)
            )
            keep.append(Vacancy.district_id.in_(inside))
            # supervision_travel
            keep.append(Vacancy.travel.is_(False))
        # supervision_place
        if c.prohibited_places:
            keep.append(~has_place_type(c.prohibited_places))
        # supervision_minors
        if c.no_contact_minors:
            keep.append(~minors_exposure_possible())

    # medical_contraindication: an unstated shift may be a night shift
    if c.contraindications:
        ruled_out = has_condition(c.contraindications)
        if "night" in c.contraindications:
            ruled_out = sa.or_(ruled_out, night_shift(), NO_SHIFT)
        keep.append(~ruled_out)
    # minor_candidate_conditions: unless a known adult, no barred work and no unstated shift
    # (it may be at night) unless the job is marked night work, which is barred anyway
    if c.birth_date is None or _age(c.birth_date, on) < 18:
        barred = sa.or_(
            has_condition(MINOR_BARRED_CONDITIONS),
            night_shift(),
            Vacancy.alcohol.is_(True),
            has_place_type(MINOR_BARRED_PLACE_TYPES),
            NO_SHIFT,
        )
        keep.append(~barred)
    # custody_site and custody_release_date
    keep.append(_custody(c))
    return sa.and_(*keep)


def _custody(c: CandidateFacts) -> sa.ColumnElement[bool]:
    if c.status in FREE_STATUSES:
        return sa.true()
    if c.status not in CUSTODY_STATUSES:  # unknown status: could be in custody
        return sa.false()
    at_institution = (
        sa.false()
        if c.institution_id is None
        else sa.exists().where(
            vacancy_institution.c.vacancy_id == Vacancy.id,
            vacancy_institution.c.institution_id == c.institution_id,
        )
    )
    if c.status == "min_security":
        return at_institution
    # pre_release: at a site of their institution, or an outside job starting after release
    outside = ~sa.exists().where(vacancy_institution.c.vacancy_id == Vacancy.id)
    released_by_start = (
        sa.false()
        if c.release_date is None
        else sa.and_(Vacancy.starts_on.is_not(None), Vacancy.starts_on >= c.release_date)
    )
    return sa.or_(at_institution, sa.and_(outside, released_by_start))
