"""Eligibility rules (docs/rules.md): one block of tests per rule, then scenarios
and properties. No Flask app: the module is pure and its messages must render without one."""

from dataclasses import fields, replace
from datetime import date, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.matching import eligibility as el
from portal.matching.eligibility import CandidateFacts, VacancyFacts, evaluate
from tests.helpers import CURFEW_CASES

ON = date(2025, 6, 15)
EXCLUSION_CODES = {
    "labour_code_26_conviction",
    "sexual_offence_minors",
    "court_activity_ban",
    "supervision_curfew",
    "supervision_area",
    "supervision_travel",
    "supervision_place",
    "supervision_minors",
    "medical_contraindication",
    "minor_candidate_conditions",
    "custody_site",
    "custody_release_date",
}


def T(hhmm):
    h, m = hhmm.split(":")
    return time(int(h), int(m))


def span(a, b):
    return (T(a), T(b))


def cand(**kw):
    """A released adult with an empty offence record and no restrictions: eligible for most."""
    base = dict(birth_date=date(1985, 3, 1), status="released", offences=frozenset())
    return CandidateFacts(**{**base, **kw})


def vac(**kw):
    """A day job in manufacturing, minors questions answered "no", place and start known."""
    base = dict(
        sphere="manufacturing",
        with_minors=False,
        near_minors=False,
        kato="351010000",
        shift=span("08:00", "17:00"),
        starts_on=ON,
    )
    return VacancyFacts(**{**base, **kw})


def supervised(**kw):
    """Released, under administrative supervision until the end of the year."""
    return cand(supervision_until=date(2025, 12, 31), **kw)


def codes(verdict):
    return {r.code for r in verdict.exclusions}


def missing(verdict, code):
    return [r.missing for r in verdict.exclusions if r.code == code]


def test_baseline_is_eligible():
    v = evaluate(cand(), vac(), ON)
    assert v.eligible and v.exclusions == () and v.warnings == ()


def test_nothing_known_excludes():
    v = evaluate(CandidateFacts(), VacancyFacts(), ON)
    assert not v.eligible
    facts = {r.missing for r in v.exclusions}
    assert {"status", "sphere", "offences", "birth_date"} <= facts


def test_messages_render_without_an_app():
    v = evaluate(
        CandidateFacts(no_alcohol=True, curfew=span("22:00", "06:00")),
        VacancyFacts(alcohol=True),
        ON,
    )
    for r in v.exclusions + v.warnings:
        assert str(r.message) and str(r.legal_basis)
        assert "%(" not in str(r.message)


# --- Rule 1: Labour Code art. 26 -------------------------------------------------------------


# How an employer answered the two minors questions, or what else says minors, and what the
# answer means for art. 26: True involves minors, False does not, a name = the question left open.
MINORS_ANSWERS = {
    "no to both": (dict(with_minors=False, near_minors=False), False),
    "works with minors": (dict(with_minors=True, near_minors=False), True),
    "next to a facility for minors": (dict(with_minors=False, near_minors=True), True),
    "at a child facility": (dict(place_types=frozenset({"child_facility"})), True),
    "work with minors declared": (dict(activities=frozenset({"work_with_minors"})), True),
    "with minors unanswered": (dict(with_minors=None, near_minors=False), "with_minors"),
    "near minors unanswered": (dict(with_minors=False, near_minors=None), "near_minors"),
    "both unanswered": (dict(with_minors=None, near_minors=None), "with_minors"),
}


@pytest.mark.parametrize("answer", MINORS_ANSWERS)
@pytest.mark.parametrize("offence", sorted(el.ART26_OFFENCES))
@pytest.mark.parametrize("sphere", sorted(el.ART26_SPHERES))
def test_art26_reaches_work_with_minors_in_its_spheres(sphere, offence, answer):
    facts, involves = MINORS_ANSWERS[answer]
    if sphere in el.MINORS_SPHERES:
        involves = True  # "culture and arts with the participation of minors" says so by name
    v = evaluate(cand(offences=frozenset({offence})), vac(sphere=sphere, **facts), ON)
    if involves is False:  # the law does not reach it: not excluded, by this rule or any
        assert "labour_code_26_conviction" not in codes(v)
        assert v.eligible
    else:
        expected = None if involves is True else involves
        assert missing(v, "labour_code_26_conviction") == [expected]


