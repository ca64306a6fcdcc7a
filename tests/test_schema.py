"""Migrations build the schema the models describe; the database enforces the key rules."""

from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from portal.auth.models import AuditEntry, User
from portal.candidates.models import ActivityBan, Candidate, Offence, Supervision
from portal.employers.models import Vacancy
from portal.extensions import db
from portal.placements.models import Placement, PlacementEvent, Quota
from portal.reference.models import Activity, Institution, PlaceType, WorkingCondition
from tests.helpers import TEST_TODAY, noon, region


def test_migrations_match_the_models(app):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_downgrade_to_empty_and_upgrade_again(make_app, fresh_database_url):
    """On a new, empty database of the same backend: base → head → base → head."""
    app = make_app(SQLALCHEMY_DATABASE_URI=fresh_database_url)
    with app.app_context():
        upgrade()
        assert "vacancy" in sa.inspect(db.engine).get_table_names()
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "placement_event" in sa.inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_head_is_applied(app):
    with db.engine.connect() as conn:
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        assert (version,) == MigrationContext.configure(conn).get_current_heads()


def test_models_round_trip(today, make_employer, make_user, make_vacancy):
    employer = make_employer(headcount=140)
    vacancy = make_vacancy(
        employer,
        shift_start=time(22),
        shift_end=time(6),
        conditions=[db.session.get(WorkingCondition, "night")],
        activities=[db.session.get(Activity, "driving")],
        place_types=[db.session.get(PlaceType, "child_facility")],
        institutions=list(db.session.scalars(sa.select(Institution).limit(1))),
    )
    candidate = Candidate(
        code="K-TEST1",
        full_name="Тест Тестов",
        iin="000740001307",
        birth_date=date(1990, 1, 1),
        status="released",
        region_id=region("710000000").id,
        offences_recorded=True,
        offences=[
            Offence(category_code="sexual_minors", article="122", convicted_on=date(2015, 5, 5))
        ],
        activity_bans=[ActivityBan(activity_code="work_with_minors", until=None)],
        supervision=Supervision(
            curfew_from=time(22),
            curfew_to=time(6),
            permitted_area="71",
            prohibited_places=[db.session.get(PlaceType, "child_facility")],
        ),
    )
    db.session.add(candidate)
    db.session.flush()
    placement = Placement(
        candidate_id=candidate.id, vacancy_id=vacancy.id, state="hired", hired_on=today
    )
    db.session.add(placement)
    db.session.flush()
    db.session.add(PlacementEvent(placement_id=placement.id, to_state="hired", on_date=today))
    db.session.add(
        Quota(
            employer_id=employer.id, year=today.year, category="released", mode="percent", value=1
        )
    )
    user = make_user("inspector")
    db.session.add(
        AuditEntry(
            action="candidate_viewed",
            user_id=user.id,
            object_type="candidate",
            object_id=candidate.id,
            details={"reason": "тест"},
        )
    )
    db.session.commit()
    db.session.expire_all()

    loaded = db.session.get(Vacancy, vacancy.id)
    assert (loaded.shift_start, loaded.shift_end) == (time(22), time(6))
    assert [c.code for c in loaded.conditions] == ["night"]
    assert loaded.title == "Швея"  # falls back to the language it was typed in
    person = db.session.get(Candidate, candidate.id)
    assert [o.category_code for o in person.offences] == ["sexual_minors"]
    assert person.activity_bans[0].until is None
    assert person.supervision.curfew_from == time(22)
    assert [p.code for p in person.supervision.prohibited_places] == ["child_facility"]
    entry = db.session.scalar(sa.select(AuditEntry))
    assert entry.details == {"reason": "тест"} and entry.at.tzinfo is not None
    assert db.session.get(User, user.id).created_at.tzinfo is not None


@pytest.mark.parametrize(
    "fields",
    [
        {"places": 0},
        {"wage": -1},
        {"title_ru": None},
        {
            "starts_on": TEST_TODAY + timedelta(days=60),
            "closes_on": TEST_TODAY + timedelta(days=30),
        },
        {"with_minors": None},
        {"shift_end": None},
        {"status": "open"},
        {"sphere_code": "no_such_sphere"},
    ],
)
def test_database_rejects_invalid_vacancies(make_employer, make_vacancy, fields):
    employer = make_employer()
    with pytest.raises(sa.exc.IntegrityError):
        make_vacancy(employer, **fields)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Vacancy)) == 0


