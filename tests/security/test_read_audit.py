"""Row 7: every page that shows people writes one audit row: who, what, the ids shown and the
filters (portal.auth.audit.read)."""

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from portal import clock
from portal.auth import audit
from portal.auth.models import INSPECTOR, AuditEntry
from portal.candidates.models import Supervision
from portal.extensions import db
from portal.placements import lifecycle
from tests.helpers import login, sign_in


@pytest.fixture
def casework(make_user, make_employer, make_vacancy, make_candidate, frozen_clock):
    """An inspector, a person they proposed, another hired 100 days ago (due a check)."""
    inspector = make_user(INSPECTOR)
    employer = make_employer()
    employer_user = make_user("employer", employer_id=employer.id)
    vacancy = make_vacancy(employer, places=5)
    person, worker = make_candidate(full_name="Аудит Бірінші"), make_candidate()
    lifecycle.propose(person.id, vacancy.id, inspector, clock.today())
    frozen_clock.shift(-timedelta(days=100))
    p = lifecycle.propose(worker.id, vacancy.id, inspector, clock.today())
    p = lifecycle.accept_for_interview(p.id, p.version, employer_user, clock.today())
    lifecycle.hire(p.id, p.version, employer_user, start=clock.today(), on=clock.today())
    frozen_clock.shift(timedelta(days=100))
    return inspector, vacancy, person, worker, make_candidate(), curfewed(make_candidate)


def curfewed(make_candidate):
    """Excluded from a day shift: under curfew all day."""
    return make_candidate(supervision=Supervision(curfew_from=time(8), curfew_to=time(20)))


def entries() -> list[AuditEntry]:
    db.session.expire_all()
    return db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()


def read_by(client, path) -> AuditEntry:
    """The one row `path` writes."""
    before = len(entries())
    assert client.get(path).status_code == 200, path
    written = entries()[before:]
    assert len(written) == 1, [e.action for e in written]
    return written[0]


def test_each_list_of_people_is_audited_with_the_ids_shown_and_the_filters(
    app, client, casework, today
):
    inspector, vacancy, person, worker, eligible, excluded = casework
    sign_in(client, inspector)
    both = sorted([person.id, worker.id])
    everyone = sorted([*both, eligible.id, excluded.id])
    year = f"period=year&on={today.isoformat()}"
    cases = [
        (f"/candidates/?q={person.iin}", "candidates_listed", [person.id], {"q": person.iin}),
        ("/candidates/?status=released", "candidates_listed", everyone, {"status": "released"}),
        ("/search/candidates", "candidate_searched", everyone, {}),
        (f"/matching/vacancies/{vacancy.id}", "matching_listed", [eligible.id], {}),
        (
            f"/matching/vacancies/{vacancy.id}?tab=excluded",
            "matching_listed",
            [excluded.id],
            {"tab": "excluded"},
        ),
        ("/placements/?state=proposed", "placements_listed", [person.id], {"state": "proposed"}),
        ("/placements/follow-up", "placements_listed", [worker.id], {}),
        (f"/stats/placements?measure=started&{year}", "statistics_listed", [worker.id], None),
        (f"/stats/people?measure=in_work&{year}", "statistics_listed", [worker.id], None),
        (f"/stats/vacancies?code=7&{year}", "statistics_listed", [], None),
        (f"/stats/?{year}", "statistics_viewed", [], None),
        (f"/stats/export.csv?{year}", "statistics_exported", [], None),
        (f"/stats/export.xlsx?{year}", "statistics_exported", [], None),
    ]
    for path, action, shown, filters in cases:
        entry = read_by(client, path)
        assert (entry.action, entry.user_id) == (action, inspector.id), path
        assert entry.details["shown"] == shown, path
        if filters is not None:
            assert audit.opened(entry.details["filters"]) == filters, path
        else:
            assert entry.details["filters"]["period"] == "year", path


def test_the_employer_reading_the_people_proposed_is_audited(app, client, make_user, casework):
    _inspector, vacancy, person, worker, _eligible, _excluded = casework
    employer = make_user("employer", employer_id=vacancy.employer_id)
    sign_in(client, employer)
    entry = read_by(client, f"/placements/vacancies/{vacancy.id}")
    assert (entry.action, entry.user_id, entry.object_id) == (
        "proposals_listed",
        employer.id,
        vacancy.id,
    )
    assert entry.details["shown"] == sorted([person.id, worker.id])


def test_a_rate_limited_sign_in_is_audited(make_app, make_user):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute")
    client = app.test_client()
    user = make_user("admin")
    for _ in range(2):
        login(client, user, "wrong")
    assert login(client, user).status_code == 429
    refused = [e for e in entries() if e.action.endswith("rate_limited")]
    assert len(refused) == 1  # once, by the sign-in's own audit, not again by the 429 page
    assert refused[0].action == "login_rate_limited"
    assert refused[0].details["endpoint"] == "auth.login"
    assert refused[0].details["email"] == user.email
