"""Row 8: every response carries the security headers; signed-in pages are never stored."""

from portal.auth.models import INSPECTOR
from tests.helpers import sign_in


def test_the_sign_in_page_cannot_be_framed_and_allows_no_inline_script(client):
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp and "style-src 'self'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # development is plain HTTP
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_no_page_has_an_inline_script_or_handler(client, make_user):
    """What the policy would block: a <script> without src, an on… attribute, a style attribute."""
    sign_in(client, make_user("employer"))
    for path in ("/", "/auth/login", "/employers/vacancies/new", "/search/vacancies"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html and " onkeydown=" not in html and " onclick=" not in html
        assert " style=" not in html and "hx-on" not in html


def test_errors_and_static_files_carry_them_too(client):
    assert client.get("/no/such/page").headers["X-Frame-Options"] == "DENY"
    with client.get("/static/portal.js") as response:
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_production_adds_hsts(make_app):
    response = make_app(ENV_NAME="production").test_client().get("/auth/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_a_signed_in_page_is_not_stored(client, make_user):
    sign_in(client, make_user(INSPECTOR))
    response = client.get("/candidates/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    with client.get("/static/portal.css") as response:
        assert "no-store" not in response.headers.get("Cache-Control", "")