def test_bin_is_unique(app, make_employer):
    first = make_employer()
    with pytest.raises(sa.exc.IntegrityError):
        make_employer(bin=first.bin)
    db.session.rollback()


def test_user_scope_is_checked_by_the_database(app):
    db.session.add(User(email="x@example.kz", full_name="X", role="inspector", password_hash="x"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_custody_needs_an_institution(app):
    db.session.add(
        Candidate(
            code="K-X",
            full_name="X",
            iin="000740001307",
            status="min_security",
            region_id=region("710000000").id,
        )
    )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_0008_counts_declared_activities_as_the_answer(make_app, fresh_database_url, today):
    """Existing vacancies with declared activities have answered; the others have not."""
    app = make_app(SQLALCHEMY_DATABASE_URI=fresh_database_url)
    with app.app_context():
        upgrade(revision="0007")
        with db.engine.begin() as conn:  # the reference rows as 0007's tables hold them
            names = {"name_kk": "А", "name_ru": "А"}
            conn.execute(
                sa.text(
                    "INSERT INTO region (kato, name_kk, name_ru) VALUES ('710000000', 'А', 'А')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO district (region_id, kato, name_kk, name_ru)"
                    " SELECT id, '711310000', 'А', 'А' FROM region"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO occupation (code, name_kk, name_ru) VALUES ('7533-0', 'А', 'А')"
                )
            )
            for table, code in (
                ("sphere", "manufacturing"),
                ("activity", "driving"),
                ("activity", "finance"),
            ):
                conn.execute(
                    sa.text(
                        f"INSERT INTO {table} (code, name_kk, name_ru, position)"
                        " VALUES (:code, :name_kk, :name_ru, 0)"
                    ),
                    {"code": code, **names},
                )
        with db.engine.begin() as conn:
            tables = sa.MetaData()
            tables.reflect(conn, only=("employer", "vacancy", "vacancy_activity"))
            employer, vacancy, declared = (
                tables.tables[name] for name in ("employer", "vacancy", "vacancy_activity")
            )
            place = conn.execute(sa.text("SELECT id, region_id FROM district LIMIT 1")).one()
            employer_id = conn.execute(
                employer.insert().values(
                    bin="190540045679",
                    name_ru="ТОО «До 0008»",
                    kind="sme",
                    region_id=place.region_id,
                    address="",
                    contact_person="",
                    phone="",
                    email="",
                    headcount=10,
                    status="approved",
                    created_at=noon(today),
                )
            ).inserted_primary_key[0]
            occupation_id = conn.execute(sa.text("SELECT id FROM occupation LIMIT 1")).scalar()
            ids = {}
            for title, status in (
                ("с видом", "published"),
                ("без", "published"),
                ("черн", "draft"),
            ):
                ids[title] = conn.execute(
                    vacancy.insert().values(
                        employer_id=employer_id,
                        occupation_id=occupation_id,
                        title_ru=title,
                        description_kk="",
                        description_ru="",
                        district_id=place.id,
                        address="",
                        places=1,
                        wage=0,
                        working_days="12345",
                        sphere_code="manufacturing",
                        with_minors=False,
                        near_minors=False,
                        alcohol=False,
                        travel=False,
                        status=status,
                        created_at=noon(today),
                        updated_at=noon(today),
                    )
                ).inserted_primary_key[0]
            conn.execute(
                declared.insert(),
                [
                    {"vacancy_id": ids["с видом"], "activity_code": code}
                    for code in ("driving", "finance")
                ],
            )
        upgrade()
        with db.engine.connect() as conn:
            answered = dict(
                conn.execute(sa.text("SELECT title_ru, activities_answered FROM vacancy")).all()
            )
        assert {title: bool(value) for title, value in answered.items()} == {
            "с видом": True,
            "без": False,
            "черн": False,
        }
        assert _declared(db.engine) == 2  # SQLite added the column without copying the table
        downgrade(revision="0007")
        assert "activities_answered" not in {
            c["name"] for c in sa.inspect(db.engine).get_columns("vacancy")
        }
        assert _declared(db.engine) == 2  # nor dropped it by copying the table
        db.engine.dispose()


def _declared(engine) -> int:
    """Rows of vacancy_activity: a copy of the vacancy table on SQLite (batch mode's "move and
    copy") with foreign keys on would delete them, as they cascade from the vacancy."""
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM vacancy_activity")).scalar()
