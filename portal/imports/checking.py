"""Each row of an import checked as the record forms check it (the same fields, validators
and messages: CandidateForm, OffenceForm), plus what only a file can get wrong: unknown
codes, and an IIN twice in the file. One form of each kind serves every row (re-processed),
so 5,000 rows cost 5,000 validations, not 5,000 forms' choice lists."""

import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from portal.api.forms import formdata
from portal.auth.models import User
from portal.candidates.consent_texts import CURRENT_VERSION
from portal.candidates.forms import CandidateForm, OffenceForm
from portal.candidates.vocabulary import CANDIDATE_STATUS_LABELS, CONSENT_METHODS
from portal.extensions import db
from portal.imports.columns import LANGUAGES
from portal.reference.criminal_code import CODES, split_article
from portal.reference.models import District, Institution, Occupation, Region

DOTTED_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
MSG_UNKNOWN_DISTRICT = _l("No district has this KATO code.")
MSG_UNKNOWN_REGION = _l("No region has this KATO code.")
MSG_UNKNOWN_INSTITUTION = _l("No institution has this code.")
RETIRED = -1  # no row has this id
MSG_RETIRED = _l("This code is retired: it is not offered for new records.")
MSG_OFFENCE_FORMAT = _l("Write each offence as the Code's year and the article, e.g. 2014 122 ч.1.")
CANDIDATE_COLUMNS = {  # form field → file column, for the form's messages
    "full_name": "full_name",
    "iin": "iin",
    "birth_date": "birth_date",
    "status": "status",
    "institution_id": "institution",
    "release_date": "release_date",
    "district_id": "district",
    "region_id": "region",
    "language_codes": "languages",
    "initial_consent": "consent_date",
}


@dataclass
class Row:
    number: int  # the row of the file (the header is row 1)
    values: dict = field(default_factory=dict)  # for create_candidate
    consent: dict | None = None
    occupation_ids: list[int] = field(default_factory=list)
    offences: list[tuple[str, str, str]] | None = None  # None: not recorded
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column, message)


def _labels(labels: dict) -> dict[str, str]:
    """{code or label in either language, folded: code}."""
    found = {code.casefold(): code for code in labels}
    for language in LANGUAGES:
        with force_locale(language):
            found.update({str(label).casefold(): code for code, label in labels.items()})
    return found


def _iso(text: str) -> str:
    """02.04.1985 → 1985-04-02 (as spreadsheets show dates); anything else as written."""
    match = DOTTED_DATE.fullmatch(text.strip())
    return f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}" if match else text


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,\n]", text or "") if part.strip()]


