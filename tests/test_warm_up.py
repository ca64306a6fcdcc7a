"""What gunicorn's master builds before it forks the workers (portal/warm_up.py)."""

from babel.support import Translations

from portal.warm_up import warm_up
from tests.helpers import page_text, sign_in


def test_after_the_warm_up_pages_read_no_template_and_no_catalogue(app, make_user, monkeypatch):
    warm_up(app)

    def read(*_args, **_kwargs):
        raise AssertionError("a template read after the warm-up")

    load = Translations.load

    def load_catalogue(dirname=None, locales=None, domain=None):
        # WTForms' own messages are Flask-WTF's to load (once a request that shows a form)
        assert domain == "wtforms", "the portal's catalogue read after the warm-up"
        return load(dirname, locales, domain)

    monkeypatch.setattr(app.jinja_env.loader, "get_source", read)
    monkeypatch.setattr(Translations, "load", load_catalogue)
    client = app.test_client()
    assert "<form" in page_text(client, "/auth/login")
    sign_in(client, make_user("inspector"))
    for language in ("kk", "ru"):
        client.post("/language", data={"locale": language, "next": "/"})
        assert page_text(client, "/candidates/")
