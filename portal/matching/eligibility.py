"""Who may not be matched to which vacancy, and why (docs/rules.md).

Pure: plain facts in, a Verdict out; no Flask app, request or ORM, so matching, search,
proposals and placement transitions all call the same function. Fail closed: a rule that
needs a fact nobody recorded excludes, and its Reason names the missing fact (`missing`).
A new rule is one function `(c, v, on) -> Iterable[Reason]` appended to RULES, plus tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, time
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from portal.candidates.vocabulary import CUSTODY_STATUSES
from portal.i18n import ReadableDate
from portal.matching.legal_basis import LegalBasis

if TYPE_CHECKING:
    from flask_babel.speaklater import LazyString

# The same sets feed the SQL filters (one place for each rule).
# The spheres Labour Code art. 26 p. 1 lists; it reaches work in them with minors taking part.
ART26_SPHERES = frozenset(
    {"education", "upbringing", "recreation", "sport", "medical", "social_services", "culture_arts"}
)
# Spheres whose very name says minors take part: the reference list names culture_arts "culture
# and arts with the participation of minors" (seed_data.SPHERES), so choosing it answers "yes".
MINORS_SPHERES = frozenset({"culture_arts"})
ART26_OFFENCES = frozenset(
    {
        "murder",
        "intentional_harm",
        "public_health_morality",
        "drugs",
        "sexual",
        "sexual_minors",
        "extremism_terrorism",
        "human_trafficking",
    }
)
# An offence of the key's category is also one of these: drug offences are offences against
# public health and morality; against minors is a kind of against sexual inviolability.
CATEGORY_IMPLIES = {"drugs": ("public_health_morality",), "sexual_minors": ("sexual",)}
# "child_facility" covers school, kindergarten, children's camp and clinic, playground.
MINORS_PLACE_TYPES = frozenset({"child_facility"})
MINORS_ACTIVITIES = frozenset({"work_with_minors"})
# Art. 26 p.1 sub.2: under-18s barred from heavy, harmful/dangerous (height work is dangerous)
# and night work, and from work in night entertainment or with alcohol.
MINOR_BARRED_CONDITIONS = frozenset({"heavy", "harmful", "heights", "night"})
MINOR_BARRED_PLACE_TYPES = frozenset({"entertainment", "alcohol_outlet"})
FREE_STATUSES = frozenset({"released", "probation"})
NIGHT = (time(22, 0), time(6, 0))  # Labour Code: night time is 22:00-06:00
SUPERVISION_ENDS_SOON_DAYS = 30
# Everything else a rule yields is an exclusion: an undeclared code blocks (fail closed).
WARNING_CODES = frozenset({"alcohol_workplace", "supervision_ends_soon"})

# What each rule cites; an administrator may rewrite the texts (matching/legal_basis.py).
BASIS_ART26 = LegalBasis("art26", _l("Labour Code of RK, art. 26 p. 1"))
BASIS_SEXUAL_MINORS = LegalBasis(
    "sexual_minors", _l("Criminal Code of RK, arts. 120–124; Labour Code of RK, art. 26 p. 1")
)
BASIS_BAN = LegalBasis("court_ban", _l("Labour Code of RK, art. 26 p. 1 sub. 3"))
BASIS_SUPERVISION = LegalBasis(
    "supervision", _l("Law of RK of 15.07.1996 on administrative supervision")
)
BASIS_MEDICAL = LegalBasis("medical", _l("Labour Code of RK, art. 26 p. 1 sub. 1"))
BASIS_MINOR = LegalBasis("minor", _l("Labour Code of RK, art. 26 p. 1 sub. 2; art. 76"))
BASIS_CUSTODY = LegalBasis("custody", _l("Penal Enforcement Code of RK"))


@dataclass(frozen=True)
class CandidateFacts:
    birth_date: date | None = None
    # "" = unknown: the custody rule excludes until a status is recorded (fail closed).
    status: str = ""
    institution_id: int | None = None
    release_date: date | None = None
    offences: frozenset[str] | None = None  # None = record not filled in (excludes)
    activity_bans: tuple[tuple[str, date | None], ...] = ()  # (activity, last day | None=life)
    curfew: tuple[time, time] | None = None  # local; may cross midnight; start == end = all day
    permitted_area: str | None = None  # KATO prefix; None or "" = no area restriction
    prohibited_places: frozenset[str] = frozenset()
    no_alcohol: bool = False
    no_contact_minors: bool = False
    supervision_until: date | None = None  # last day restrictions apply; None = no end
    contraindications: frozenset[str] = frozenset()


@dataclass(frozen=True)
class VacancyFacts:
    sphere: str = ""  # "" = unknown: art. 26 cannot be ruled out
    with_minors: bool | None = None  # None = unanswered (excludes where minors matter)
    near_minors: bool | None = None
    kato: str = ""  # 9-digit KATO of the workplace; "" = unknown
    shift: tuple[time, time] | None = None  # local; None = not stated; start == end = 24 h
    travel: bool = False
    place_types: frozenset[str] = frozenset()
    alcohol: bool = False
    activities: frozenset[str] = frozenset()
    conditions: frozenset[str] = frozenset()
    institution_ids: frozenset[int] = frozenset()  # empty = an outside job
    starts_on: date | None = None
    # The way between home and work, either direction: kept free between a shift and a curfew
    # (to get home before it starts, to get to work after it ends). CURFEW_TRAVEL_MINUTES.
    travel_minutes: int = 60


@dataclass(frozen=True)
class Reason:
    code: str
    legal_basis: str | LazyString | LegalBasis
    message: str | LazyString  # lazy: str() renders in the current language
    missing: str | None = None  # the fact whose absence caused the exclusion


@dataclass(frozen=True)
class Verdict:
    eligible: bool
    exclusions: tuple[Reason, ...] = ()
    warnings: tuple[Reason, ...] = ()


Rule = Callable[[CandidateFacts, VacancyFacts, date], Iterable[Reason]]


FACT_LABELS = {
    "offences": _l("the offence record"),
    "sphere": _l("the vacancy's sphere"),
    "with_minors": _l("whether the job involves minors"),
    "near_minors": _l("whether the workplace is at or next to a facility for minors"),
    "shift": _l("the shift hours"),
    "kato": _l("the workplace's KATO code"),
    "birth_date": _l("the date of birth"),
    "status": _l("the custody status"),
    "institution_id": _l("the institution"),
    "release_date": _l("the release date"),
    "starts_on": _l("the job's start date"),
}


def _missing(code: str, basis: str | LazyString | LegalBasis, fact: str) -> Reason:
    label = FACT_LABELS.get(fact, fact)
    return Reason(
        code, basis, _l("Cannot be checked until this is recorded: %(fact)s.", fact=label), fact
    )


def _offences(c: CandidateFacts) -> frozenset[str] | None:
    if c.offences is None:
        return None
    return c.offences.union(*(CATEGORY_IMPLIES.get(o, ()) for o in c.offences))


def minors_exposure(v: VacancyFacts) -> tuple[bool | None, str | None]:
    """(True, None) involves minors; (False, None) does not; (None, fact) cannot tell."""
    if (
        v.with_minors
        or v.near_minors
        or v.place_types & MINORS_PLACE_TYPES
        or v.activities & MINORS_ACTIVITIES
    ):
        return True, None  # any one "yes" settles it, even if another answer is missing
    if v.with_minors is None:
        return None, "with_minors"
    if v.near_minors is None:
        return None, "near_minors"
    return False, None


DAY_MICROS = 86_400_000_000  # microseconds


def micros(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


def _pieces(a: int, b: int) -> list[tuple[int, int]]:
    """[a, b) on the 24 h circle (microseconds of the day) as half-open pieces of one day."""
    if a == b:
        return [(0, DAY_MICROS)]  # equal ends = round the clock (24 h shift, all-day curfew)
    if a < b:
        return [(a, b)]
    return [(a, DAY_MICROS)] + ([(0, b)] if b else [])  # crosses midnight (or ends at it)


def segments(span: tuple[time, time]) -> list[tuple[int, int]]:
    return _pieces(micros(span[0]), micros(span[1]))


def widened(span: tuple[time, time], minutes: int) -> list[tuple[int, int]]:
    """The span with `minutes` added before its start and after its end, as segments; 24 h or
    more covers the whole day. A negative margin would narrow the span: it counts as 0."""
    margin = max(minutes, 0) * 60_000_000
    a, b = micros(span[0]), micros(span[1])
    length = (b - a) % DAY_MICROS or DAY_MICROS
    if length + 2 * margin >= DAY_MICROS:
        return [(0, DAY_MICROS)]
    return _pieces((a - margin) % DAY_MICROS, (b + margin) % DAY_MICROS)


def _meet(xs: list[tuple[int, int]], ys: list[tuple[int, int]]) -> bool:
    return any(a1 < b2 and a2 < b1 for a1, b1 in xs for a2, b2 in ys)


def overlaps(x: tuple[time, time], y: tuple[time, time]) -> bool:
    """Half-open intervals on a 24 h circle; touching at an endpoint is not overlap."""
    return _meet(segments(x), segments(y))


def curfew_overlaps(curfew: tuple[time, time], shift: tuple[time, time], minutes: int) -> bool:
    """Does the shift, with `minutes` of way home after it and to work before it, overlap the
    curfew? Touching at an endpoint is not overlap: a shift may end `minutes` before it."""
    return _meet(segments(curfew), widened(shift, minutes))


def effective_conditions(v: VacancyFacts) -> frozenset[str]:
    """The vacancy's working conditions, plus "night" if its shift covers any of 22:00-06:00."""
    if v.shift is not None and overlaps(v.shift, NIGHT):
        return v.conditions | {"night"}
    return v.conditions


