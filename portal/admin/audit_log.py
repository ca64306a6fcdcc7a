"""The audit log as an investigation reads it: actions and objects named in the reader's
language, objects as links, details as text, filters, and the same rows as a CSV file."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from flask import url_for
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from wtforms import DateField, Form, SelectChoice, SelectField, StringField
from wtforms.validators import Optional, ValidationError

from portal import clock, spreadsheet
from portal.auth import audit
from portal.auth.models import ROLE_LABELS, AuditEntry, User
from portal.database import contains_text
from portal.forms import IntegerField, strip
from portal.placements.reasons import WITHDRAWN_REASONS

ACTION_LABELS = {
    "login": _l("Signed in"),
    "login_failed": _l("Failed sign-in"),
    "login_refused_disabled": _l("Sign-in to a disabled account"),
    "logout": _l("Signed out"),
    "rate_limited": _l("Refused: too many attempts"),
    "login_rate_limited": _l("Sign-in refused: too many attempts"),
    "login_backoff": _l("Sign-in slowed down after failed attempts"),
    "login_password_passed": _l("Password accepted, code awaited"),
    "second_factor_enrolled": _l("Set up the second factor"),
    "second_factor_failed": _l("Wrong second-factor code"),
    "second_factor_removed": _l("Turned off the second factor"),
    "second_factor_reset": _l("Reset a user's second factor"),
    "recovery_code_used": _l("Signed in with a recovery code"),
    "signed_out_everywhere": _l("Signed out on every device"),
    "registration_email_taken": _l("Registration with an e-mail that has an account"),
    "password_changed": _l("Changed their password"),
    "password_reset": _l("Reset a user's password"),
    "language_changed": _l("Changed the language"),
    "user_created": _l("Created a user"),
    "user_updated": _l("Changed a user"),
    "user_disabled": _l("Disabled a user"),
    "user_enabled": _l("Re-enabled a user"),
    "employer_registered": _l("Registered an organisation"),
    "employer_updated": _l("Changed an organisation"),
    "employer_approved": _l("Approved an organisation"),
    "employer_rejected": _l("Rejected an organisation"),
    "vacancy_created": _l("Created a vacancy"),
    "vacancy_updated": _l("Changed a vacancy"),
    "vacancy_published": _l("Published a vacancy"),
    "vacancy_closed": _l("Closed a vacancy"),
    "vacancy_reopened": _l("Reopened a vacancy"),
    "candidate_created": _l("Created a record"),
    "candidate_updated": _l("Changed a record"),
    "candidate_viewed": _l("Opened a record"),
    "candidate_matches_viewed": _l("Opened the vacancies for a person"),
    "candidate_sheet_printed": _l("Printed the vacancies for a person"),
    "candidates_listed": _l("Viewed a list of records"),
    "candidate_searched": _l("Searched for people"),
    "candidate_probe": _l("Typed an IIN of a record outside their scope"),
    "matching_listed": _l("Viewed the people for a vacancy"),
    "offence_added": _l("Added an offence"),
    "offence_removed": _l("Removed an offence"),
    "offence_regraded": _l("Offence category corrected by its article"),
    "offence_regrade_seen": _l("Saw a corrected offence category"),
    "offence_record_marked": _l("Marked the offence section"),
    "ban_added": _l("Added a court ban"),
    "ban_removed": _l("Removed a court ban"),
    "trades_set": _l("Changed a person's trades"),
    "contraindications_set": _l("Changed a person's medical limits"),
    "supervision_set": _l("Set supervision conditions"),
    "supervision_cleared": _l("Cleared supervision conditions"),
    "consent_granted": _l("Recorded consent"),
    "candidate_anonymised": _l("Anonymised a record at the end of its retention period"),
    "candidate_erased": _l("Erased a person's data at their request"),
    "person_copy_produced": _l("Produced a person's copy of their data"),
    "correction_recorded": _l("Recorded a correction request"),
    "consent_withdrawn": _l("Recorded a withdrawal of consent"),
    "criminal_article_saved": _l("Saved a Criminal Code article"),
    "programme_started": _l("Started a person's programme"),
    "programme_assessed": _l("Changed the assessment of a person's programme"),
    "programme_step_added": _l("Added a step to a person's programme"),
    "programme_step_updated": _l("Changed a step of a person's programme"),
    "programme_step_removed": _l("Removed a step from a person's programme"),
    "placement_proposed": _l("Proposed a person for a vacancy"),
    "placement_viewed": _l("Opened a placement"),
    "placement_note_set": _l("Wrote a note to the employer on a proposal"),
    "placements_listed": _l("Viewed a list of placements"),
    "proposals_listed": _l("Viewed the people proposed for a vacancy"),
    "retention_checked": _l("Recorded a follow-up check"),
    "workplace_checked": _l("Recorded a workplace check"),
    "quota_set": _l("Set a quota"),
    "statistics_viewed": _l("Viewed the statistics"),
    "statistics_listed": _l("Viewed the people behind a figure"),
    "statistics_exported": _l("Exported the statistics"),
    "audit_viewed": _l("Read the audit log"),
    "api_call": _l("Called the API"),
    "api_token_issued": _l("Issued an API token"),
    "api_token_revoked": _l("Revoked an API token"),
    "candidates_imported": _l("Imported records from a file"),
    "candidates_import_refused": _l("Import of records from a file refused"),
    "candidates_import_started": _l("Uploaded a file of records to import"),
    "candidates_import_cancelled": _l("Cancelled an import of records"),
    "candidates_import_expired": _l("Deleted the rows of an import left unfinished"),
    "audit_exported": _l("Exported the audit log"),
    "production_created": _l("Added a production on institution land"),
    "production_updated": _l("Changed a production on institution land"),
    "production_deleted": _l("Removed a production on institution land"),
    "production_report_viewed": _l("Viewed the report on work in custody"),
    "production_report_exported": _l("Exported the report on work in custody"),
    "reference_corrected": _l("Corrected the names of a reference entry"),
    "reference_added": _l("Added a reference entry"),
    "reference_retired": _l("Retired a reference entry"),
    "reference_restored": _l("Put a reference entry back in use"),
    "legal_basis_saved": _l("Rewrote the legal basis of a rule"),
}
WITHDRAWN = "placement_withdrawn_"
WITHDRAWN_LABEL = _l("Placement withdrawn: %(reason)s")
OBJECT_LABELS = {
    "candidate": _l("Record"),
    "import_job": _l("Import of a file"),
    "employer": _l("Organisation"),
    "vacancy": _l("Vacancy"),
    "placement": _l("Placement"),
    "user_account": _l("User"),
    "criminal_article": _l("Criminal Code article"),
    "production": _l("Production on institution land"),
    "district": _l("District"),
    "occupation": _l("Occupation"),
    "institution": _l("Institution"),
}
# The page that shows each kind of object, and the name of its id there.
OBJECT_PAGES = {
    "candidate": ("candidates.view", "candidate_id"),
    "employer": ("employers.detail", "employer_id"),
    "vacancy": ("employers.vacancy", "vacancy_id"),
    "placement": ("placements.detail", "placement_id"),
    "user_account": ("admin.edit_user", "user_id"),
    "criminal_article": ("reference.edit_criminal_article", "entry_id"),
    "production": ("productions.edit", "production_id"),
}
DETAIL_LABELS = {
    "shown": _l("People shown"),
    "filters": _l("Filters"),
    "page": _l("Page"),
    "query": _l("Search words"),
    "tab": _l("Tab"),
    "format": _l("Format"),
    "changed": _l("Changes"),
    "email": _l("E-mail"),
    "endpoint": _l("Page"),
    "role": _l("Role"),
    "reason": _l("Reason"),
    "locale": _l("Language"),
    "via": _l("Through"),
    "vacancy": _l("Vacancy"),
    "vacancy_id": _l("Vacancy"),
    "candidate_id": _l("Record"),
    "entries": _l("Entries shown"),
    "rows": _l("Rows"),
    "check_id": _l("Check"),
    "checked_on": _l("Day of the check"),
    "found_at_work": _l("Found at work"),
    "programme_id": _l("Programme"),
    "step_id": _l("Step"),
    "template": _l("Template"),
    "steps": _l("Steps"),
    "areas": _l("Areas"),
}
YES, NO = _l("yes"), _l("no")


def action_label(action: str) -> str:
    if action.startswith(WITHDRAWN):
        reason = action[len(WITHDRAWN) :]
        return str(WITHDRAWN_LABEL % {"reason": WITHDRAWN_REASONS.get(reason, reason)})
    return str(ACTION_LABELS.get(action, action))  # an action newer than this list: its code


def object_label(entry: AuditEntry) -> str:
    if entry.object_type is None:
        return ""
    return f"{OBJECT_LABELS.get(entry.object_type, entry.object_type)} #{entry.object_id}"


def object_url(entry: AuditEntry) -> str | None:
    page = OBJECT_PAGES.get(entry.object_type or "")
    return url_for(page[0], **{page[1]: entry.object_id}) if page else None


def value_text(value) -> str:
    """A detail's value as a sentence part: lists joined, changes as "before → after"."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(YES if value else NO)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {value_text(item)}" for key, item in value.items())
    if isinstance(value, list):
        return ", ".join(value_text(item) for item in value) or "—"
    if isinstance(value, str) and value in ROLE_LABELS:
        return str(ROLE_LABELS[value])
    return str(value)


