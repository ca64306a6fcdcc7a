"""The HTTP headers every response carries (OWASP ASVS V3.4), set in one after_request.

The Content-Security-Policy allows scripts, styles, fonts and connections from the portal
itself only: no inline script, no `on…` handler, no style attribute, no eval (htmx is
configured in base.html not to need them), so injected markup cannot run. Images may also be
`data:` URIs (Pico CSS draws its form controls' icons that way). No site may frame the portal.
"""

from flask import Flask, request
from flask_login import current_user

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
# Production is served over HTTPS only (README): browsers are told to keep to it for a year.
HSTS = "max-age=31536000; includeSubDomains"


def register(app: Flask) -> None:
    production = app.config["ENV_NAME"] == "production"

    @app.after_request
    def add_security_headers(response):
        present = {name.lower() for name in response.headers.keys()}  # a view's own stay
        response.headers.extend(
            [(name, value) for name, value in HEADERS.items() if name.lower() not in present]
        )
        if production:
            response.headers["Strict-Transport-Security"] = HSTS
        # A signed-in page shows personal data: no browser or proxy may keep a copy of it.
        if request.endpoint != "static" and current_user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
            response.vary.add("Cookie")
        return response
