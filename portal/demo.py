"""`flask demo load`: the bilingual demo data; running it again changes nothing."""

from datetime import date, timedelta

import click
import pyotp
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from portal import clock
from portal import demo_data as data
from portal.auth import second_factor
from portal.auth.models import User
from portal.candidates.consent import loaded_grant
from portal.candidates.models import ActivityBan, Candidate, Offence, Supervision
from portal.database import write_transaction
from portal.employers.models import Employer, Vacancy
from portal.extensions import db
from portal.placements.models import Placement, PlacementEvent
from portal.productions.models import Production
from portal.reference.criminal_code import offence_fields
from portal.reference.identifiers import complete
from portal.reference.models import (
    Activity,
    District,
    Institution,
    Occupation,
    PlaceType,
    Region,
    WorkingCondition,
)

demo_cli = AppGroup("demo", help="Demo data for trying the portal.")


def _by(model, key: str) -> dict:
    return {getattr(row, key): row for row in db.session.scalars(sa.select(model))}


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _iin(spec: dict) -> str:
    born = date.fromisoformat(spec["birth"])
    prefix = born.strftime("%y%m%d") + spec["sex_digit"] + spec["serial"]
    # A serial that admits no check digit is bumped; the demo only needs a valid, stable number.
    while complete(prefix) is None:
        prefix = prefix[:-1] + str((int(prefix[-1]) + 1) % 10)
    return complete(prefix)


class _Reference:
    def __init__(self):
        self.regions = _by(Region, "kato")
        self.districts = _by(District, "kato")
        self.institutions = _by(Institution, "code")
        self.occupations = _by(Occupation, "code")
        self.conditions = _by(WorkingCondition, "code")
        self.activities = _by(Activity, "code")
        self.place_types = _by(PlaceType, "code")


def _load_employers(ref: _Reference) -> dict[str, Employer]:
    existing = _by(Employer, "bin")
    result = {}
    for spec in data.EMPLOYERS:
        spec = dict(spec)
        bin_ = complete(spec.pop("bin11"))
        district = ref.districts[spec.pop("district")]
        employer = existing.get(bin_)
        if employer is None:
            status = spec.pop("status", "approved")
            employer = Employer(
                bin=bin_,
                region_id=district.region_id,
                district_id=district.id,
                status=status,
                **spec,
            )
            if status == "approved":
                employer.decided_at = clock.now()
            db.session.add(employer)
        result[bin_[:11]] = employer
    db.session.flush()
    return result


def _load_vacancies(ref: _Reference, employers: dict[str, Employer]) -> dict[str, Vacancy]:
    existing = {(v.employer_id, v.title_ru): v for v in db.session.scalars(sa.select(Vacancy))}
    today = clock.today()
    result = {}
    for spec in data.VACANCIES:
        spec = dict(spec)
        employer = employers[spec.pop("employer")]
        vacancy = existing.get((employer.id, spec["title_ru"]))
        if vacancy is None:
            shift = spec.pop("shift")
            vacancy = Vacancy(
                employer_id=employer.id,
                occupation_id=ref.occupations[spec.pop("occupation")].id,
                district_id=ref.districts[spec.pop("district")].id,
                shift_start=shift[0],
                shift_end=shift[1],
                sphere_code=spec.pop("sphere"),
                starts_on=today + timedelta(days=14),
                closes_on=today + timedelta(days=90),
                # A demo vacancy is published with its questions answered (none of the
                # activities, where it declares none).
                activities_answered=spec["status"] == "published" or "activities" in spec,
                conditions=[ref.conditions[c] for c in spec.pop("conditions", ())],
                activities=[ref.activities[a] for a in spec.pop("activities", ())],
                place_types=[ref.place_types[p] for p in spec.pop("place_types", ())],
                institutions=[ref.institutions[i] for i in spec.pop("institutions", ())],
                **spec,
            )
            if vacancy.status == "published":
                vacancy.published_at = clock.now()
            db.session.add(vacancy)
        result[vacancy.title_ru] = vacancy
    db.session.flush()
    return result


def _load_candidates(ref: _Reference) -> dict[str, Candidate]:
    existing = _by(Candidate, "iin")
    result = {}
    for number, spec in enumerate(data.CANDIDATES, start=1):
        iin = _iin(spec)
        candidate = existing.get(iin)
        if candidate is None:
            institution = ref.institutions.get(spec.get("institution"))
            offences = spec.get("offences")
            candidate = Candidate(
                code=f"K-{number:05d}",
                full_name=spec["full_name"],
                iin=iin,
                birth_date=_day(spec["birth"]),
                status=spec["status"],
                institution_id=institution.id if institution else None,
                release_date=_day(spec.get("release")),
                region_id=ref.regions[spec["region"]].id,
                district_id=ref.districts[spec["district"]].id,
                skills=spec["skills"],
                languages=spec["languages"],
                available_from=_day(spec.get("release")) or clock.today(),
                occupations=[ref.occupations[code] for code in spec["trades"]],
                contraindications=[ref.conditions[c] for c in spec.get("contraindications", ())],
                offences_recorded=offences is not None,
                offences=[
                    Offence(**offence_fields(code, article), convicted_on=_day(day))
                    for code, article, day in offences or ()
                ],
                activity_bans=[
                    ActivityBan(activity_code=code, until=_day(until))
                    for code, until in spec.get("bans", ())
                ],
            )
            if "supervision" in spec:
                sup = spec["supervision"]
                candidate.supervision = Supervision(
                    curfew_from=sup["curfew"][0],
                    curfew_to=sup["curfew"][1],
                    permitted_area=sup["area"],
                    no_alcohol=sup.get("no_alcohol", False),
                    no_contact_minors=sup.get("no_contact_minors", False),
                    until=_day(sup.get("until")),
                    prohibited_places=[ref.place_types[p] for p in sup.get("places", ())],
                )
            db.session.add(candidate)
            if spec["consent"]:
                loaded_grant(candidate, clock.today() - timedelta(days=30))
        result[spec["serial"]] = candidate
    db.session.flush()
    return result