CODE = re.compile(r"[a-z][a-z0-9_.]*")


@dataclass(frozen=True)
class Part:
    """One piece of a detail: `name` (a field or filter code, or None) and its value as text;
    `is_code` when the value is itself a code (a field, an activity), shown as one."""

    name: str | None
    text: str

    @property
    def is_code(self) -> bool:
        return bool(CODE.fullmatch(self.text))

    def __str__(self) -> str:
        return f"{self.name}: {self.text}" if self.name else self.text


@dataclass(frozen=True)
class Detail:
    key: str
    label: str | None  # None: a detail newer than DETAIL_LABELS, shown by its code
    parts: list[Part]

    def __str__(self) -> str:
        return f"{self.label or self.key}: " + "; ".join(map(str, self.parts))


def _part(name, value) -> Part:
    """A change [before, after] reads "before → after"; any other value as value_text."""
    if isinstance(value, list) and len(value) == 2 and name is not None:
        return Part(name, f"{value_text(value[0])} → {value_text(value[1])}")
    return Part(name, value_text(value))


def details(entry: AuditEntry) -> list[Detail]:
    """Each detail, in the order recorded; a dict (filters, changes) as one part per name."""
    found = []
    for key, value in audit.opened(entry.details or {}).items():
        if isinstance(value, dict):
            parts = [_part(name, item) for name, item in value.items()] or [Part(None, "—")]
        else:
            parts = [Part(None, value_text(value))]
        label = DETAIL_LABELS.get(key)
        found.append(Detail(key, str(label) if label else None, parts))
    return found


