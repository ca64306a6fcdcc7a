"""The templates' gettext (portal/i18n.py install_template_gettext): the language in force,
force_locale inside a request included, with variables and escaping as Flask-Babel's."""

from flask import render_template_string
from flask_babel import force_locale

from tests.helpers import translated

PAGE = '{{ _("Sign in") }}|{{ _("Disable the account of %(name)s?", name=name) }}'
PLURAL = "{{ ngettext('%(num)d unread', '%(num)d unread', n) }}"


def test_a_template_reads_the_request_language_then_a_forced_one_then_the_request_one(app):
    with app.test_request_context(headers={"Accept-Language": "ru"}):
        first = render_template_string(PAGE, name="<b>")
        with force_locale("kk"):  # a bilingual page, an e-mail in its reader's language
            forced = render_template_string(PAGE, name="<b>")
        again = render_template_string(PAGE, name="<b>")
    for text, lang in ((first, "ru"), (forced, "kk"), (again, "ru")):
        sign_in, disable = text.split("|")
        assert sign_in == translated(app, "Sign in", lang)
        expected = translated(app, "Disable the account of %(name)s?", lang, name="&lt;b&gt;")
        assert disable == expected and "<b>" not in disable  # the variable is escaped
    assert first != forced


def test_plurals_follow_the_language(app):
    with app.test_request_context(headers={"Accept-Language": "ru"}):
        one, many = (render_template_string(PLURAL, n=n) for n in (1, 5))
        with force_locale("kk"):
            kk = render_template_string(PLURAL, n=5)
    assert (one, many) == ("1 непрочитанное", "5 непрочитанных")
    assert kk == "5 оқылмаған"