@pytest.mark.parametrize("sphere", ["manufacturing", "catering", "construction", "other"])
@pytest.mark.parametrize("answer", MINORS_ANSWERS)
def test_art26_never_applies_outside_its_spheres(sphere, answer):
    facts, _involves = MINORS_ANSWERS[answer]
    for offences in (el.ART26_OFFENCES - {"sexual_minors"}, None):
        v = evaluate(cand(offences=offences), vac(sphere=sphere, **facts), ON)
        assert "labour_code_26_conviction" not in codes(v)


def test_adult_gym_and_adult_hospital_are_not_barred():
    """The over-exclusions of the old reach: a murder conviction kept a person from an adult gym,
    a drug conviction from every post of an adult hospital."""
    gym = vac(sphere="sport", with_minors=False, near_minors=False)
    assert evaluate(cand(offences=frozenset({"murder"})), gym, ON).eligible
    hospital = vac(sphere="medical", with_minors=False, near_minors=False)
    assert evaluate(cand(offences=frozenset({"drugs"})), hospital, ON).eligible


def test_any_post_where_minors_take_part_is_barred():
    """A cleaner or guard at a children's clinic does not work with minors, but the workplace is
    a facility for minors: barred all the same."""
    clinic = vac(sphere="medical", with_minors=False, near_minors=True)
    v = evaluate(cand(offences=frozenset({"intentional_harm"})), clinic, ON)
    assert codes(v) == {"labour_code_26_conviction"}
    assert "expunged" in str(v.exclusions[0].message)


def test_drugs_is_public_health_morality():
    v = evaluate(cand(offences=frozenset({"drugs"})), vac(sphere="sport", with_minors=True), ON)
    assert codes(v) == {"labour_code_26_conviction"}
    assert "public_health_morality" in el._offences(cand(offences=frozenset({"drugs"})))


def test_art26_offence_outside_art26_sphere_ok():
    assert evaluate(cand(offences=el.ART26_OFFENCES - {"sexual_minors"}), vac(), ON).eligible


def test_other_offence_in_art26_sphere_ok():
    v = vac(sphere="education", with_minors=True, near_minors=True)
    assert evaluate(cand(offences=frozenset({"other"})), v, ON).eligible


def test_offences_unknown_art26_sphere_with_minors_excluded():
    v = evaluate(cand(offences=None), vac(sphere="education", with_minors=True), ON)
    assert missing(v, "labour_code_26_conviction") == ["offences"]
    v = evaluate(cand(offences=None), vac(sphere="education", near_minors=None), ON)
    assert missing(v, "labour_code_26_conviction") == ["offences"]


def test_offences_unknown_art26_sphere_without_minors_ok():
    assert evaluate(cand(offences=None), vac(sphere="education"), ON).eligible


def test_offences_unknown_other_sphere_not_rule1():
    assert evaluate(cand(offences=None), vac(), ON).eligible


def test_sphere_unknown_with_art26_offence_excluded():
    """An unknown sphere could be culture and arts with minors by name: unknown fails closed,
    even with both minors answers "no"."""
    v = evaluate(cand(offences=frozenset({"murder"})), vac(sphere=""), ON)
    assert missing(v, "labour_code_26_conviction") == ["sphere"]
    assert evaluate(cand(offences=frozenset({"other"})), vac(sphere=""), ON).eligible


# --- Rule 2: sexual offences against minors --------------------------------------------------

SEX_MINORS = frozenset({"sexual_minors"})


@pytest.mark.parametrize(
    "kw",
    [
        dict(with_minors=True),
        dict(near_minors=True),
        dict(place_types=frozenset({"child_facility"})),
        dict(activities=frozenset({"work_with_minors"})),
    ],
)
def test_sexual_minors_any_sphere_excluded(kw):
    v = evaluate(cand(offences=SEX_MINORS), vac(sphere="catering", **kw), ON)
    assert codes(v) == {"sexual_offence_minors"}