def _span(span: tuple[time, time]) -> str:
    return f"{span[0]:%H:%M}–{span[1]:%H:%M}"


def _age(born: date, on: date) -> int:
    # 29 Feb birthdays count from 1 Mar in common years: the later, safer day for a minor.
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _supervised(c: CandidateFacts, on: date) -> bool:
    has_any = (
        c.curfew is not None
        or bool(c.permitted_area)
        or bool(c.prohibited_places)
        or c.no_alcohol
        or c.no_contact_minors
    )
    return has_any and (c.supervision_until is None or c.supervision_until >= on)


# --- Rules, in the order the inspector reads them -------------------------------------------


def art26_reach(v: VacancyFacts) -> tuple[bool | None, str | None]:
    """Does Labour Code art. 26 p. 1 reach this job: a listed sphere, with minors taking part?
    (True, None) yes; (False, None) no; (None, fact) cannot tell until `fact` is recorded."""
    if not v.sphere:  # could be any listed sphere, culture_arts (minors by name) among them
        return None, "sphere"
    if v.sphere not in ART26_SPHERES:
        return False, None
    if v.sphere in MINORS_SPHERES:
        return True, None
    return minors_exposure(v)


def labour_code_26_conviction(c: CandidateFacts, v: VacancyFacts, on: date) -> Iterable[Reason]:
    """Labour Code of RK (2015) art. 26 p. 1: no employment contract with a person who has or
    had a conviction, or is or was prosecuted (unless on rehabilitating grounds), for murder,
    intentional harm to health, offences against public health and morality, against sexual
    inviolability, extremist or terrorist offences or human trafficking, for work

        ru: "в сфере образования, воспитания, отдыха и оздоровления, физической культуры и
        спорта, медицинского обеспечения, оказания социальных услуг, культуры и искусства с
        участием несовершеннолетних"

        kk: not confirmed word for word, so not quoted. The official Kazakh text is on
        adilet.zan.kz (Еңбек кодексі, K1500000414, 26-бап 1-тармақ); the pages searched found
        only its sub-items 1)-4) (tkrk.kz/kk/boligi-2/bolim-2/taraw-4/bap-26), not this one.
        Check it there before quoting it here.

    "С участием несовершеннолетних" (with minors taking part) qualifies every sphere of the
    list, not only culture and arts: an adult gym or an adult hospital is not barred. So the
    rule excludes only in a listed sphere (or an unknown one) where the job or the workplace
    involves minors (`art26_reach`): any post there, cleaners and guards included, for life,
    even after the conviction is expunged. An unanswered minors question fails closed, naming
    it; minors answered "no" twice (and nothing else saying minors) lets the person through.
    Outside the listed spheres it never applies (sexual_offence_minors is a separate rule).
    """
    code, offences = "labour_code_26_conviction", _offences(c)
    if offences is not None and not offences & ART26_OFFENCES:
        return
    reach, fact = art26_reach(v)
    if reach is False:
        return
    if fact == "sphere":
        yield _missing(code, BASIS_ART26, "sphere")
    elif offences is None:  # unknown record, a job art. 26 does or may reach
        yield _missing(code, BASIS_ART26, "offences")
    elif reach is None:  # a minors question unanswered: treat as "yes"
        yield _missing(code, BASIS_ART26, fact)
    else:
        yield Reason(
            code,
            BASIS_ART26,
            _l(
                "A conviction of a kind listed in Labour Code art. 26 bars any post in this "
                "sphere where minors take part, for life, even after the conviction is "
                "expunged."
            ),
        )


