"""The candidates' vocabulary: a person's status (custody, probation), and of consent what an
entry of the consent history is and how the person gave or withdrew it. Codes are stable (they
are stored); labels translated."""

from flask_babel import lazy_gettext as _l

CANDIDATE_STATUSES = ("min_security", "pre_release", "released", "probation")
CANDIDATE_STATUS_LABELS = {
    "min_security": _l("Prisoner of a minimum-security institution"),
    "pre_release": _l("Penitentiary probation (before release)"),
    "released": _l("Released from prison"),
    "probation": _l("On the probation register"),
}
# The statuses of a person still in custody: serving in an institution, the custody rules apply.
CUSTODY_STATUSES = frozenset({"min_security", "pre_release"})

GRANT, WITHDRAWAL = "grant", "withdrawal"
CONSENT_KINDS = {
    GRANT: _l("Consent given"),
    WITHDRAWAL: _l("Consent withdrawn"),
}

# The entry the migration wrote for a record that held a bare "consents" flag: no form offers it.
MIGRATED = "migrated"
CONSENT_METHODS = {
    "paper_form": _l("Signed paper form"),
    "in_person": _l("In person, in the presence of the inspector"),
    "electronic_signature": _l("Electronic digital signature"),
    MIGRATED: _l("Recorded before this history existed"),
}
# The ways an inspector may record today.
CHOSEN_METHODS = tuple(code for code in CONSENT_METHODS if code != MIGRATED)