def test_sexual_minors_no_minors_ok():
    assert evaluate(cand(offences=SEX_MINORS), vac(), ON).eligible


@pytest.mark.parametrize("fact", ["with_minors", "near_minors"])
def test_sexual_minors_unanswered_minors_question_excluded(fact):
    v = evaluate(cand(offences=SEX_MINORS), vac(**{fact: None}), ON)
    assert missing(v, "sexual_offence_minors") == [fact]


def test_one_yes_settles_exposure_even_if_other_unanswered():
    v = evaluate(cand(offences=SEX_MINORS), vac(with_minors=None, near_minors=True), ON)
    assert missing(v, "sexual_offence_minors") == [None]


def test_offences_unknown_minors_unanswered_excluded():
    v = evaluate(cand(offences=None), vac(with_minors=None), ON)
    assert missing(v, "sexual_offence_minors") == ["offences"]


def test_offences_unknown_job_with_minors_excluded():
    v = evaluate(cand(offences=None), vac(with_minors=True), ON)
    assert missing(v, "sexual_offence_minors") == ["offences"]


def test_adult_victim_sexual_offence_not_rule2():
    v = evaluate(cand(offences=frozenset({"sexual"})), vac(with_minors=True), ON)
    assert v.eligible


def test_other_offender_unanswered_minors_ok():
    assert evaluate(cand(offences=frozenset({"other"})), vac(with_minors=None), ON).eligible


# --- Rule 3: court bans ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "last_day, excluded",
    [
        (ON - timedelta(days=1), False),
        (ON, True),
        (ON + timedelta(days=1), True),
        (None, True),
    ],
)
def test_ban_end(last_day, excluded):
    c = cand(activity_bans=(("driving", last_day),))
    v = evaluate(c, vac(activities=frozenset({"driving"})), ON)
    assert ("court_activity_ban" in codes(v)) is excluded


def test_ban_other_activity_ok():
    c = cand(activity_bans=(("driving", None),))
    assert evaluate(c, vac(activities=frozenset({"finance"})), ON).eligible


def test_minors_ban_covers_with_minors_vacancy():
    c = cand(activity_bans=(("work_with_minors", None),))
    assert codes(evaluate(c, vac(with_minors=True), ON)) == {"court_activity_ban"}
    assert missing(evaluate(c, vac(with_minors=None), ON), "court_activity_ban") == ["with_minors"]
    assert evaluate(c, vac(), ON).eligible


# --- Rule 4: administrative supervision ------------------------------------------------------


@pytest.mark.parametrize(
    "curfew, shift, overlap",
    [
        (("22:00", "06:00"), ("06:00", "14:00"), False),  # shift starts as curfew ends
        (("22:00", "06:00"), ("14:00", "22:00"), False),  # shift ends as curfew starts
        (("22:00", "06:00"), ("21:00", "23:00"), True),
        (("22:00", "06:00"), ("05:00", "07:00"), True),
        (("22:00", "06:00"), ("22:00", "06:00"), True),  # equal
        (("22:00", "06:00"), ("23:00", "07:00"), True),  # both cross midnight
        (("22:00", "06:00"), ("00:00", "02:00"), True),  # inside, after midnight
        (("22:00", "06:00"), ("06:00", "22:00"), False),  # the exact complement
        (("00:00", "05:00"), ("20:00", "00:00"), False),  # shift crosses to midnight, touches
        (("00:00", "05:00"), ("20:00", "00:30"), True),  # shift crosses midnight into curfew
        (("13:00", "15:00"), ("22:00", "06:00"), False),  # day curfew, night shift
        (("13:00", "15:00"), ("14:59", "15:30"), True),
        (("22:00", "06:00"), ("08:00", "08:00"), True),  # 24 h shift
        (("09:00", "09:00"), ("10:00", "11:00"), True),  # all-day curfew
    ],
)
def test_curfew_overlap(curfew, shift, overlap):
    """With no margin for the way home (CURFEW_TRAVEL_MINUTES=0), as before the margin."""
    assert el.overlaps(span(*curfew), span(*shift)) is overlap
    assert el.overlaps(span(*shift), span(*curfew)) is overlap
    assert el.curfew_overlaps(span(*curfew), span(*shift), 0) is overlap
    v = evaluate(supervised(curfew=span(*curfew)), vac(shift=span(*shift), travel_minutes=0), ON)
    assert ("supervision_curfew" in codes(v)) is overlap


