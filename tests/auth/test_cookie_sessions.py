"""The session cookie read once and then from the worker's table (auth/cookie_sessions.py) is
worth exactly what Flask's own reading would make of it: no longer, under no other key, and
never changed by what a request did to its session."""


def opened(app, cookie: str) -> dict:
    with app.test_request_context(headers={"Cookie": f"session={cookie}"}) as context:
        return dict(app.session_interface.open_session(app, context.request))


def test_what_a_request_changes_in_its_session_is_not_what_the_next_one_reads(app):
    cookie = app.session_interface.get_signing_serializer(app).dumps({"_user_id": "7:1"})
    with app.test_request_context(headers={"Cookie": f"session={cookie}"}) as context:
        first = app.session_interface.open_session(app, context.request)
        first["_user_id"] = "8:1"
        first["csrf_token"] = "changed"
    assert opened(app, cookie) == {"_user_id": "7:1"}


def test_a_cookie_read_before_is_refused_once_older_than_the_session_lifetime(app, frozen_clock):
    cookie = app.session_interface.get_signing_serializer(app).dumps({"_user_id": "7:1"})
    assert opened(app, cookie) == {"_user_id": "7:1"}  # verified now: kept
    frozen_clock.shift(app.permanent_session_lifetime.total_seconds() - 5)
    assert opened(app, cookie) == {"_user_id": "7:1"}
    frozen_clock.shift(10)
    assert opened(app, cookie) == {}


def test_a_cookie_read_before_is_refused_under_a_new_key_unless_the_old_is_a_fallback(app):
    cookie = app.session_interface.get_signing_serializer(app).dumps({"_user_id": "7:1"})
    assert opened(app, cookie) == {"_user_id": "7:1"}
    old = app.secret_key
    try:
        app.secret_key = "a-new-key"
        assert opened(app, cookie) == {}
        app.config["SECRET_KEY_FALLBACKS"] = [old]
        assert opened(app, cookie) == {"_user_id": "7:1"}
    finally:
        app.secret_key = old
        app.config["SECRET_KEY_FALLBACKS"] = []


def test_a_changed_cookie_is_refused(app):
    cookie = app.session_interface.get_signing_serializer(app).dumps({"_user_id": "7:1"})
    assert opened(app, cookie) == {"_user_id": "7:1"}
    _payload, _, signature = cookie.partition(".")
    forged = app.session_interface.get_signing_serializer(app).dump_payload({"_user_id": "1:1"})
    assert opened(app, forged.decode() + "." + signature) == {}
    assert opened(app, cookie[:-2] + ("AA" if cookie[-2:] != "AA" else "BB")) == {}