def sexual_offence_minors(c: CandidateFacts, v: VacancyFacts, on: date) -> Iterable[Reason]:
    code, offences = "sexual_offence_minors", _offences(c)
    if offences is not None and "sexual_minors" not in offences:
        return
    exposure, fact = minors_exposure(v)
    if exposure is False:
        return
    if offences is None:  # unknown record and a job that does or may involve minors
        yield _missing(code, BASIS_SEXUAL_MINORS, "offences")
    elif exposure is None:  # minors questions unanswered: treat as "yes"
        yield _missing(code, BASIS_SEXUAL_MINORS, fact)
    else:
        yield Reason(
            code,
            BASIS_SEXUAL_MINORS,
            _l(
                "A person convicted of a sexual offence against a minor may not take a job that "
                "involves minors or is at or next to a facility for minors."
            ),
        )


def court_activity_ban(c: CandidateFacts, v: VacancyFacts, on: date) -> Iterable[Reason]:
    code = "court_activity_ban"
    for activity, last_day in c.activity_bans:
        if last_day is not None and last_day < on:
            continue  # the ban ended before `on`
        minors_ban = activity == "work_with_minors"  # also covers jobs declared "with minors"
        if minors_ban and v.with_minors is None and activity not in v.activities:
            yield _missing(code, BASIS_BAN, "with_minors")
        elif activity in v.activities or (minors_ban and v.with_minors):
            yield Reason(
                code,
                BASIS_BAN,
                _l("A court has banned this person from this activity for life.")
                if last_day is None
                else _l(
                    "A court has banned this person from this activity until %(until)s.",
                    until=ReadableDate(last_day),
                ),
            )