def curfewed(curfew):
    """Released, under supervision with no end date, with this curfew and nothing else."""
    return cand(curfew=span(*curfew), supervision_until=None)


@pytest.mark.parametrize("curfew, shift, minutes, excluded", CURFEW_CASES)
def test_curfew_with_the_way_home(today, curfew, shift, minutes, excluded):
    assert el.curfew_overlaps(span(*curfew), span(*shift), minutes) is excluded
    v = evaluate(curfewed(curfew), vac(shift=span(*shift), travel_minutes=minutes), today)
    assert (codes(v) == {"supervision_curfew"}) is excluded
    assert v.eligible is not excluded


def test_a_negative_margin_counts_as_none(today):
    """A margin below 0 would narrow the shift: the rule never lets it shorten the shift."""
    assert el.widened(span("09:00", "17:00"), -30) == el.segments(span("09:00", "17:00"))
    v = evaluate(
        curfewed(("17:00", "06:00")), vac(shift=span("09:00", "17:30"), travel_minutes=-60), today
    )
    assert codes(v) == {"supervision_curfew"}


@pytest.mark.parametrize(
    "shift, minutes, pieces",
    [
        (("09:00", "17:00"), 60, [("08:00", "18:00")]),
        (("20:00", "23:00"), 60, [("19:00", "24:00")]),  # ends at midnight: no empty piece
        (("22:00", "02:00"), 60, [("21:00", "24:00"), ("00:00", "03:00")]),
        (("00:30", "08:00"), 60, [("23:30", "24:00"), ("00:00", "09:00")]),
        (("01:00", "23:00"), 60, [("00:00", "24:00")]),
        (("08:00", "08:00"), 0, [("00:00", "24:00")]),
        (("09:00", "17:00"), 0, [("09:00", "17:00")]),
    ],
)
def test_widened_shift(shift, minutes, pieces):
    def at(hhmm):
        h, m = hhmm.split(":")
        return (int(h) * 60 + int(m)) * 60_000_000

    assert el.widened(span(*shift), minutes) == [(at(a), at(b)) for a, b in pieces]


def test_curfew_message_names_the_margin(today):
    c = curfewed(("23:00", "06:00"))
    (reason,) = evaluate(c, vac(shift=span("09:00", "22:45")), today).exclusions
    assert str(reason.message) == (
        "The shift 09:00–22:45, with 60 minutes for the way between home and work, overlaps "
        "the curfew 23:00–06:00."
    )
    (reason,) = evaluate(c, vac(shift=span("09:00", "23:00"), travel_minutes=1), today).exclusions
    assert str(reason.message).startswith("The shift 09:00–23:00, with 1 minute for the way ")
    (reason,) = evaluate(c, vac(shift=span("22:00", "23:30"), travel_minutes=0), today).exclusions
    assert str(reason.message) == "The shift 22:00–23:30 overlaps the curfew 23:00–06:00."


def test_curfew_shift_unknown_excluded():
    v = evaluate(supervised(curfew=span("22:00", "06:00")), vac(shift=None), ON)
    assert missing(v, "supervision_curfew") == ["shift"]


def test_no_curfew_shift_unknown_ok():
    assert evaluate(cand(), vac(shift=None), ON).eligible


@pytest.mark.parametrize(
    "until, applies",
    [
        (ON, True),
        (ON - timedelta(days=1), False),
        (None, True),
        (ON + timedelta(days=400), True),
    ],
)
def test_supervision_end(until, applies):
    c = cand(curfew=span("22:00", "06:00"), supervision_until=until)
    v = evaluate(c, vac(shift=span("21:00", "23:00")), ON)
    assert ("supervision_curfew" in codes(v)) is applies


