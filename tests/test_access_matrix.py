"""Every route × every role (and anonymous): who gets in, who is refused.

Each rule of the URL map must appear in ROUTES, so a new route without an entry fails here.
Later issues add their routes to ROUTES. Expected outcomes: "ok" (2xx or a redirect that is not
the login page), "login" (redirect to the login page), 403, 404.
"""

import pytest
import sqlalchemy as sa

from portal import clock
from portal.api import tokens
from portal.auth.models import ADMIN, AKIMAT, EMPLOYER, INSPECTOR
from portal.candidates.models import ActivityBan, Offence, Supervision
from portal.extensions import db
from portal.imports.models import ImportJob
from portal.notifications.notify import notify
from portal.placements import lifecycle
from portal.programmes.models import Programme, ProgrammeStep
from portal.reference.models import CriminalArticle
from tests.api.test_access import API_ROUTES
from tests.helpers import KARAGANDA, institution, region, sign_in
from tests.productions import dataset

ROLES = ("anonymous", ADMIN, INSPECTOR, EMPLOYER, AKIMAT)
EVERYONE = dict.fromkeys(ROLES, "ok")
SIGNED_IN = {**dict.fromkeys(ROLES, "ok"), "anonymous": "login"}
ADMIN_ONLY = {"anonymous": "login", ADMIN: "ok", INSPECTOR: 403, EMPLOYER: 403, AKIMAT: 403}
STAFF = {"anonymous": "login", ADMIN: "ok", INSPECTOR: "ok", EMPLOYER: 403, AKIMAT: "ok"}
EMPLOYER_ONLY = {"anonymous": "login", ADMIN: 403, INSPECTOR: 403, EMPLOYER: "ok", AKIMAT: 403}
# On another organisation's `{employer}` / `{vacancy}` (in the staff users' region): an employer
# user gets 404 there, never 403, so ids of other organisations reveal nothing.
OTHER_ORG_READ = {**STAFF, EMPLOYER: 404}
OTHER_ORG_EDIT = {"anonymous": "login", ADMIN: "ok", INSPECTOR: 403, EMPLOYER: 404, AKIMAT: 403}
OTHER_ORG_DECIDE = {"anonymous": "login", ADMIN: "ok", INSPECTOR: "ok", EMPLOYER: 403, AKIMAT: 403}
OTHER_VACANCY_WRITE = {**EMPLOYER_ONLY, EMPLOYER: 404}
# Candidate records and matching: inspectors (of the record's scope) and administrators only.
CASEWORK = {"anonymous": "login", ADMIN: "ok", INSPECTOR: "ok", EMPLOYER: 403, AKIMAT: 403}
# Placements: `{placement}` is a proposal of a candidate of the staff users' region to `{vacancy}`.
INSPECTION = CASEWORK
EMPLOYER_DECISION = {"anonymous": "login", ADMIN: "ok", INSPECTOR: 403, EMPLOYER: 404, AKIMAT: 403}
EITHER_SIDE = {**INSPECTION, EMPLOYER: 404}
# Another user's `{notification}`: nobody but its recipient finds it.
NOT_OWN = {**dict.fromkeys(ROLES, 404), "anonymous": "login"}
# Another user's `{import_job}`: only its uploader sees it (an administrator neither).
OTHERS_IMPORT = {**CASEWORK, ADMIN: 404, INSPECTOR: 404}
QUOTA_SETTING = {"anonymous": "login", ADMIN: "ok", INSPECTOR: 403, EMPLOYER: 403, AKIMAT: "ok"}

