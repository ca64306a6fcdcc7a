"""The exclusion rules of eligibility.py as one SQL condition on candidates, for one vacancy.

With the vacancy's facts fixed, every rule becomes a condition on candidate columns, so lists,
counts and pagination are computed by the database. Each clause mirrors the rule of the same
name in eligibility.py; tests/matching/test_sql_filters.py checks on generated data that this
condition and `evaluate` agree, candidate by candidate. Warnings are not exclusions: absent here.
"""

from datetime import date, time

import sqlalchemy as sa

from portal.candidates.models import (
    ActivityBan,
    Candidate,
    Offence,
    Supervision,
    candidate_contraindication,
    supervision_place,
)
from portal.matching.eligibility import (
    ART26_OFFENCES,
    CUSTODY_STATUSES,
    DAY_MICROS,
    FREE_STATUSES,
    MINOR_BARRED_CONDITIONS,
    MINOR_BARRED_PLACE_TYPES,
    MINORS_ACTIVITIES,
    VacancyFacts,
    art26_reach,
    effective_conditions,
    minors_exposure,
    widened,
)


def _has_offence(codes) -> sa.ColumnElement[bool]:
    return sa.exists().where(Offence.candidate_id == Candidate.id, Offence.category_code.in_(codes))


def _offences_unknown() -> sa.ColumnElement[bool]:
    return Candidate.offences_recorded.is_(False)


def _supervision(*conditions) -> sa.ColumnElement[bool]:
    """EXISTS a supervision of this candidate that applies on `on` and meets `conditions`."""
    return sa.exists().where(Supervision.candidate_id == Candidate.id, *conditions)


def _applies(on: date):
    """The supervision applies on `on` and restricts something (eligibility._supervised)."""
    has_any = sa.or_(
        Supervision.curfew_from.is_not(None),
        sa.func.coalesce(Supervision.permitted_area, "") != "",
        sa.exists().where(supervision_place.c.supervision_id == Supervision.id),
        Supervision.no_alcohol.is_(True),
        Supervision.no_contact_minors.is_(True),
    )
    return sa.and_(has_any, sa.or_(Supervision.until.is_(None), Supervision.until >= on))