def test_area():
    c = supervised(permitted_area="3510")
    assert evaluate(c, vac(kato="351013100"), ON).eligible
    assert codes(evaluate(c, vac(kato="351210000"), ON)) == {"supervision_area"}
    assert missing(evaluate(c, vac(kato=""), ON), "supervision_area") == ["kato"]
    assert evaluate(supervised(permitted_area=None, no_alcohol=True), vac(kato=""), ON).eligible


def test_travel():
    c = supervised(permitted_area="3510")
    assert codes(evaluate(c, vac(travel=True), ON)) == {"supervision_travel"}
    assert evaluate(supervised(no_alcohol=True), vac(travel=True), ON).eligible


def test_prohibited_place():
    c = supervised(prohibited_places=frozenset({"entertainment"}))
    bar = vac(place_types=frozenset({"entertainment"}))
    assert codes(evaluate(c, bar, ON)) == {"supervision_place"}
    assert evaluate(c, vac(place_types=frozenset({"transport_hub"})), ON).eligible


def test_no_contact_minors():
    c = supervised(no_contact_minors=True)
    assert codes(evaluate(c, vac(near_minors=True), ON)) == {"supervision_minors"}
    assert missing(evaluate(c, vac(near_minors=None), ON), "supervision_minors") == ["near_minors"]
    assert missing(evaluate(c, vac(with_minors=None), ON), "supervision_minors") == ["with_minors"]
    assert evaluate(c, vac(), ON).eligible


def test_alcohol_is_a_warning_not_an_exclusion():
    v = evaluate(supervised(no_alcohol=True), vac(sphere="catering", alcohol=True), ON)
    assert v.eligible and [r.code for r in v.warnings] == ["alcohol_workplace"]
    assert (
        evaluate(
            cand(no_alcohol=True, supervision_until=ON - timedelta(days=1)), vac(alcohol=True), ON
        ).warnings
        == ()
    )


@pytest.mark.parametrize("days, warned", [(-1, False), (0, True), (30, True), (31, False)])
def test_supervision_ends_soon(days, warned):
    v = evaluate(cand(no_alcohol=True, supervision_until=ON + timedelta(days=days)), vac(), ON)
    assert v.eligible
    assert ([r.code for r in v.warnings] == ["supervision_ends_soon"]) is warned


# --- Rule 5: medical contraindications -------------------------------------------------------


def test_contraindication():
    c = cand(contraindications=frozenset({"heavy"}))
    assert codes(evaluate(c, vac(conditions=frozenset({"heavy"})), ON)) == {
        "medical_contraindication"
    }
    assert evaluate(c, vac(conditions=frozenset({"heights"})), ON).eligible


@pytest.mark.parametrize(
    "shift, night",
    [
        (("06:00", "14:00"), False),
        (("14:00", "22:00"), False),
        (("21:00", "23:00"), True),
        (("05:00", "07:00"), True),
        (("22:00", "06:00"), True),
        (("00:00", "00:00"), True),
    ],
)
def test_night_shift_counts_as_night(shift, night):
    c = cand(contraindications=frozenset({"night"}))
    v = evaluate(c, vac(shift=span(*shift)), ON)
    assert ("medical_contraindication" in codes(v)) is night


def test_night_contraindication_shift_unknown_excluded():
    c = cand(contraindications=frozenset({"night"}))
    assert missing(evaluate(c, vac(shift=None), ON), "medical_contraindication") == ["shift"]
    c = cand(contraindications=frozenset({"heavy"}))
    assert evaluate(c, vac(shift=None), ON).eligible


# --- Rule 6: candidates under 18 -------------------------------------------------------------


def born_years_ago(years, days_offset=0):
    return date(ON.year - years, ON.month, ON.day) + timedelta(days=days_offset)


@pytest.mark.parametrize(
    "birth, excluded",
    [
        (born_years_ago(18), False),  # 18th birthday today: adult
        (born_years_ago(18, 1), True),  # 18th birthday tomorrow
        (born_years_ago(17), True),
    ],
)
def test_age_boundary(birth, excluded):
    v = evaluate(cand(birth_date=birth), vac(conditions=frozenset({"heavy"})), ON)
    assert ("minor_candidate_conditions" in codes(v)) is excluded