# (method, url rule, path with ids filled in, expected by role). `{user}` is another user's id;
# `{employer}`: another organisation (approved, in Astana like the staff users); `{vacancy}`: its
# vacancy; `{placement}`: a proposal to that vacancy; `{candidate}`: a record in Astana (the
# inspector users' region) with `{offence}` and `{ban}`.
ROUTES = [
    ("GET", "/", "/", EVERYONE),
    ("GET", "/healthz", "/healthz", EVERYONE),
    ("POST", "/language", "/language", EVERYONE),
    ("GET", "/auth/login", "/auth/login", EVERYONE),
    ("POST", "/auth/login", "/auth/login", EVERYONE),
    ("POST", "/auth/logout", "/auth/logout", SIGNED_IN),
    ("GET", "/auth/account", "/auth/account", SIGNED_IN),
    ("POST", "/auth/session/keep-alive", "/auth/session/keep-alive", SIGNED_IN),
    ("POST", "/auth/account/password", "/auth/account/password", SIGNED_IN),
    ("GET", "/auth/account/sign-out-everywhere", "/auth/account/sign-out-everywhere", SIGNED_IN),
    ("POST", "/auth/account/sign-out-everywhere", "/auth/account/sign-out-everywhere", SIGNED_IN),
    # The second factor's pages answer anyone: those not half-signed-in go back to the login
    # page; signed-in users may enrol. Giving a factor up: only the roles it is optional for,
    # and only with one (none of these users has).
    ("GET", "/auth/second-factor", "/auth/second-factor", EVERYONE),
    ("POST", "/auth/second-factor", "/auth/second-factor", EVERYONE),
    ("GET", "/auth/second-factor/enrol", "/auth/second-factor/enrol", EVERYONE),
    ("POST", "/auth/second-factor/enrol", "/auth/second-factor/enrol", EVERYONE),
    (
        "POST",
        "/auth/account/second-factor/remove",
        "/auth/account/second-factor/remove",
        {**dict.fromkeys(ROLES, 403), "anonymous": "login"},
    ),
    ("GET", "/admin/users", "/admin/users", ADMIN_ONLY),
    ("GET", "/admin/users/new", "/admin/users/new", ADMIN_ONLY),
    ("POST", "/admin/users/new", "/admin/users/new", ADMIN_ONLY),
    ("GET", "/admin/users/<int:user_id>/edit", "/admin/users/{user}/edit", ADMIN_ONLY),
    ("POST", "/admin/users/<int:user_id>/edit", "/admin/users/{user}/edit", ADMIN_ONLY),
    ("GET", "/admin/users/<int:user_id>/disable", "/admin/users/{user}/disable", ADMIN_ONLY),
    ("POST", "/admin/users/<int:user_id>/disable", "/admin/users/{user}/disable", ADMIN_ONLY),
    ("POST", "/admin/users/<int:user_id>/enable", "/admin/users/{user}/enable", ADMIN_ONLY),
    ("POST", "/admin/users/<int:user_id>/password", "/admin/users/{user}/password", ADMIN_ONLY),
    (
        "GET",
        "/admin/users/<int:user_id>/second-factor/reset",
        "/admin/users/{user}/second-factor/reset",
        ADMIN_ONLY,
    ),
    (
        "POST",
        "/admin/users/<int:user_id>/second-factor/reset",
        "/admin/users/{user}/second-factor/reset",
        ADMIN_ONLY,
    ),
    ("GET", "/admin/audit", "/admin/audit", ADMIN_ONLY),
    ("GET", "/admin/audit.csv", "/admin/audit.csv", ADMIN_ONLY),
    ("GET", "/admin/tokens/", "/admin/tokens/", ADMIN_ONLY),
    ("POST", "/admin/tokens/", "/admin/tokens/", ADMIN_ONLY),
    ("POST", "/admin/tokens/<int:token_id>/revoke", "/admin/tokens/{token}/revoke", ADMIN_ONLY),
    ("GET", "/api/v1/openapi.json", "/api/v1/openapi.json", EVERYONE),
    ("GET", "/api/v1/docs/", "/api/v1/docs/", EVERYONE),
    (
        "GET",
        "/api/v1/docs/swagger-ui/<path:filename>",
        "/api/v1/docs/swagger-ui/swagger-ui-bundle.js",
        EVERYONE,
    ),
    ("GET", "/api/v1/docs/portal/<path:filename>", "/api/v1/docs/portal/docs.js", EVERYONE),
    ("GET", "/reference/occupations", "/reference/occupations", SIGNED_IN),
    ("GET", "/reference/territories", "/reference/territories", SIGNED_IN),
    ("GET", "/reference/criminal-code", "/reference/criminal-code", CASEWORK),
    ("GET", "/reference/criminal-code/new", "/reference/criminal-code/new", ADMIN_ONLY),
    ("POST", "/reference/criminal-code/new", "/reference/criminal-code/new", ADMIN_ONLY),
    (
        "GET",
        "/reference/criminal-code/<int:entry_id>/edit",
        "/reference/criminal-code/{article}/edit",
        ADMIN_ONLY,
    ),
    (
        "POST",
        "/reference/criminal-code/<int:entry_id>/edit",
        "/reference/criminal-code/{article}/edit",
        ADMIN_ONLY,
    ),
    (
        "GET",
        "/reference/<kind>/<int:row_id>/names",
        "/reference/institution/{institution}/names",
        ADMIN_ONLY,
    ),
    (
        "POST",
        "/reference/<kind>/<int:row_id>/names",
        "/reference/institution/{institution}/names",
        ADMIN_ONLY,
    ),
    ("GET", "/reference/<kind>/new", "/reference/district/new", ADMIN_ONLY),
    ("POST", "/reference/<kind>/new", "/reference/occupation/new", ADMIN_ONLY),
    (
        "GET",
        "/reference/<kind>/<int:row_id>/retire",
        "/reference/institution/{institution}/retire",
        ADMIN_ONLY,
    ),
    (
        "POST",
        "/reference/<kind>/<int:row_id>/retire",
        "/reference/criminal-article/{article}/retire",
        ADMIN_ONLY,
    ),
    (
        "POST",
        "/reference/<kind>/<int:row_id>/restore",
        "/reference/institution/{institution}/restore",
        ADMIN_ONLY,
    ),
    ("GET", "/reference/legal-basis", "/reference/legal-basis", ADMIN_ONLY),
    ("GET", "/reference/legal-basis/<key>", "/reference/legal-basis/art26", ADMIN_ONLY),
    ("POST", "/reference/legal-basis/<key>", "/reference/legal-basis/art26", ADMIN_ONLY),
    ("GET", "/employers/register", "/employers/register", EVERYONE),
    ("POST", "/employers/register", "/employers/register", EVERYONE),
    ("GET", "/employers/", "/employers/", STAFF),
    ("GET", "/employers/<int:employer_id>", "/employers/{employer}", OTHER_ORG_READ),
    ("GET", "/employers/<int:employer_id>/edit", "/employers/{employer}/edit", OTHER_ORG_EDIT),
    ("POST", "/employers/<int:employer_id>/edit", "/employers/{employer}/edit", OTHER_ORG_EDIT),
    (
        "POST",
        "/employers/<int:employer_id>/approve",
        "/employers/{employer}/approve",
        OTHER_ORG_DECIDE,
    ),
    (
        "POST",
        "/employers/<int:employer_id>/reject",
        "/employers/{employer}/reject",
        OTHER_ORG_DECIDE,
    ),
    ("GET", "/employers/vacancies", "/employers/vacancies", SIGNED_IN),
    ("GET", "/employers/vacancies/new", "/employers/vacancies/new", EMPLOYER_ONLY),
    ("POST", "/employers/vacancies/new", "/employers/vacancies/new", EMPLOYER_ONLY),
    (
        "GET",
        "/employers/vacancies/<int:vacancy_id>",
        "/employers/vacancies/{vacancy}",
        OTHER_ORG_READ,
    ),
    (
        "GET",
        "/employers/vacancies/<int:vacancy_id>/edit",
        "/employers/vacancies/{vacancy}/edit",
        OTHER_VACANCY_WRITE,
    ),
    (
        "POST",
        "/employers/vacancies/<int:vacancy_id>/edit",
        "/employers/vacancies/{vacancy}/edit",
        OTHER_VACANCY_WRITE,
    ),
    (
        "POST",
        "/employers/vacancies/<int:vacancy_id>/publish",
        "/employers/vacancies/{vacancy}/publish",
        OTHER_VACANCY_WRITE,
    ),
    (
        "POST",
        "/employers/vacancies/<int:vacancy_id>/close",
        "/employers/vacancies/{vacancy}/close",
        OTHER_VACANCY_WRITE,
    ),
    (
        "POST",
        "/employers/vacancies/<int:vacancy_id>/reopen",
        "/employers/vacancies/{vacancy}/reopen",
        OTHER_VACANCY_WRITE,
    ),
    (
        "GET",
        "/employers/vacancies/rule-choices",
        "/employers/vacancies/rule-choices?occupation_id=1&shift_start=22:00&shift_end=06:00",
        EMPLOYER_ONLY,
    ),
    (
        "GET",
        "/employers/occupations/suggest",
        "/employers/occupations/suggest?occupation_q=швея",
        SIGNED_IN,
    ),
    ("GET", "/matching/vacancies/<int:vacancy_id>", "/matching/vacancies/{vacancy}", CASEWORK),
    (
        "POST",
        "/matching/vacancies/<int:vacancy_id>/propose",
        "/matching/vacancies/{vacancy}/propose",
        CASEWORK,
    ),
    (
        "GET",
        "/matching/candidates/<int:candidate_id>",
        "/matching/candidates/{candidate}",
        CASEWORK,
    ),
    (
        "GET",
        "/matching/candidates/<int:candidate_id>/sheet",
        "/matching/candidates/{candidate}/sheet",
        CASEWORK,
    ),
    (
        "GET",
        "/placements/vacancies/<int:vacancy_id>",
        "/placements/vacancies/{vacancy}",
        EMPLOYER_DECISION,
    ),
    (
        "POST",
        "/placements/<int:placement_id>/interview",
        "/placements/{placement}/interview",
        EMPLOYER_DECISION,
    ),
    (
        "POST",
        "/placements/<int:placement_id>/decline",
        "/placements/{placement}/decline",
        EMPLOYER_DECISION,
    ),
    *[
        ("POST", f"/placements/<int:placement_id>/interview/{step}", path, EMPLOYER_DECISION)
        for step, path in (
            ("move", "/placements/{placement}/interview/move"),
            ("cancel", "/placements/{placement}/interview/cancel"),
        )
    ],
    ("POST", "/placements/<int:placement_id>/note", "/placements/{placement}/note", INSPECTION),
    ("POST", "/placements/<int:placement_id>/hire", "/placements/{placement}/hire", EITHER_SIDE),
    ("POST", "/placements/<int:placement_id>/end", "/placements/{placement}/end", EITHER_SIDE),
    (
        "POST",
        "/placements/<int:placement_id>/withdraw",
        "/placements/{placement}/withdraw",
        INSPECTION,
    ),
    ("GET", "/placements/", "/placements/", INSPECTION),
    ("GET", "/placements/<int:placement_id>", "/placements/{placement}", INSPECTION),
    ("GET", "/placements/follow-up", "/placements/follow-up", INSPECTION),
    (
        "POST",
        "/placements/<int:placement_id>/workplace-checks",
        "/placements/{placement}/workplace-checks",
        INSPECTION,
    ),
    (
        "POST",
        "/placements/<int:placement_id>/follow-up",
        "/placements/{placement}/follow-up",
        INSPECTION,
    ),
    ("GET", "/placements/quotas", "/placements/quotas", QUOTA_SETTING),
    ("GET", "/placements/quotas/<int:employer_id>", "/placements/quotas/{employer}", QUOTA_SETTING),
    (
        "POST",
        "/placements/quotas/<int:employer_id>",
        "/placements/quotas/{employer}",
        QUOTA_SETTING,
    ),
    ("GET", "/search/vacancies", "/search/vacancies?q=швея", SIGNED_IN),
    ("GET", "/search/vacancies/suggest", "/search/vacancies/suggest?q=шв", SIGNED_IN),
    ("GET", "/search/candidates", "/search/candidates?q=тігінші", CASEWORK),
    ("GET", "/search/candidates/suggest", "/search/candidates/suggest?q=ті", CASEWORK),
    ("GET", "/search/employers", "/search/employers?q=Еңбек", STAFF),
    ("GET", "/search/employers/suggest", "/search/employers/suggest?q=ең", STAFF),
    ("GET", "/stats/", "/stats/", STAFF),
    ("GET", "/stats/placements", "/stats/placements?measure=started", CASEWORK),
    ("GET", "/stats/people", "/stats/people?measure=able", CASEWORK),
    ("GET", "/stats/vacancies", "/stats/vacancies?code=7", CASEWORK),
    ("GET", "/stats/export.csv", "/stats/export.csv", STAFF),
    ("GET", "/stats/export.xlsx", "/stats/export.xlsx", STAFF),
    # Productions on institution land: kept by inspectors and administrators, the report read
    # by akimats too; `{production}` is at an Astana institution. Removal last: it deletes.
    ("GET", "/productions/", "/productions/", CASEWORK),
    ("GET", "/productions/new", "/productions/new", CASEWORK),
    ("POST", "/productions/new", "/productions/new", CASEWORK),
    ("GET", "/productions/<int:production_id>/edit", "/productions/{production}/edit", CASEWORK),
    ("POST", "/productions/<int:production_id>/edit", "/productions/{production}/edit", CASEWORK),
    ("GET", "/productions/report", "/productions/report", STAFF),
    ("GET", "/productions/report.csv", "/productions/report.csv", STAFF),
    ("GET", "/productions/report.xlsx", "/productions/report.xlsx", STAFF),
    (
        "GET",
        "/productions/<int:production_id>/delete",
        "/productions/{production}/delete",
        CASEWORK,
    ),
    (
        "POST",
        "/productions/<int:production_id>/delete",
        "/productions/{production}/delete",
        CASEWORK,
    ),
]
CANDIDATE_ROUTES = [
    ("GET", "/candidates/<int:candidate_id>", "/candidates/{candidate}"),
    ("GET", "/candidates/<int:candidate_id>/edit", "/candidates/{candidate}/edit"),
    ("POST", "/candidates/<int:candidate_id>/edit", "/candidates/{candidate}/edit"),
    ("GET", "/candidates/<int:candidate_id>/offences", "/candidates/{candidate}/offences"),
    ("POST", "/candidates/<int:candidate_id>/offences", "/candidates/{candidate}/offences"),
    (
        "POST",
        "/candidates/<int:candidate_id>/offences/recorded",
        "/candidates/{candidate}/offences/recorded",
    ),
    (
        "POST",
        "/candidates/<int:candidate_id>/offences/<int:offence_id>/seen",
        "/candidates/{candidate}/offences/{offence}/seen",
    ),
    (
        "GET",
        "/candidates/<int:candidate_id>/offences/<int:offence_id>/remove",
        "/candidates/{candidate}/offences/{offence}/remove",
    ),
    (
        "POST",
        "/candidates/<int:candidate_id>/offences/<int:offence_id>/remove",
        "/candidates/{candidate}/offences/{offence}/remove",
    ),
    ("GET", "/candidates/<int:candidate_id>/bans", "/candidates/{candidate}/bans"),
    ("POST", "/candidates/<int:candidate_id>/bans", "/candidates/{candidate}/bans"),
    (
        "GET",
        "/candidates/<int:candidate_id>/bans/<int:ban_id>/remove",
        "/candidates/{candidate}/bans/{ban}/remove",
    ),
    (
        "POST",
        "/candidates/<int:candidate_id>/bans/<int:ban_id>/remove",
        "/candidates/{candidate}/bans/{ban}/remove",
    ),
    ("GET", "/candidates/<int:candidate_id>/supervision", "/candidates/{candidate}/supervision"),
    ("POST", "/candidates/<int:candidate_id>/supervision", "/candidates/{candidate}/supervision"),
    (
        "GET",
        "/candidates/<int:candidate_id>/supervision/clear",
        "/candidates/{candidate}/supervision/clear",
    ),
    (
        "POST",
        "/candidates/<int:candidate_id>/supervision/clear",
        "/candidates/{candidate}/supervision/clear",
    ),
    (
        "GET",
        "/candidates/<int:candidate_id>/contraindications",
        "/candidates/{candidate}/contraindications",
    ),
    (
        "POST",
        "/candidates/<int:candidate_id>/contraindications",
        "/candidates/{candidate}/contraindications",
    ),
    ("GET", "/candidates/<int:candidate_id>/trades", "/candidates/{candidate}/trades"),
    ("POST", "/candidates/<int:candidate_id>/trades", "/candidates/{candidate}/trades"),
    ("GET", "/candidates/<int:candidate_id>/consent", "/candidates/{candidate}/consent"),
    (
        "POST",
        "/candidates/<int:candidate_id>/consent/grant",
        "/candidates/{candidate}/consent/grant",
    ),
    (
        "POST",
        "/candidates/<int:candidate_id>/consent/withdraw",
        "/candidates/{candidate}/consent/withdraw",
    ),
    # The record's programme (`{step}` one of its steps; removing it comes last).
    *[
        (
            method,
            f"/candidates/<int:candidate_id>/programme{rule}",
            f"/candidates/{{candidate}}/programme{path}",
        )
        for method, rule, path in (
            ("GET", "", ""),
            ("GET", "/start", "/start"),
            ("POST", "/start", "/start"),
            ("GET", "/assessment", "/assessment"),
            ("POST", "/assessment", "/assessment"),
            ("GET", "/steps/new", "/steps/new"),
            ("POST", "/steps/new", "/steps/new"),
            ("GET", "/steps/<int:step_id>", "/steps/{step}"),
            ("POST", "/steps/<int:step_id>", "/steps/{step}"),
            ("GET", "/steps/<int:step_id>/remove", "/steps/{step}/remove"),
            ("POST", "/steps/<int:step_id>/remove", "/steps/{step}/remove"),
        )
    ],
    ("GET", "/candidates/<int:candidate_id>/copy", "/candidates/{candidate}/copy"),
    ("GET", "/candidates/<int:candidate_id>/copy.json", "/candidates/{candidate}/copy.json"),
    ("GET", "/candidates/<int:candidate_id>/corrections", "/candidates/{candidate}/corrections"),
    ("POST", "/candidates/<int:candidate_id>/corrections", "/candidates/{candidate}/corrections"),
    ("GET", "/candidates/<int:candidate_id>/erase", "/candidates/{candidate}/erase"),
    ("POST", "/candidates/<int:candidate_id>/erase", "/candidates/{candidate}/erase"),
]
ROUTES += [
    ("GET", "/notifications/", "/notifications/", SIGNED_IN),
    ("GET", "/notifications/<int:notification_id>", "/notifications/{notification}", NOT_OWN),
    ("POST", "/notifications/read", "/notifications/read", SIGNED_IN),
    ("GET", "/notifications/settings", "/notifications/settings", SIGNED_IN),
    ("POST", "/notifications/settings", "/notifications/settings", SIGNED_IN),
]
ROUTES += [
    ("GET", "/candidates/", "/candidates/", CASEWORK),
    ("GET", "/candidates/regraded", "/candidates/regraded", CASEWORK),
    ("GET", "/candidates/retention", "/candidates/retention", CASEWORK),
    ("GET", "/candidates/new", "/candidates/new", CASEWORK),
    ("GET", "/imports/", "/imports/", CASEWORK),
    ("POST", "/imports/", "/imports/", CASEWORK),
    ("GET", "/imports/<int:job_id>", "/imports/{import_job}", OTHERS_IMPORT),
    ("POST", "/imports/<int:job_id>/confirm", "/imports/{import_job}/confirm", OTHERS_IMPORT),
    ("POST", "/imports/<int:job_id>/cancel", "/imports/{import_job}/cancel", OTHERS_IMPORT),
    ("GET", "/imports/template.<kind>", "/imports/template.xlsx", CASEWORK),
    ("POST", "/candidates/new", "/candidates/new", CASEWORK),
    *[(method, rule, path, CASEWORK) for method, rule, path in CANDIDATE_ROUTES],
]
# The API answers to tokens only (tests/api/test_access.py): a cookie session opens none of it.
NO_SESSION = dict.fromkeys(ROLES, 401)
ROUTES += [(method, rule, path, NO_SESSION) for method, rule, path, _roles in API_ROUTES]


