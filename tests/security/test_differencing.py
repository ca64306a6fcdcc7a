"""Row 6: an akimat cannot recover a small count by differencing filters (total minus every
other category), and a cell shows the same value however it is reached."""

import csv
import io
from datetime import UTC, date, datetime

import pytest

from portal.auth.models import AKIMAT, INSPECTOR
from portal.candidates.models import CANDIDATE_STATUSES
from portal.extensions import db
from portal.placements.models import Placement
from portal.stats.suppression import BASE, FEWER_THAN
from tests.helpers import district, sign_in, translated
from tests.stats.dataset import YEAR

Q1 = f"period=quarter&on={YEAR}-02-15"
STARTED = "Placements started in the period"
RELEASED, ON_PROBATION = 12, 1


@pytest.fixture
def hires(make_employer, make_vacancy, make_candidate):
    """Q1 of YEAR in Сарыарқа (Astana): 12 released people and 1 on probation start work."""
    vacancy = make_vacancy(make_employer(district_kato="711310000"), places=50)
    people = [make_candidate() for _ in range(RELEASED)]
    people += [make_candidate(status="probation") for _ in range(ON_PROBATION)]
    for person in people:
        db.session.add(
            Placement(
                candidate_id=person.id,
                vacancy_id=vacancy.id,
                state="hired",
                hired_on=date(YEAR, 2, 1),
                proposed_at=datetime(YEAR, 1, 10, 6, tzinfo=UTC),
            )
        )
    db.session.commit()


def started(app, client, query: str):
    """The "started" figure of the summary, as the signed-in user's CSV export gives it."""
    body = client.get(f"/stats/export.csv?{Q1}&{query}").data.decode("utf-8-sig")
    label = translated(app, STARTED)
    for row in csv.reader(io.StringIO(body)):
        if row and row[0] == label and len(row) == 2:
            return int(row[1]) if row[1].isdigit() else row[1]
    raise AssertionError(f"no {STARTED!r} row in the export")


def test_total_minus_every_other_status_does_not_give_the_small_count(
    app, client, make_user, hires
):
    sign_in(client, make_user(AKIMAT))
    total = started(app, client, "")
    by_status = {status: started(app, client, f"status={status}") for status in CANDIDATE_STATUSES}
    assert by_status["probation"] == translated(app, FEWER_THAN)
    others = [value for status, value in by_status.items() if status != "probation"]
    assert all(isinstance(value, int) and value % BASE == 0 for value in [total, *others])
    recovered = total - sum(others)
    assert recovered != ON_PROBATION and recovered % BASE == 0
    # Asking again, or through the export in another language, shows the same numbers.
    assert started(app, client, "") == total
    assert started(app, client, "status=released") == by_status["released"]


def test_a_cell_shows_the_same_value_by_any_path(app, client, make_user, hires):
    """Сарыарқа's started count: the district filter's summary and the district table's row
    are one cell, so they cannot be two independent roundings to average."""
    sign_in(client, make_user(AKIMAT))
    place = district("711310000")
    filtered = started(app, client, f"district={place.id}")
    body = client.get(f"/stats/export.csv?{Q1}").data.decode("utf-8-sig")
    rows = [row for row in csv.reader(io.StringIO(body)) if row and row[0] == place.name_kk]
    assert rows and int(rows[0][1]) == filtered
    assert filtered % BASE == 0 and filtered in (10, 15)  # 13, rounded one way for good


def test_inspectors_keep_exact_numbers(app, client, make_user, hires):
    sign_in(client, make_user(INSPECTOR))
    assert started(app, client, "") == RELEASED + ON_PROBATION
    assert started(app, client, "status=probation") == ON_PROBATION