@pytest.mark.parametrize(
    "kw",
    [
        dict(conditions=frozenset({"harmful"})),
        dict(shift=span("20:00", "23:00")),
        dict(alcohol=True),
        dict(place_types=frozenset({"entertainment"})),
    ],
)
def test_minor_barred_jobs(kw):
    v = evaluate(cand(birth_date=born_years_ago(17)), vac(**kw), ON)
    assert codes(v) == {"minor_candidate_conditions"}


def test_minor_light_day_job_ok():
    assert evaluate(cand(birth_date=born_years_ago(17)), vac(), ON).eligible


def test_minor_shift_unknown_excluded():
    v = evaluate(cand(birth_date=born_years_ago(17)), vac(shift=None), ON)
    assert missing(v, "minor_candidate_conditions") == ["shift"]


def test_birth_date_unknown():
    c = cand(birth_date=None)
    v = evaluate(c, vac(conditions=frozenset({"heavy"})), ON)
    assert missing(v, "minor_candidate_conditions") == ["birth_date"]
    assert missing(evaluate(c, vac(shift=None), ON), "minor_candidate_conditions") == ["birth_date"]
    assert evaluate(c, vac(), ON).eligible


def test_leap_day_birthday_adult_from_1_march():
    c = cand(birth_date=date(2004, 2, 29))
    heavy = vac(conditions=frozenset({"heavy"}))
    assert not evaluate(c, heavy, date(2022, 2, 28)).eligible
    assert evaluate(c, heavy, date(2022, 3, 1)).eligible


# --- Rule 7: custody -------------------------------------------------------------------------


def prisoner(status, **kw):
    return cand(status=status, institution_id=7, release_date=date(2025, 9, 1), **kw)


def test_min_security_own_institution_only():
    c = prisoner("min_security")
    assert evaluate(c, vac(institution_ids=frozenset({7, 8})), ON).eligible
    assert codes(evaluate(c, vac(institution_ids=frozenset({8})), ON)) == {"custody_site"}
    # an outside job, even one starting after release: custody_site alone
    assert codes(evaluate(c, vac(starts_on=date(2026, 1, 1)), ON)) == {"custody_site"}
    v = evaluate(replace(c, institution_id=None), vac(institution_ids=frozenset({7})), ON)
    assert missing(v, "custody_site") == ["institution_id"]


@pytest.mark.parametrize(
    "starts_on, excluded",
    [
        (date(2025, 8, 31), True),
        (date(2025, 9, 1), False),
        (date(2025, 9, 2), False),
    ],
)
def test_pre_release_outside_job_starts_after_release(starts_on, excluded):
    v = evaluate(prisoner("pre_release"), vac(starts_on=starts_on), ON)
    assert codes(v) == ({"custody_release_date"} if excluded else set())


def test_pre_release_unknown_dates_excluded():
    c = prisoner("pre_release")
    v = evaluate(replace(c, release_date=None), vac(), ON)
    assert missing(v, "custody_release_date") == ["release_date"]
    assert missing(evaluate(c, vac(starts_on=None), ON), "custody_release_date") == ["starts_on"]


def test_pre_release_institution_job():
    c = prisoner("pre_release")
    assert evaluate(c, vac(institution_ids=frozenset({7}), starts_on=None), ON).eligible
    assert codes(evaluate(c, vac(institution_ids=frozenset({8})), ON)) == {"custody_site"}


@pytest.mark.parametrize("status", ["released", "probation"])
def test_free_statuses_not_custody(status):
    c = cand(status=status, institution_id=None, release_date=None)
    assert evaluate(c, vac(starts_on=None, institution_ids=frozenset({8})), ON).eligible


@pytest.mark.parametrize("status", ["", "parole", "RELEASED"])
def test_unknown_status_excluded(status):
    assert missing(evaluate(cand(status=status), vac(), ON), "custody_site") == ["status"]


# --- Scenario: a released child sex offender under supervision -------------------------------

