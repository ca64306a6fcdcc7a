"""The audit log page: labels in the reader's language, objects as links, readable details,
filters, pages, a CSV export (never a formula), and every reading of it audited."""

import csv
import io
import pathlib
import re

import sqlalchemy as sa

from portal.admin.audit_log import ACTION_LABELS
from portal.auth.audit import record
from portal.auth.models import ADMIN, INSPECTOR, AuditEntry
from portal.extensions import db
from tests.helpers import page_text, sign_in, translated


def newest() -> AuditEntry:
    db.session.expire_all()
    return db.session.scalar(sa.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))


def test_the_log_reads_in_the_admins_language_with_links(app, client, make_user, make_candidate):
    admin = make_user(ADMIN, locale="ru")
    inspector = make_user(INSPECTOR, full_name="Инспектор Аудита")
    person = make_candidate()
    record("candidate_updated", person, user=inspector, changed={"phone": ["1", "2"]})
    record("candidates_listed", user=inspector, shown=[person.id], filters={"q": "Тест"})
    db.session.commit()
    sign_in(client, admin)
    html = page_text(client, "/admin/audit")
    assert translated(app, "Changed a record", "ru") in html
    assert ">candidate_updated<" not in html and "&#34;" not in html and "\\u" not in html
    assert f'href="/candidates/{person.id}"' in html
    assert f'href="/admin/users/{inspector.id}/edit"' in html
    # what was typed is marked as data, not words of the interface (translate="no")
    typed = '<code>{}</code>: <span translate="no">{}</span>'
    assert typed.format("phone", "1 → 2") in html and typed.format("q", "Тест") in html
    assert newest().action == "audit_viewed" and newest().user_id == admin.id


def test_the_filters(app, client, make_user, make_candidate, today):
    admin = make_user(ADMIN)
    one, two = make_user(INSPECTOR, full_name="Бірінші"), make_user(INSPECTOR, full_name="Екінші")
    person = make_candidate()
    record("candidate_viewed", person, user=one)
    record("login", user=two)
    db.session.commit()
    sign_in(client, admin)

    def actions(query: str) -> set[str]:
        page_text(client, f"/admin/audit?{query}")
        shown = newest().details["entries"]
        return {
            e.action
            for e in db.session.scalars(sa.select(AuditEntry).where(AuditEntry.id.in_(shown)))
        }

    assert actions("who=бірінші") == {"candidate_viewed"}
    assert actions(f"who={two.email}") == {"login"}
    assert actions("action=login") == {"login"}
    assert actions(f"object_type=candidate&object_id={person.id}") == {"candidate_viewed"}
    assert "candidate_viewed" in actions(f"start={today}&end={today}")
    assert actions("start=2000-01-01&end=2000-01-02") == set()
    assert page_text(client, "/admin/audit?start=0001-01-01&end=9999-12-31&object_id=abc")


def test_the_csv_export_is_escaped_and_audited(app, client, make_user):
    admin = make_user(ADMIN)
    record("login_failed", email='=HYPERLINK("http://x")')
    db.session.commit()
    sign_in(client, admin)
    response = client.get("/admin/audit.csv?action=login_failed")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][4] == "login_failed"
    assert rows[1][7].startswith(translated(app, "E-mail") + ": =HYPERLINK")  # inside a cell
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@"))]
    assert newest().action == "audit_exported" and newest().details["rows"] == 1
    assert newest().details["filters"] == {"action": "login_failed"}


def test_pages(app, client, make_user):
    admin = make_user(ADMIN)
    for _ in range(60):
        record("login", user=admin)
    db.session.commit()
    sign_in(client, admin)
    assert "page=2" in page_text(client, "/admin/audit?action=login")
    assert len(newest().details["entries"]) == 50
    page_text(client, "/admin/audit?action=login&page=2")
    assert len(newest().details["entries"]) == 10


# The actions named where they are written: record("…"), audit.read("…"), and the record
# sections' _replace(…, "…").
ACTION_WRITTEN = re.compile(r'\b(?:record|audit\.read)\(\s*"([a-z_]+)"|_replace\(.*"([a-z_]+)"\)')


def test_every_action_the_portal_records_has_a_label():
    """An action written anywhere in portal/ reads as words on the log page, not as its code."""
    found = set()
    for path in pathlib.Path("portal").rglob("*.py"):
        for match in ACTION_WRITTEN.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group(1) or match.group(2))
    assert {"login", "candidate_viewed", "trades_set"} <= found  # the scan still sees them
    assert sorted(a for a in found if a not in ACTION_LABELS) == []