def _known_day(form, field):
    if field.data is not None and not 1900 <= field.data.year <= 2999:
        raise ValidationError(_l("Enter a date between 1900 and 2999."))


class AuditFilterForm(Form):
    """The log's GET filters; a value that fails its check filters nothing and says why."""

    who = StringField(_l("User (name or e-mail)"), filters=[strip])
    action = SelectField(_l("Action"), default="")
    object_type = SelectField(_l("Object"), default="")
    object_id = IntegerField(_l("Object number"), validators=[Optional()])
    start = DateField(_l("From"), validators=[Optional(), _known_day])
    end = DateField(_l("To"), validators=[Optional(), _known_day])

    def __init__(self, formdata):
        super().__init__(formdata)
        codes = [*ACTION_LABELS, *(WITHDRAWN + reason for reason in WITHDRAWN_REASONS)]
        self.action.choices = [SelectChoice("", _l("All actions"))] + sorted(
            (SelectChoice(code, action_label(code)) for code in codes),
            key=lambda choice: choice.label,
        )
        self.object_type.choices = [SelectChoice("", _l("Any object"))] + [
            SelectChoice(code, label) for code, label in OBJECT_LABELS.items()
        ]

    def given(self, name: str):
        field = self[name]
        return None if field.errors or field.data in (None, "") else field.data

    def conditions(self) -> list:
        where = []
        if who := self.given("who"):
            where.append(
                AuditEntry.user_id.in_(
                    sa.select(User.id).where(contains_text(who, User.full_name, User.email))
                )
            )
        if action := self.given("action"):
            where.append(AuditEntry.action == action)
        if object_type := self.given("object_type"):
            where.append(AuditEntry.object_type == object_type)
        if (object_id := self.given("object_id")) is not None:
            where.append(AuditEntry.object_id == object_id)
        if start := self.given("start"):
            where.append(AuditEntry.at >= _moment(start, time.min))
        if end := self.given("end"):
            where.append(AuditEntry.at <= _moment(end, time.max))
        return where

    def query_args(self) -> dict:
        """The filters as given, for the pagination links and the export."""
        return {field.name: field.raw_data[0] for field in self if field.raw_data}


def _moment(day: date, at: time) -> datetime:
    """A local moment of `day`, as the UTC moment the log stores."""
    return datetime.combine(day, at, clock.LOCAL_ZONE).astimezone(UTC)


def query(form: AuditFilterForm) -> sa.Select:
    return sa.select(AuditEntry).where(*form.conditions()).order_by(AuditEntry.id.desc())


CSV_HEADERS = (
    _l("When"),
    _l("Who"),
    _l("E-mail"),
    _l("Action"),
    _l("Action code"),
    _l("Object"),
    _l("IP address"),
    _l("Details"),
)


def to_csv(entries) -> bytes:
    """The entries as CSV, every cell written by the one export rule (never a formula)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(spreadsheet.row(CSV_HEADERS))
    for entry in entries:
        writer.writerow(
            spreadsheet.row(
                [
                    format_datetime(entry.at, "yyyy-MM-dd HH:mm:ss"),
                    entry.user.full_name if entry.user else "",
                    entry.user.email if entry.user else "",
                    action_label(entry.action),
                    entry.action,
                    object_label(entry),
                    entry.ip or "",
                    "; ".join(map(str, details(entry))),
                ]
            )
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
