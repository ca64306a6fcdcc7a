"""Dates as a Kazakh or Russian reader expects them: four-digit years in both languages, and
dates inside the rules' reasons written out rather than ISO."""

from datetime import date

import pytest
from flask import render_template_string
from flask_babel import force_locale

from portal.matching.eligibility import CandidateFacts, VacancyFacts, supervision_ends_soon
from tests.helpers import TEST_TODAY


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_short_dates_have_four_digit_years(app, lang):
    with app.test_request_context(), force_locale(lang):
        shown = render_template_string('{{ day|dateformat("short") }}', day=date(2027, 1, 31))
    assert shown == "31.01.2027"


@pytest.mark.parametrize(("lang", "month"), [("kk", "қаңтар"), ("ru", "января")])
def test_a_date_inside_a_reason_is_written_out(app, lang, month):
    until = date(TEST_TODAY.year + 1, 1, 15)
    on = date(TEST_TODAY.year, 12, 31)
    facts = CandidateFacts(supervision_until=until)
    (reason,) = supervision_ends_soon(facts, VacancyFacts(), on)
    with app.test_request_context(), force_locale(lang):
        message = str(reason.message)
    assert month in message and until.isoformat() not in message