def _load_placements(candidates: dict, vacancies: dict) -> None:
    existing = set(
        db.session.execute(sa.select(Placement.candidate_id, Placement.vacancy_id)).all()
    )
    path = {
        "proposed": ("proposed",),
        "interview": ("proposed", "interview"),
        "declined": ("proposed", "declined"),
        "hired": ("proposed", "interview", "hired"),
        "ended": ("proposed", "interview", "hired", "ended"),
    }
    for spec in data.PLACEMENTS:
        candidate, vacancy = candidates[spec["candidate"]], vacancies[spec["vacancy"]]
        if (candidate.id, vacancy.id) in existing:
            continue
        placement = Placement(
            candidate_id=candidate.id,
            vacancy_id=vacancy.id,
            state=spec["state"],
            hired_on=_day(spec.get("hired_on")),
            ended_on=_day(spec.get("ended_on")),
            reason_code=spec.get("reason"),
        )
        db.session.add(placement)
        db.session.flush()
        previous = None
        for state in path[spec["state"]]:
            on_date = {"hired": placement.hired_on, "ended": placement.ended_on}.get(state)
            reason = spec.get("reason") if state == spec["state"] else None
            db.session.add(
                PlacementEvent(
                    placement_id=placement.id,
                    from_state=previous,
                    to_state=state,
                    on_date=on_date,
                    reason_code=reason,
                )
            )
            previous = state


def _load_productions(ref: _Reference, employers: dict[str, Employer]) -> None:
    existing = set(
        db.session.execute(sa.select(Production.employer_id, Production.institution_id)).all()
    )
    today = clock.today()
    for spec in data.PRODUCTIONS:
        employer, institution = employers[spec["employer"]], ref.institutions[spec["institution"]]
        if (employer.id, institution.id) in existing:
            continue
        years = spec["years_ago"]
        db.session.add(
            Production(
                employer_id=employer.id,
                institution_id=institution.id,
                area_m2=spec["area_m2"],
                transferred_on=date(today.year, 1, 1)
                if years == 0
                else date(today.year - years, 3, 1),
                products=spec["products"],
                places=spec["places"],
            )
        )


def _load_users(ref: _Reference, employers: dict[str, Employer]) -> None:
    existing = _by(User, "email")
    shared_hash = None  # the accounts share one password: hash it once (scrypt, ~0.1 s)
    for email, name, role, locale, scope in data.USERS:
        if email in existing:
            continue
        shared_hash = shared_hash or User.hash_password(data.DEMO_PASSWORD)
        user = User(email=email, full_name=name, role=role, locale=locale)
        if "region" in scope:
            user.region_id = ref.regions[scope["region"]].id
        if "institution" in scope:
            user.institution_id = ref.institutions[scope["institution"]].id
        if "employer" in scope:
            user.employer_id = employers[scope["employer"][:11]].id
        user.password_hash = shared_hash
        if user.second_factor_required and current_app.config["ENV_NAME"] != "production":
            user.totp_secret = second_factor.encrypt(data.DEMO_TOTP_SECRET)
            user.totp_enrolled_at = clock.now()
        db.session.add(user)


def load_demo_data() -> None:
    ref = _Reference()
    employers = _load_employers(ref)
    vacancies = _load_vacancies(ref, employers)
    candidates = _load_candidates(ref)
    _load_placements(candidates, vacancies)
    _load_productions(ref, employers)
    _load_users(ref, employers)
    db.session.flush()
    from portal.stats.demo import load_history  # the dashboard's months of history

    load_history()
    db.session.flush()


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Only when the database has no users yet.")
def load(if_empty: bool) -> None:
    """Load the bilingual demo data (employers, vacancies, candidates, placements, users)."""
    if if_empty and db.session.scalar(sa.select(sa.func.count()).select_from(User)):
        click.echo("The database already has users: demo data not loaded.")
        return
    with write_transaction():
        load_demo_data()
    click.echo("Demo data loaded.")


@demo_cli.command("logins")
def logins() -> None:
    """Print the demo accounts, one per line."""
    click.echo(f"Demo accounts (password for all: {data.DEMO_PASSWORD}):")
    for email, name, role, _locale, _scope in data.USERS:
        click.echo(f"  {role:<10} {email:<32} {name}")
    totp = pyotp.TOTP(data.DEMO_TOTP_SECRET)
    click.echo(
        f"Administrator and inspectors also need a code: add the key {data.DEMO_TOTP_SECRET} to"
        f" an authenticator app, or run `flask demo logins` again (code now: "
        f"{totp.at(clock.timestamp())}, valid 30 s)."
    )