def _time(micros: int) -> time:
    seconds, micro = divmod(micros, 1_000_000)
    return time(seconds // 3600, seconds // 60 % 60, seconds % 60, micro)


def span_meets(start, end, pieces: list[tuple[int, int]]) -> sa.ColumnElement[bool]:
    """Does the span [start, end) of two time columns (may cross midnight; equal ends = round
    the clock) meet any of `pieces` (half-open, microseconds of the day; the end may be 24:00)?
    The SQL form of eligibility._meet with one side in columns."""
    clauses = []
    for s1, s2 in pieces:
        ends_after_s1 = end > _time(s1)  # the span's [.., end) reaches past s1
        starts_before_s2 = sa.true() if s2 == DAY_MICROS else start < _time(s2)
        clauses += [
            sa.and_(start < end, starts_before_s2, ends_after_s1),  # same-day span
            sa.and_(start > end, sa.or_(starts_before_s2, ends_after_s1)),  # crosses midnight
            start == end,  # round the clock
        ]
    return sa.or_(*clauses)


def _curfew_overlaps(shift: tuple[time, time], minutes: int) -> sa.ColumnElement[bool]:
    """Does the curfew (columns) overlap the shift widened by `minutes` on both sides
    (eligibility.curfew_overlaps)?"""
    return span_meets(Supervision.curfew_from, Supervision.curfew_to, widened(shift, minutes))


def _adult_on(on: date) -> sa.ColumnElement[bool]:
    """18 or older on `on` (a 29 February birthday counts from 1 March, as in eligibility)."""
    year = on.year - 18
    try:
        cutoff = on.replace(year=year)
    except ValueError:  # `on` is 29 February and that year has none
        cutoff = date(year, 2, 28)
    return sa.and_(Candidate.birth_date.is_not(None), Candidate.birth_date <= cutoff)


def eligible_for(v: VacancyFacts, on: date) -> sa.ColumnElement[bool]:
    """True for exactly the candidates `evaluate(facts, v, on)` finds eligible."""
    exposure, _fact = minors_exposure(v)
    conditions = effective_conditions(v)
    keep = []

    # The offence rules, merged into one test of the record (one subquery per candidate):
    # labour_code_26_conviction (a listed sphere with minors, or may be), then
    # sexual_offence_minors (unknown records fail both).
    excluding_offences = set()
    if art26_reach(v)[0] is not False:
        excluding_offences |= ART26_OFFENCES
    if exposure is not False:
        excluding_offences.add("sexual_minors")
    if excluding_offences:
        keep.append(sa.not_(sa.or_(_offences_unknown(), _has_offence(excluding_offences))))
    # court_activity_ban: a "work with minors" ban also covers jobs that do or may involve minors
    banned = set(v.activities)
    if v.with_minors is not False:
        banned |= MINORS_ACTIVITIES
    if banned:
        keep.append(
            ~sa.exists().where(
                ActivityBan.candidate_id == Candidate.id,
                ActivityBan.activity_code.in_(banned),
                sa.or_(ActivityBan.until.is_(None), ActivityBan.until >= on),
            )
        )

    supervised = _applies(on)
    excluded_by_supervision = [
        # supervision_curfew
        sa.and_(
            Supervision.curfew_from.is_not(None),
            sa.true() if v.shift is None else _curfew_overlaps(v.shift, v.travel_minutes),
        ),
    ]
    area_set = sa.func.coalesce(Supervision.permitted_area, "") != ""
    # supervision_area
    outside = sa.func.substr(sa.literal(v.kato), 1, sa.func.length(Supervision.permitted_area))
    excluded_by_supervision.append(
        sa.and_(area_set, sa.true() if not v.kato else outside != Supervision.permitted_area)
    )
    # supervision_travel
    if v.travel:
        excluded_by_supervision.append(area_set)
    # supervision_place
    if v.place_types:
        excluded_by_supervision.append(
            sa.exists().where(
                supervision_place.c.supervision_id == Supervision.id,
                supervision_place.c.place_type_code.in_(v.place_types),
            )
        )
    # supervision_minors
    if exposure is not False:
        excluded_by_supervision.append(Supervision.no_contact_minors.is_(True))
    keep.append(~_supervision(supervised, sa.or_(*excluded_by_supervision)))

    # medical_contraindication: an unstated shift may be a night shift
    ruled_out = set(conditions) | ({"night"} if v.shift is None else set())
    if ruled_out:
        keep.append(
            ~sa.exists().where(
                candidate_contraindication.c.candidate_id == Candidate.id,
                candidate_contraindication.c.condition_code.in_(ruled_out),
            )
        )
    # minor_candidate_conditions: only a known adult may take barred (or possibly night) work
    barred = (
        conditions & MINOR_BARRED_CONDITIONS
        or v.alcohol
        or v.place_types & MINOR_BARRED_PLACE_TYPES
    )
    if barred or (v.shift is None and "night" not in v.conditions):
        keep.append(_adult_on(on))
    # custody_site: free people pass; a prisoner only at a site approved for their institution
    site = [Candidate.status.in_(FREE_STATUSES)]
    if not v.institution_ids:
        site.append(Candidate.status == "pre_release")  # custody_release_date decides
    else:
        site.append(
            sa.and_(
                Candidate.status.in_(CUSTODY_STATUSES),
                Candidate.institution_id.in_(v.institution_ids),
            )
        )
    keep.append(sa.or_(*site))
    # custody_release_date: an outside job must start on or after the release date
    if not v.institution_ids:
        released_by_start = (
            sa.false()
            if v.starts_on is None
            else sa.and_(Candidate.release_date.is_not(None), Candidate.release_date <= v.starts_on)
        )
        keep.append(sa.or_(Candidate.status != "pre_release", released_by_start))
    return sa.and_(*keep)
