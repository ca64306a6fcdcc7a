"""Flask's signed cookie session, read at less cost on every page.

Flask builds the cookie's serializer at every request and checks the cookie's signature and
unpacks it (HMAC, base64, zlib, JSON) at every request: 10 % of a kept page's time under
gunicorn (py-spy). Here the serializer is built once per key, and a cookie already verified
with the current keys is taken from a small per-worker table instead of being verified again,
while it is younger than the session's lifetime, as itsdangerous would check.

Only a cookie whose values are all plain (text, numbers, true/false) is kept, so that the
session a request changes is its own copy and never the table's.
"""

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer

from portal import clock

_PLAIN = (str, int, float, bool, type(None))


class SignedCookieSessions(SecureCookieSessionInterface):
    def __init__(self, size: int = 2048) -> None:
        self._serializers: dict[tuple, URLSafeTimedSerializer | None] = {}
        # (keys, cookie) → (its values, when it was signed, seconds since the epoch)
        self._verified: dict[tuple, tuple[dict, float]] = {}
        self._size = size

    @staticmethod
    def _keys(app: Flask) -> tuple:
        return (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = self._keys(app)
        if keys not in self._serializers:
            self._serializers[keys] = super().get_signing_serializer(app)
        return self._serializers[keys]

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        entry = (self._keys(app), cookie)
        kept = self._verified.get(entry)
        if kept is not None and 0 <= clock.timestamp() - kept[1] <= max_age:
            return self.session_class(kept[0])  # a copy: the table's values stay as signed
        try:
            data, signed = serializer.loads(cookie, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if all(isinstance(value, _PLAIN) for value in data.values()):
            if len(self._verified) >= self._size:
                self._verified.clear()
            self._verified[entry] = (dict(data), signed.timestamp())
        return self.session_class(data)
