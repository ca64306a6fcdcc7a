"""Row 13: no request makes a 500. Hypothesis sends every route of the URL map (discovered, not
listed) as each role, with query and form parameters drawn from every field of every form of the
portal and every parameter the views read, filled with hostile values (integers past 64 bits,
`inf`, far dates, NUL bytes, long text, file parts) and random text.

The test app propagates exceptions, so a 500 is the exception itself, shown with the request.
Examples are derandomised: a CI run is reproducible. PORTAL_FUZZ_EXAMPLES sets how many requests
a backend gets (default 1200, ~10–20 s each); the count is printed (pytest -s or -rA).
"""

import inspect
import io
import os
import re
import sys
from datetime import timedelta

import pytest
import sqlalchemy as sa
import wtforms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter

from portal import clock
from portal.auth.models import ADMIN, AKIMAT, EMPLOYER, INSPECTOR
from portal.candidates.models import ActivityBan, Offence, Supervision
from portal.extensions import db
from portal.placements import lifecycle
from portal.programmes.models import Programme, ProgrammeStep
from portal.reference.models import CriminalArticle
from tests.helpers import sign_in
from tests.productions import dataset

ROLES = ("anonymous", ADMIN, INSPECTOR, EMPLOYER, AKIMAT)
EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "1200"))
HOSTILE = [
    "99999999999999999999",
    "-99999999999999999999",
    "9223372036854775808",
    "2147483648",
    "-1",
    "0",
    "1",
    "2",
    "inf",
    "-Infinity",
    "NaN",
    "1e309",
    "0,5",
    "9999-12-31",
    "0001-01-01",
    "2024-02-30",
    "99999-01-01",
    "25:61",
    "23:59",
    "a\x00b",
    "\x00",
    "",
    " ",
    "%",
    "_",
    "'\"",
    "<script>x</script>",
    "Ә" * 400,
    "9" * 400,
    "on",
    "y",
    "kk",
    "ru",
    "/",
    "//evil.example",
]
QUERY_READ = re.compile(r"request\.(?:args|form)\.get\(\s*\"(\w+)\"")


def parameter_names(app) -> list[str]:
    """Every field of every portal form, and every parameter a view reads by name."""
    names = {"page", "csrf_token", "next"}
    forms, seen = [wtforms.Form], set()
    while forms:
        form = forms.pop()
        forms.extend(form.__subclasses__())
        if form.__module__.startswith("portal."):
            names.update(
                name
                for name, value in inspect.getmembers(form)
                if isinstance(value, wtforms.fields.core.UnboundField)
            )
    for view in app.view_functions.values():
        module = sys.modules[view.__module__]
        if module.__name__.startswith("portal.") and module not in seen:
            seen.add(module)
            names.update(QUERY_READ.findall(inspect.getsource(module)))
    return sorted(names)


def routes(app) -> list[tuple[str, str, list[str]]]:
    """(method, rule, names of its integer parts) for every rule but static files."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        integers = [n for n, c in rule._converters.items() if isinstance(c, IntegerConverter)]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((method, rule.rule, integers))
    return found


@pytest.fixture
def world(make_user, make_vacancy, make_candidate):
    """Rows for the ids in paths to find: a record with a row in each section, a placement."""
    inspector = make_user(INSPECTOR)
    vacancy = make_vacancy()
    candidate = make_candidate(
        offences=[Offence(category_code="other", article="188")],
        activity_bans=[ActivityBan(activity_code="driving")],
        supervision=Supervision(no_alcohol=True),
    )
    step = ProgrammeStep(title_ru="Шаг", service_code="ngo", due_on=clock.today())
    db.session.add(Programme(candidate_id=candidate.id, started_on=clock.today(), steps=[step]))
    db.session.commit()
    placement = lifecycle.propose(make_candidate().id, vacancy.id, inspector, clock.today())
    users = {role: make_user(role) for role in ROLES if role != "anonymous"}
    ids = {
        "user_id": [make_user(INSPECTOR).id],  # never a fuzzing user: it might be disabled
        "employer_id": [vacancy.employer_id, users[EMPLOYER].employer_id],
        "vacancy_id": [vacancy.id],
        "placement_id": [placement.id],
        "candidate_id": [candidate.id],
        "offence_id": [candidate.offences[0].id],
        "ban_id": [candidate.activity_bans[0].id],
        "step_id": [step.id],
        "entry_id": [db.session.scalar(sa.select(CriminalArticle.id).limit(1))],
        "production_id": [dataset.site(vacancy.employer_id).id],
    }
    return users, ids


def test_no_request_makes_a_500(app, world, today, record_property):
    users, ids = world
    clients = {role: app.test_client() for role in ROLES}
    names = parameter_names(app)
    every_route = routes(app)
    known = sorted({str(i) for values in ids.values() for i in values})
    value = st.one_of(
        st.sampled_from(
            HOSTILE + known + [today.isoformat(), (today - timedelta(400)).isoformat()]
        ),
        st.text(max_size=12),
    )
    path_id = lambda name: st.sampled_from(  # noqa: E731
        [*ids.get(name, []), 0, 2**31 - 1, 2**31, 2**63, 10**20]
    )
    sent = []

    @settings(
        max_examples=EXAMPLES,
        database=None,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def request(data):
        method, rule, integers = data.draw(st.sampled_from(every_route), label="route")
        role = data.draw(st.sampled_from(ROLES), label="role")
        path = rule
        for name in integers:
            path = re.sub(rf"<int:{name}>", str(data.draw(path_id(name), label=name)), path)
        parameters = data.draw(st.dictionaries(st.sampled_from(names), value, max_size=6))
        client = clients[role]
        if role != "anonymous":
            with client.session_transaction() as session:
                if "_user_id" not in session:  # first use, or after the logout route
                    sign_in(client, users[role])
        if method == "GET":
            client.get(path, query_string=parameters)
        elif data.draw(st.integers(0, 9), label="file") == 0:
            files = {**parameters, "upload": (io.BytesIO(b"%PDF"), "a.pdf")}
            client.post(path, data=files, content_type="multipart/form-data")
        else:
            client.post(
                path, data=parameters, headers={"HX-Request": "true"} if len(sent) % 2 else {}
            )
        sent.append((method, path))

    request()
    print(f"fuzz: {len(sent)} requests on {db.engine.dialect.name}, 0 answered 500")
    record_property("fuzz_requests", len(sent))
    assert len({rule for _method, rule in sent}) > len(every_route) // 2  # most routes were hit
