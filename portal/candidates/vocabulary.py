"""The candidates' vocabulary of consent: what an entry of the consent history is, and how the
person gave or withdrew their consent. Codes are stable (they are stored); labels translated."""

from flask_babel import lazy_gettext as _l

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
