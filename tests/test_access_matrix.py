"""Every route × every role (and anonymous): who gets in, who is refused.

Each rule of the URL map must appear in ROUTES, so a new route without an entry fails here.
Later issues add their routes to ROUTES. Expected outcomes: "ok" (2xx or a redirect that is not
the login page), "login" (redirect to the login page), 403, 404.
"""
import pytest

from portal.auth.models import ADMIN, AKIMAT, EMPLOYER, INSPECTOR
from tests.conftest import login

ROLES = ("anonymous", ADMIN, INSPECTOR, EMPLOYER, AKIMAT)
EVERYONE = dict.fromkeys(ROLES, "ok")
SIGNED_IN = {**dict.fromkeys(ROLES, "ok"), "anonymous": "login"}
ADMIN_ONLY = {"anonymous": "login", ADMIN: "ok", INSPECTOR: 403, EMPLOYER: 403, AKIMAT: 403}
CASEWORK = {"anonymous": "login", ADMIN: "ok", INSPECTOR: "ok", EMPLOYER: 403, AKIMAT: 403}
STAFF = {"anonymous": "login", ADMIN: "ok", INSPECTOR: "ok", EMPLOYER: 403, AKIMAT: "ok"}

# (method, url rule, path with ids filled in, expected by role). `{user}` is another user's id.
ROUTES = [
    ("GET", "/", "/", EVERYONE),
    ("GET", "/healthz", "/healthz", EVERYONE),
    ("POST", "/language", "/language", EVERYONE),
    ("GET", "/auth/login", "/auth/login", EVERYONE),
    ("POST", "/auth/login", "/auth/login", EVERYONE),
    ("POST", "/auth/logout", "/auth/logout", SIGNED_IN),
    ("GET", "/auth/account", "/auth/account", SIGNED_IN),
    ("POST", "/auth/account/password", "/auth/account/password", SIGNED_IN),
    ("GET", "/admin/users", "/admin/users", ADMIN_ONLY),
    ("GET", "/admin/users/new", "/admin/users/new", ADMIN_ONLY),
    ("POST", "/admin/users/new", "/admin/users/new", ADMIN_ONLY),
    ("GET", "/admin/users/<int:user_id>/edit", "/admin/users/{user}/edit", ADMIN_ONLY),
    ("POST", "/admin/users/<int:user_id>/edit", "/admin/users/{user}/edit", ADMIN_ONLY),
    ("GET", "/admin/users/<int:user_id>/disable", "/admin/users/{user}/disable", ADMIN_ONLY),
    ("POST", "/admin/users/<int:user_id>/disable", "/admin/users/{user}/disable", ADMIN_ONLY),
    ("POST", "/admin/users/<int:user_id>/enable", "/admin/users/{user}/enable", ADMIN_ONLY),
    ("POST", "/admin/users/<int:user_id>/password", "/admin/users/{user}/password", ADMIN_ONLY),
    ("GET", "/admin/audit", "/admin/audit", ADMIN_ONLY),
    ("GET", "/reference/occupations", "/reference/occupations", SIGNED_IN),
    ("GET", "/reference/territories", "/reference/territories", SIGNED_IN),
    ("GET", "/search/vacancies", "/search/vacancies?q=швея", SIGNED_IN),
    ("GET", "/search/vacancies/suggest", "/search/vacancies/suggest?q=шв", SIGNED_IN),
    ("GET", "/search/candidates", "/search/candidates?q=тігінші", CASEWORK),
    ("GET", "/search/candidates/suggest", "/search/candidates/suggest?q=ті", CASEWORK),
    ("GET", "/search/employers", "/search/employers?q=Еңбек", STAFF),
    ("GET", "/search/employers/suggest", "/search/employers/suggest?q=ең", STAFF),
]


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
    if response.status_code in (403, 404):
        return response.status_code
    if response.status_code == 405:
        return 405
    return "ok" if response.status_code < 500 else response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, make_user, role):
    other = make_user(INSPECTOR)
    user = None if role == "anonymous" else make_user(role)
    client = app.test_client()
    results, expected = {}, {}
    for method, rule, path, by_role in ROUTES:
        if user is not None:
            with client.session_transaction() as session:
                signed_in = "_user_id" in session
            if not signed_in:  # the first route, or after the logout route
                login(client, user)
        response = client.open(path.format(user=other.id), method=method, data={})
        results[f"{method} {rule}"] = outcome(response)
        expected[f"{method} {rule}"] = by_role[role]
    assert results == expected