def supervision_curfew(c: CandidateFacts, v: VacancyFacts, on: date) -> Iterable[Reason]:
    if not _supervised(c, on) or c.curfew is None:
        return
    if v.shift is None:
        yield _missing("supervision_curfew", BASIS_SUPERVISION, "shift")
    elif curfew_overlaps(c.curfew, v.shift, v.travel_minutes):
        spans = dict(shift=_span(v.shift), curfew=_span(c.curfew))
        if v.travel_minutes > 0:
            message = lazy_ngettext(
                "The shift %(shift)s, with %(num)d minute for the way between home and work, "
                "overlaps the curfew %(curfew)s.",
                "The shift %(shift)s, with %(num)d minutes for the way between home and work, "
                "overlaps the curfew %(curfew)s.",
                v.travel_minutes,
                **spans,
            )
        else:
            message = _l("The shift %(shift)s overlaps the curfew %(curfew)s.", **spans)
        yield Reason("supervision_curfew", BASIS_SUPERVISION, message)


def supervision_area(c: CandidateFacts, v: VacancyFacts, on: date) -> Iterable[Reason]:
    if not _supervised(c, on) or not c.permitted_area:
        return
    if not v.kato:
        yield _missing("supervision_area", BASIS_SUPERVISION, "kato")
    elif not v.kato.startswith(c.permitted_area):
        yield Reason(
            "supervision_area",
            BASIS_SUPERVISION,
            _l(
                "The workplace (KATO %(kato)s) is outside the area the person may not leave "
                "(KATO %(area)s).",
                kato=v.kato,
                area=c.permitted_area,
            ),
        )


def supervision_travel(c: CandidateFacts, v: VacancyFacts, on: date) -> Iterable[Reason]:
    if _supervised(c, on) and c.permitted_area and v.travel:
        yield Reason(
            "supervision_travel",
            BASIS_SUPERVISION,
            _l(
                "The job involves travel, but the person may not leave their area without police "
                "permission."
            ),
        )


def supervision_place(c: CandidateFacts, v: VacancyFacts, on: date) -> Iterable[Reason]:
    if not _supervised(c, on):
        return
    if c.prohibited_places & v.place_types:
        yield Reason(
            "supervision_place",
            BASIS_SUPERVISION,
            _l("The workplace is a kind of place the person is forbidden to be in."),
        )


def supervision_minors(c: CandidateFacts, v: VacancyFacts, on: date) -> Iterable[Reason]:
    if not _supervised(c, on) or not c.no_contact_minors:
        return
    exposure, fact = minors_exposure(v)
    if exposure is None:
        yield _missing("supervision_minors", BASIS_SUPERVISION, fact)
    elif exposure:
        yield Reason(
            "supervision_minors",
            BASIS_SUPERVISION,
            _l(
                "The person may have no contact with minors, and this job involves minors or is "
                "next to a facility for minors."
            ),
        )