class Checker:
    """Checks the rows of one file for one user."""

    def __init__(self, user: User):
        self.user = user
        self.form = CandidateForm(formdata=MultiDict(), meta={"csrf": False}, user=user)
        self.offence_form = OffenceForm(formdata=MultiDict(), meta={"csrf": False})
        self.regions = dict(db.session.execute(sa.select(Region.kato, Region.id)).all())
        self.districts = self._codes(District, District.kato)
        self.institutions = {
            code.casefold(): id_ for code, id_ in self._codes(Institution, Institution.code).items()
        }
        self.occupations = self._codes(Occupation, Occupation.code)
        self.statuses = _labels(CANDIDATE_STATUS_LABELS)
        self.methods = _labels(CONSENT_METHODS)
        self.seen: dict[str, int] = {}
        self.offences_seen: dict[str, tuple] = {}  # entry → (offence or None, problems)

    @staticmethod
    def _codes(model, code) -> dict[str, int]:
        """{code: id}, RETIRED for a retired row's code (told apart from an unknown one)."""
        rows = db.session.execute(sa.select(code, model.id, model.retired_at))
        return {found: RETIRED if retired else id_ for found, id_, retired in rows}

    def _lookup(self, row: Row, column: str, text: str, table: dict, message):
        if not text:
            return None
        found = table.get(text.casefold() if table is self.institutions else text)
        if found is None or found == RETIRED:
            row.problems.append((column, str(message if found is None else MSG_RETIRED)))
            return None
        return found

    def _offences(self, row: Row, text: str) -> list[tuple[str, str, str]] | None:
        if not text:
            return None
        if text.strip() in ("0", "-", "—"):
            return []  # the section is complete: no convictions of the listed kinds
        offences = []
        for entry in _split(text.replace(",", ";")):
            code, _, rest = entry.partition(" ")
            if code not in CODES or not rest.strip():
                row.problems.append(("offences", str(MSG_OFFENCE_FORMAT)))
                continue
            if entry not in self.offences_seen:
                self.offences_seen[entry] = self._offence(entry, code, rest)
            offence, problems = self.offences_seen[entry]
            row.problems += problems
            if offence is not None:
                offences.append(offence)
        return offences

    def _offence(self, entry: str, code: str, rest: str) -> tuple:
        article, part = split_article(rest)
        self.offence_form.process(formdata({"code": code, "article": article, "part": part}))
        if not self.offence_form.validate():
            messages = [m for ms in self.offence_form.errors.values() for m in ms]
            return None, [("offences", f"{entry}: {m}") for m in messages]
        return (code, self.offence_form.article.data, self.offence_form.part.data), []

    def check(self, number: int, raw: dict[str, str]) -> Row:
        row = Row(number)
        status = raw.get("status", "")
        values = {
            "full_name": raw.get("full_name", ""),
            "iin": raw.get("iin", ""),
            "birth_date": _iso(raw.get("birth_date", "")),
            "status": self.statuses.get(status.casefold(), status),
            "release_date": _iso(raw.get("release_date", "")),
            "language_codes": [c.lower() for c in _split(raw.get("languages", ""))],
            "institution_id": self._lookup(
                row,
                "institution",
                raw.get("institution", ""),
                self.institutions,
                MSG_UNKNOWN_INSTITUTION,
            ),
            "district_id": self._lookup(
                row, "district", raw.get("district", ""), self.districts, MSG_UNKNOWN_DISTRICT
            ),
        }
        if "region_id" in self.form:  # administrators name the region keeping the record
            values["region_id"] = self._lookup(
                row, "region", raw.get("region", ""), self.regions, MSG_UNKNOWN_REGION
            )
        if raw.get("consent_date") or raw.get("consent_method"):
            method = raw.get("consent_method", "")
            values["initial_consent"] = {
                "given": True,
                "on_date": _iso(raw.get("consent_date", "")),
                "method": self.methods.get(method.casefold(), method),
                "text_version": CURRENT_VERSION,
            }
        if "institution_id" not in self.form:  # an inspector of one institution: theirs
            values.pop("institution_id")
        self.form.process(formdata(values))
        self.form.validate()
        for name, messages in self.form.errors.items():
            column = CANDIDATE_COLUMNS.get(name, name)
            if isinstance(messages, dict):  # the consent's own fields
                messages = [m for ms in messages.values() for m in ms]
            row.problems += [(column, str(m)) for m in messages]
        for code in _split(raw.get("occupations", "")):
            found = self.occupations.get(code)
            if found == RETIRED:
                row.problems.append(("occupations", f"{code}: {MSG_RETIRED}"))
            elif found is None:
                row.problems.append(
                    ("occupations", _("No occupation has the НКЗ code %(code)s.", code=code))
                )
            else:
                row.occupation_ids.append(found)
        row.offences = self._offences(row, raw.get("offences", ""))
        iin = self.form.iin.data
        if iin and iin in self.seen:
            row.problems.append(
                ("iin", _("The same IIN is in row %(row)s of the file.", row=self.seen[iin]))
            )
        elif iin:
            self.seen[iin] = number
        if not row.problems:
            row.values = self.form.values()
            row.consent = self.form.initial_grant()
        return row
