"""The access matrix of the API: every endpoint × every role's token (and none), on ids of
another scope (Karaganda, another organisation): 404 where the role may use the endpoint,
403 where its pages refuse the role, 401 without a token. tests/test_access_matrix.py checks
that every API rule is listed here, and that a cookie session opens none of them."""

import pytest

from portal import clock
from portal.auth.models import ADMIN, AKIMAT, EMPLOYER, INSPECTOR
from portal.candidates.models import ActivityBan, Supervision
from portal.extensions import db
from portal.placements import lifecycle
from tests.helpers import KARAGANDA, region

ROLES = ("anonymous", ADMIN, INSPECTOR, EMPLOYER, AKIMAT)


def by_role(admin="ok", inspector=404, employer=404, akimat=404) -> dict:
    return {
        "anonymous": 401,
        ADMIN: admin,
        INSPECTOR: inspector,
        EMPLOYER: employer,
        AKIMAT: akimat,
    }


EVERY_ROLE = by_role(inspector="ok", employer="ok", akimat="ok")
STAFF_LIST = by_role(inspector="ok", employer=403, akimat="ok")
CASEWORK_LIST = by_role(inspector="ok", employer=403, akimat=403)
CASEWORK = by_role(employer=403, akimat=403)
SCOPED = by_role()
EMPLOYER_STEP = by_role(inspector=403, akimat=403)
EITHER_STEP = by_role(akimat=403)
OWN_VACANCY_WRITE = by_role(admin=403, inspector=403, akimat=403)  # an employer: 404

# (method, rule, path, expected). {vacancy}, {employer}, {candidate}, {placement}: Karaganda's.
API_ROUTES = [
    ("GET", "/api/v1/vacancies/", "/api/v1/vacancies/", EVERY_ROLE),
    (
        "POST",
        "/api/v1/vacancies/",
        "/api/v1/vacancies/",
        by_role(admin=403, inspector=403, employer="ok", akimat=403),
    ),
    ("GET", "/api/v1/vacancies/<int:vacancy_id>", "/api/v1/vacancies/{vacancy}", SCOPED),
    (
        "PATCH",
        "/api/v1/vacancies/<int:vacancy_id>",
        "/api/v1/vacancies/{vacancy}",
        OWN_VACANCY_WRITE,
    ),
    *[
        (
            "POST",
            f"/api/v1/vacancies/<int:vacancy_id>/{step}",
            f"/api/v1/vacancies/{{vacancy}}/{step}",
            OWN_VACANCY_WRITE,
        )
        for step in ("publish", "close", "reopen")
    ],
    (
        "GET",
        "/api/v1/vacancies/<int:vacancy_id>/eligible",
        "/api/v1/vacancies/{vacancy}/eligible",
        CASEWORK,
    ),
    (
        "GET",
        "/api/v1/vacancies/<int:vacancy_id>/excluded",
        "/api/v1/vacancies/{vacancy}/excluded",
        CASEWORK,
    ),
    *[
        (
            method,
            f"/api/v1/candidates/<int:candidate_id>/{section}",
            f"/api/v1/candidates/{{candidate}}/{section}",
            CASEWORK,
        )
        for method, section in (
            ("GET", "bans"),
            ("POST", "bans"),
            ("GET", "supervision"),
            ("PUT", "supervision"),
            ("DELETE", "supervision"),
            ("GET", "consent"),
            ("POST", "consent/grant"),
            ("POST", "consent/withdraw"),
            ("PUT", "trades"),
        )
    ],
    (
        "DELETE",
        "/api/v1/candidates/<int:candidate_id>/bans/<int:ban_id>",
        "/api/v1/candidates/{candidate}/bans/{ban}",
        CASEWORK,
    ),
    ("GET", "/api/v1/employers/", "/api/v1/employers/", STAFF_LIST),
    ("GET", "/api/v1/employers/<int:employer_id>", "/api/v1/employers/{employer}", SCOPED),
    ("GET", "/api/v1/candidates/", "/api/v1/candidates/", CASEWORK_LIST),
    ("POST", "/api/v1/candidates/", "/api/v1/candidates/", CASEWORK_LIST),
    ("GET", "/api/v1/candidates/<int:candidate_id>", "/api/v1/candidates/{candidate}", CASEWORK),
    ("PATCH", "/api/v1/candidates/<int:candidate_id>", "/api/v1/candidates/{candidate}", CASEWORK),
    (
        "POST",
        "/api/v1/candidates/<int:candidate_id>/offences",
        "/api/v1/candidates/{candidate}/offences",
        CASEWORK,
    ),
    (
        "PUT",
        "/api/v1/candidates/<int:candidate_id>/offences/recorded",
        "/api/v1/candidates/{candidate}/offences/recorded",
        CASEWORK,
    ),
    (
        "GET",
        "/api/v1/candidates/<int:candidate_id>/vacancies",
        "/api/v1/candidates/{candidate}/vacancies",
        CASEWORK,
    ),
    (
        "GET",
        "/api/v1/placements/",
        "/api/v1/placements/",
        by_role(inspector="ok", employer="ok", akimat=403),
    ),
    ("POST", "/api/v1/placements/", "/api/v1/placements/", CASEWORK),
    (
        "GET",
        "/api/v1/placements/<int:placement_id>",
        "/api/v1/placements/{placement}",
        by_role(akimat=403),
    ),
    *[
        (
            "POST",
            f"/api/v1/placements/<int:placement_id>/{step}",
            f"/api/v1/placements/{{placement}}/{step}",
            expected,
        )
        for step, expected in (
            ("interview", EMPLOYER_STEP),
            ("move_interview", EMPLOYER_STEP),
            ("cancel_interview", EMPLOYER_STEP),
            ("note", CASEWORK),
            ("decline", EMPLOYER_STEP),
            ("hire", EITHER_STEP),
            ("end", EITHER_STEP),
            ("withdraw", CASEWORK),
        )
    ],
    ("GET", "/api/v1/stats/", "/api/v1/stats/", STAFF_LIST),
]


def outcome(response) -> str | int:
    """401, 403 and 404 as such; anything else under 500 got past the access checks."""
    if response.status_code in (401, 403, 404):
        return response.status_code
    return "ok" if response.status_code < 500 else response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_api_access_matrix(
    app, make_user, make_employer, make_vacancy, make_candidate, api_as, role
):
    karaganda = make_employer(district_kato="351010000")
    vacancy = make_vacancy(karaganda)
    candidate = make_candidate(region_kato=KARAGANDA)
    inspector_there = make_user(INSPECTOR, region_id=region(KARAGANDA).id)
    placement = lifecycle.propose(candidate.id, vacancy.id, inspector_there, clock.today())
    ban = ActivityBan(activity_code="work_with_minors", until=None)
    candidate.activity_bans.append(ban)
    candidate.supervision = Supervision(no_alcohol=True)
    db.session.commit()
    ids = {
        "ban": ban.id,
        "vacancy": vacancy.id,
        "employer": karaganda.id,
        "candidate": candidate.id,
        "placement": placement.id,
    }
    if role == "anonymous":
        client = app.test_client()
    else:
        client = api_as(make_user(role))
    body = {"candidate_id": candidate.id, "vacancy_id": vacancy.id}
    results, expected = {}, {}
    for method, rule, path, roles in API_ROUTES:
        response = client.open(
            path.format(**ids), method=method, json=body if method != "GET" else None
        )
        results[f"{method} {rule}"] = outcome(response)
        expected[f"{method} {rule}"] = roles[role]
        assert response.headers["Content-Type"].startswith("application/")
    assert results == expected