def alcohol_workplace(c: CandidateFacts, v: VacancyFacts, on: date) -> Iterable[Reason]:
    if _supervised(c, on) and c.no_alcohol and (v.alcohol or "alcohol_outlet" in v.place_types):
        yield Reason(
            "alcohol_workplace",
            BASIS_SUPERVISION,
            _l("The person is banned from alcohol, and this workplace sells or produces it."),
        )


def supervision_ends_soon(c: CandidateFacts, v: VacancyFacts, on: date) -> Iterable[Reason]:
    until = c.supervision_until
    if until is not None and 0 <= (until - on).days <= SUPERVISION_ENDS_SOON_DAYS:
        yield Reason(
            "supervision_ends_soon",
            BASIS_SUPERVISION,
            _l("Administrative supervision ends on %(until)s.", until=ReadableDate(until)),
        )


def medical_contraindication(c: CandidateFacts, v: VacancyFacts, on: date) -> Iterable[Reason]:
    code = "medical_contraindication"
    if c.contraindications & effective_conditions(v):
        yield Reason(
            code,
            BASIS_MEDICAL,
            _l("The person's medical opinion rules out the working conditions of this job."),
        )
    elif "night" in c.contraindications and v.shift is None:  # could be a night shift
        yield _missing(code, BASIS_MEDICAL, "shift")


def minor_candidate_conditions(c: CandidateFacts, v: VacancyFacts, on: date) -> Iterable[Reason]:
    code = "minor_candidate_conditions"
    if c.birth_date is not None and _age(c.birth_date, on) >= 18:
        return
    barred = (
        effective_conditions(v) & MINOR_BARRED_CONDITIONS
        or v.alcohol
        or v.place_types & MINOR_BARRED_PLACE_TYPES
    )
    if barred and c.birth_date is None:  # age unknown: could be a minor
        yield _missing(code, BASIS_MINOR, "birth_date")
    elif barred:
        yield Reason(
            code,
            BASIS_MINOR,
            _l(
                "A person under 18 may not do heavy, harmful, dangerous or night work, nor work "
                "with alcohol or in night entertainment."
            ),
        )
    elif v.shift is None and "night" not in v.conditions:  # unstated shift may be at night
        yield _missing(code, BASIS_MINOR, "birth_date" if c.birth_date is None else "shift")


def custody_site(c: CandidateFacts, v: VacancyFacts, on: date) -> Iterable[Reason]:
    code = "custody_site"
    if c.status in FREE_STATUSES:
        return
    if c.status not in CUSTODY_STATUSES:  # unknown status: could be in custody
        yield _missing(code, BASIS_CUSTODY, "status")
    elif not v.institution_ids and c.status == "pre_release":
        return  # an outside job: custody_release_date decides
    elif c.institution_id is None:
        yield _missing(code, BASIS_CUSTODY, "institution_id")
    elif c.institution_id not in v.institution_ids:  # min_security outside job lands here too
        yield Reason(
            code,
            BASIS_CUSTODY,
            _l("A prisoner may work only at workplaces approved for their own institution."),
        )


def custody_release_date(c: CandidateFacts, v: VacancyFacts, on: date) -> Iterable[Reason]:
    code = "custody_release_date"
    if c.status != "pre_release" or v.institution_ids:
        return  # min_security outside jobs are already excluded by custody_site
    if c.release_date is None:
        yield _missing(code, BASIS_CUSTODY, "release_date")
    elif v.starts_on is None:
        yield _missing(code, BASIS_CUSTODY, "starts_on")
    elif v.starts_on < c.release_date:
        yield Reason(
            code,
            BASIS_CUSTODY,
            _l(
                "The job starts on %(starts)s, before the release date %(release)s.",
                starts=ReadableDate(v.starts_on),
                release=ReadableDate(c.release_date),
            ),
        )


RULES: list[Rule] = [
    labour_code_26_conviction,
    sexual_offence_minors,
    court_activity_ban,
    supervision_curfew,
    supervision_area,
    supervision_travel,
    supervision_place,
    supervision_minors,
    alcohol_workplace,
    supervision_ends_soon,
    medical_contraindication,
    minor_candidate_conditions,
    custody_site,
    custody_release_date,
]


def evaluate(candidate: CandidateFacts, vacancy: VacancyFacts, on: date) -> Verdict:
    """Apply every rule; eligible exactly when no rule excludes. Warnings never block."""
    reasons = [r for rule in RULES for r in rule(candidate, vacancy, on)]
    exclusions = tuple(r for r in reasons if r.code not in WARNING_CODES)
    warnings = tuple(r for r in reasons if r.code in WARNING_CODES)
    return Verdict(eligible=not exclusions, exclusions=exclusions, warnings=warnings)