OFFENDER = supervised(
    offences=frozenset({"sexual_minors"}),
    curfew=span("22:00", "06:00"),
    permitted_area="3510",
    prohibited_places=frozenset({"child_facility", "entertainment"}),
    no_contact_minors=True,
    no_alcohol=True,
)
KINDERGARTEN_COOK = vac(
    sphere="education",
    near_minors=True,
    shift=span("07:00", "15:00"),
    place_types=frozenset({"child_facility"}),
    kato="351013100",
)
SCHOOL_CLEANER = vac(
    sphere="education",
    near_minors=True,
    shift=span("15:00", "21:00"),
    place_types=frozenset({"child_facility"}),
    kato="351013100",
)
NIGHT_BAKERY = vac(sphere="manufacturing", shift=span("22:00", "06:00"), kato="351013100")
BRICKWORKS = vac(
    sphere="manufacturing",
    shift=span("08:00", "17:00"),
    kato="351013100",
    conditions=frozenset({"heavy"}),
)


@pytest.mark.parametrize(
    "vacancy, expected",
    [
        (
            KINDERGARTEN_COOK,
            {
                "labour_code_26_conviction",
                "sexual_offence_minors",
                "supervision_place",
                "supervision_minors",
            },
        ),
        (
            SCHOOL_CLEANER,
            {
                "labour_code_26_conviction",
                "sexual_offence_minors",
                "supervision_place",
                "supervision_minors",
            },
        ),
        (NIGHT_BAKERY, {"supervision_curfew"}),
        (BRICKWORKS, set()),
    ],
)
def test_released_offender_scenario(vacancy, expected):
    v = evaluate(OFFENDER, vacancy, ON)
    assert codes(v) == expected
    assert v.eligible is (not expected)
    assert all(r.missing is None for r in v.exclusions)  # all facts known: real reasons


# --- Properties ------------------------------------------------------------------------------

times = st.times()
spans = st.none() | st.tuples(times, times)
dates = st.dates(min_value=date(1940, 1, 1), max_value=date(2060, 12, 31))
opt_dates = st.none() | dates
codes_of = lambda xs: st.frozensets(st.sampled_from(xs))  # noqa: E731
OFFENCES = sorted(el.ART26_OFFENCES | {"other"})
PLACES = sorted(el.MINORS_PLACE_TYPES | el.MINOR_BARRED_PLACE_TYPES | {"transport_hub"})
ACTIVITIES = ["teaching", "work_with_minors", "driving", "finance", "security"]
CONDITIONS = ["heavy", "harmful", "heights", "night"]
katos = st.sampled_from(["", "351010000", "351210000", "751010000"])

candidates = st.builds(
    CandidateFacts,
    birth_date=opt_dates,
    status=st.sampled_from(["", "min_security", "pre_release", "released", "probation", "x"]),
    institution_id=st.none() | st.integers(1, 3),
    release_date=opt_dates,
    offences=st.none() | codes_of(OFFENCES),
    activity_bans=st.lists(st.tuples(st.sampled_from(ACTIVITIES), opt_dates), max_size=2).map(
        tuple
    ),
    curfew=spans,
    permitted_area=st.sampled_from([None, "", "35", "3510", "75"]),
    prohibited_places=codes_of(PLACES),
    no_alcohol=st.booleans(),
    no_contact_minors=st.booleans(),
    supervision_until=opt_dates,
    contraindications=codes_of(CONDITIONS),
)
vacancies = st.builds(
    VacancyFacts,
    sphere=st.sampled_from(["", "manufacturing", *sorted(el.ART26_SPHERES)]),
    with_minors=st.none() | st.booleans(),
    near_minors=st.none() | st.booleans(),
    kato=katos,
    shift=spans,
    travel=st.booleans(),
    place_types=codes_of(PLACES),
    alcohol=st.booleans(),
    activities=codes_of(ACTIVITIES),
    conditions=codes_of(CONDITIONS),
    institution_ids=codes_of([1, 2, 3]),
    starts_on=opt_dates,
    travel_minutes=st.sampled_from([0, 1, 60]) | st.integers(0, 1500),
)


