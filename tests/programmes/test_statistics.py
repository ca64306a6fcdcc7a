"""The programmes' figures on the statistics dashboard: people with a programme and the steps
due in the period by service, against hand-built data; exact for inspectors, suppressed for
akimats as every other count."""

from datetime import timedelta

from portal.auth.models import AKIMAT, INSPECTOR
from portal.extensions import db
from portal.programmes.models import Programme, ProgrammeStep
from portal.stats import tables
from portal.stats.filters import Filters
from portal.stats.suppression import FEWER_THAN
from tests.helpers import KARAGANDA, page_text, sign_in, translated


def build(make_candidate, today, people: int, **fields):
    """`people` programmes, each with four steps due in the period: one done on time, one done
    late, one not possible (probation), one overdue (akimat); and one due after the period."""
    for _ in range(people):
        candidate = make_candidate(**fields)
        past = today - timedelta(days=10)
        programme = Programme(candidate_id=candidate.id, started_on=today - timedelta(days=30))
        programme.steps = [
            ProgrammeStep(
                title_ru="А", service_code="probation", due_on=past, state="done", done_on=past
            ),
            ProgrammeStep(
                title_ru="Б", service_code="probation", due_on=past, state="done", done_on=today
            ),
            ProgrammeStep(
                title_ru="В",
                service_code="probation",
                due_on=past,
                state="not_possible",
                reason="Нет",
            ),
            ProgrammeStep(title_ru="Г", service_code="akimat", due_on=past),
            ProgrammeStep(title_ru="Д", service_code="akimat", due_on=today + timedelta(days=90)),
        ]
        db.session.add(programme)
    db.session.commit()


def period(today) -> Filters:
    return Filters(today - timedelta(days=30), today + timedelta(days=30))


def test_the_inspector_sees_exact_counts_by_service(app, make_user, make_candidate, today):
    build(make_candidate, today, 2)
    build(make_candidate, today, 3, region_kato=KARAGANDA)  # another scope
    inspector = make_user(INSPECTOR)
    with app.test_request_context():
        people, services = tables.programme_tables(period(today), inspector, today)
    assert people.rows[0][1] == 2
    by_label = {row[0]: row[1:] for row in services.rows}
    # steps due, done, done on time, share on time, not possible, overdue
    assert list(by_label.values()) == [
        [6, 4, 2, 33.3, 2, 0],  # probation
        [2, 0, 0, 0.0, 0, 2],  # akimat
        [8, 4, 2, 25.0, 2, 2],  # total
    ]


def test_the_akimat_sees_small_counts_suppressed(app, make_user, make_candidate, today):
    build(make_candidate, today, 2)
    akimat = make_user(AKIMAT)
    with app.test_request_context():
        people, services = tables.programme_tables(period(today), akimat, today)
    assert people.rows[0][1] is FEWER_THAN
    for row in services.rows:
        assert all(cell == 0 or not isinstance(cell, int) or cell % 5 == 0 for cell in row[1:])
    assert FEWER_THAN in services.rows[0]


def test_the_dashboard_shows_the_tables_in_both_languages(app, make_user, make_candidate, today):
    build(make_candidate, today, 1)
    inspector = make_user(INSPECTOR)
    client = app.test_client()
    sign_in(client, inspector)
    for lang in ("kk", "ru"):
        inspector.locale = lang
        db.session.commit()
        html = page_text(client, "/stats/")
        assert translated(app, "People with a programme", lang) in html
        assert translated(app, "Programme steps due in the period, by service", lang) in html