@pytest.fixture
def astana_candidate(make_candidate):
    """A record with one row in every section, so that each sub-route has something to act on."""
    candidate = make_candidate(
        offences=[Offence(category_code="other", article="188")],
        activity_bans=[ActivityBan(activity_code="driving")],
        supervision=Supervision(no_alcohol=True),
    )
    step = ProgrammeStep(title_ru="Шаг", service_code="ngo", due_on=clock.today())
    db.session.add(Programme(candidate_id=candidate.id, started_on=clock.today(), steps=[step]))
    db.session.commit()
    return candidate


def programme_step(candidate) -> int:
    return db.session.scalar(
        sa.select(ProgrammeStep.id).join(Programme).where(Programme.candidate_id == candidate.id)
    )


def fill(path: str, user, candidate) -> str:
    return path.format(
        user=user.id,
        candidate=candidate.id,
        offence=candidate.offences[0].id,
        ban=candidate.activity_bans[0].id,
        step=programme_step(candidate),
    )


def test_every_route_is_in_the_matrix(app):
    listed = {(method, rule) for method, rule, _path, _expected in ROUTES}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if (method, rule.rule) not in listed:
                missing.append(f"{method} {rule.rule}")
    assert missing == [], "routes missing from the access matrix"


def outcome(response) -> str | int:
    if response.status_code in (301, 302, 303):
        # Flask-Login sends the refused visitor to the login page with ?next=.
        return "login" if "/auth/login?next=" in response.headers["Location"] else "ok"
    if response.status_code in (401, 403, 404):
        return response.status_code
    if response.status_code == 405:
        return 405
    return "ok" if response.status_code < 500 else response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, make_user, make_vacancy, make_candidate, astana_candidate, role):
    other = make_user(INSPECTOR)
    other_vacancy = make_vacancy()  # of an organisation that is not the employer user's
    placement = lifecycle.propose(make_candidate().id, other_vacancy.id, other, clock.today())
    (notice,) = notify([other], "proposal_expired", "placement", placement.id, {"candidate": "K"})
    job = ImportJob(user_id=other.id, state="checked", total_rows=0)
    db.session.add(job)
    db.session.commit()
    ids = {
        "notification": notice.id,
        "user": other.id,
        "employer": other_vacancy.employer_id,
        "vacancy": other_vacancy.id,
        "placement": placement.id,
        "candidate": astana_candidate.id,
        "offence": astana_candidate.offences[0].id,
        "ban": astana_candidate.activity_bans[0].id,
        "step": programme_step(astana_candidate),
        "article": db.session.scalar(sa.select(CriminalArticle.id).limit(1)),
        "token": tokens.issue(other, "matrix", clock.today(), other)[0].id,
        "institution": institution("ЕЦ-166/11").id,
        "production": dataset.site(other_vacancy.employer_id).id,
        "import_job": job.id,
    }
    user = None if role == "anonymous" else make_user(role)
    client = app.test_client()
    results, expected = {}, {}
    for method, rule, path, by_role in ROUTES:
        if user is not None:
            with client.session_transaction() as session:
                signed_in = "_user_id" in session
            if not signed_in:  # the first route, or after the logout route
                sign_in(client, user)
        response = client.open(path.format(**ids), method=method, data={})
        response.close()  # files (the API docs' scripts) are streamed
        results[f"{method} {rule}"] = outcome(response)
        expected[f"{method} {rule}"] = by_role[role]
    assert results == expected


@pytest.mark.parametrize("scope", ["other region", "other institution"])
def test_a_record_outside_the_inspectors_scope_is_not_found(
    app, make_user, astana_candidate, scope
):
    """Every route of a record gives 404 to an inspector of another region or institution."""
    if scope == "other region":
        inspector = make_user(INSPECTOR, region_id=region(KARAGANDA).id)
    else:
        inspector = make_user(INSPECTOR, institution_id=institution("ЕЦ-166/11").id)
    client = app.test_client()
    sign_in(client, inspector)
    results = {
        f"{method} {rule}": client.open(
            fill(path, inspector, astana_candidate), method=method, data={}
        ).status_code
        for method, rule, path in CANDIDATE_ROUTES
    }
    assert results == dict.fromkeys(results, 404)
    listing = client.get("/candidates/")
    assert listing.status_code == 200 and astana_candidate.code not in listing.get_data(
        as_text=True
    )