@settings(max_examples=500)
@given(candidates, vacancies, dates)
def test_evaluate_is_total_and_consistent(c, v, on):
    verdict = evaluate(c, v, on)
    assert verdict.eligible == (len(verdict.exclusions) == 0)
    assert {r.code for r in verdict.exclusions} <= EXCLUSION_CODES
    assert {r.code for r in verdict.warnings} <= el.WARNING_CODES
    for r in verdict.exclusions + verdict.warnings:
        assert isinstance(str(r.message), str) and str(r.legal_basis)
        assert r.missing is None or r.missing in {f.name for f in fields(CandidateFacts)} | {
            f.name for f in fields(VacancyFacts)
        }


@given(candidates, vacancies, dates)
def test_art26_excludes_exactly_where_it_reaches(c, v, on):
    reach, _fact = el.art26_reach(v)
    offences = el._offences(c)
    applies = offences is None or bool(offences & el.ART26_OFFENCES)
    excluded = "labour_code_26_conviction" in codes(evaluate(c, v, on))
    assert excluded is (applies and reach is not False)


LIFT_RESTRICTION = [  # each removes one restriction from the candidate
    lambda c: replace(c, curfew=None),
    lambda c: replace(c, permitted_area=None),
    lambda c: replace(c, prohibited_places=frozenset()),
    lambda c: replace(c, no_alcohol=False),
    lambda c: replace(c, no_contact_minors=False),
    lambda c: replace(c, activity_bans=()),
    lambda c: replace(c, contraindications=frozenset()),
    lambda c: replace(c, supervision_until=date(1900, 1, 1)),
]


@given(candidates, vacancies, dates, st.sampled_from(LIFT_RESTRICTION))
def test_lifting_a_restriction_never_adds_an_exclusion(c, v, on, lift):
    assert codes(evaluate(lift(c), v, on)) <= codes(evaluate(c, v, on))


@given(candidates, vacancies, dates, st.integers(0, 1500))
def test_a_longer_way_home_never_lifts_an_exclusion(c, v, on, more):
    shorter = codes(evaluate(c, v, on))
    assert shorter <= codes(evaluate(c, replace(v, travel_minutes=v.travel_minutes + more), on))


@given(candidates, vacancies, dates, st.data())
def test_learning_an_unknown_fact_never_adds_an_exclusion(c, v, on, data):
    """Fail closed: an unknown fact already excludes wherever some value of it would."""
    before = codes(evaluate(c, v, on))
    if c.offences is None:
        after = evaluate(replace(c, offences=data.draw(codes_of(OFFENCES))), v, on)
    elif v.with_minors is None:
        after = evaluate(c, replace(v, with_minors=data.draw(st.booleans())), on)
    elif v.near_minors is None:
        after = evaluate(c, replace(v, near_minors=data.draw(st.booleans())), on)
    elif v.shift is None:
        after = evaluate(c, replace(v, shift=data.draw(st.tuples(times, times))), on)
    elif v.kato == "":
        after = evaluate(c, replace(v, kato=data.draw(katos.filter(bool))), on)
    elif v.sphere == "":
        after = evaluate(c, replace(v, sphere=data.draw(st.sampled_from(["x", "sport"]))), on)
    elif c.birth_date is None:
        after = evaluate(replace(c, birth_date=data.draw(dates)), v, on)
    else:
        return
    assert codes(after) <= before


@given(candidates, vacancies, dates, st.data())
def test_learning_a_custody_fact_never_adds_an_exclusion(c, v, on, data):
    before = codes(evaluate(c, v, on))
    if c.institution_id is None:
        after = evaluate(replace(c, institution_id=data.draw(st.integers(1, 3))), v, on)
    elif c.release_date is None:
        after = evaluate(replace(c, release_date=data.draw(dates)), v, on)
    elif v.starts_on is None:
        after = evaluate(c, replace(v, starts_on=data.draw(dates)), on)
    else:
        return
    assert codes(after) <= before


@given(candidates, vacancies, dates)
def test_unknown_status_never_passes(c, v, on):
    assert not evaluate(replace(c, status=""), v, on).eligible
