"""Schemathesis against the served OpenAPI document, on SQLite and PostgreSQL: no 500, and
every answer (status, media type, headers, body) as the document describes it."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from portal.auth.models import ADMIN, INSPECTOR
from portal.placements import lifecycle
from tests.helpers import TEST_TODAY

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def token(app, make_user, make_vacancy, make_candidate, issue_token):
    """An administrator's token, and rows for the ids to find (the first of each table)."""
    vacancy = make_vacancy()
    inspector = make_user(INSPECTOR)
    lifecycle.propose(make_candidate().id, vacancy.id, inspector, TEST_TODAY)
    return issue_token(make_user(ADMIN))


def test_the_api_keeps_its_document(app, token):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 15

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=20,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def keeps(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        keeps()
