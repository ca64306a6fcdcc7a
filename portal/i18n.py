"""Language choice (the user's setting, then the cookie, then Accept-Language, then Kazakh),
the templates' gettext, and the formats of tenge and dates in messages."""

from flask import Flask, current_app, g, has_app_context, has_request_context, request
from flask_babel import format_date, format_decimal, get_locale, get_translations
from flask_login import current_user

LANG_COOKIE = "lang"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and background work use the default
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    api_language = request.path.startswith("/api/") and request.accept_languages.best_match(
        languages
    )
    if api_language:  # an API client names the language of its request in Accept-Language
        return api_language
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in languages:
        return cookie
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def _translations():
    """Flask-Babel's get_translations(), looked up once per locale in force (force_locale
    too) in an app context: Flask-Babel's own finds its context three times and renders the
    locale's name for every string."""
    if not g:  # outside an app context: Flask-Babel's own answer (no translations)
        return get_translations()
    locale = get_locale()
    kept = g.get("portal_translations")
    if kept is None or kept[0] is not locale:
        kept = g.portal_translations = (locale, get_translations())
    return kept[1]


def install_template_gettext(app: Flask) -> None:
    """The templates' gettext callables, as Flask-Babel installs them but through
    _translations; `_` is gettext itself, not Jinja's alias that resolves it again on each call.
    New-style as Flask-Babel's: %(name)s variables, escaped under autoescape."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def format_tenge(amount: int | float) -> str:
    """Whole tenge in the user's number format, with the tenge sign (e.g. "150 000 ₸").

    Babel's CLDR data prints "KZT" instead of "₸" for Russian, so the sign is added here.
    """
    return f"{format_decimal(amount, format='#,##0')}\xa0₸"


class ReadableDate:
    """A date inside a lazy message («until %(until)s»), written in the reader's language when
    the message is (a long date: «31 января 2027 г.», «2027 ж. 31 қаңтар»), never ISO."""

    def __init__(self, day):
        self.day = day

    def __str__(self) -> str:
        # Outside the app (the rules' own tests) there is no reader: ISO.
        return format_date(self.day, "long") if has_app_context() else self.day.isoformat()
