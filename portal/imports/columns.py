"""The columns of an import file: a stable key, and a header in each language. A file's
headers may be in Kazakh or Russian (the template's) or the keys themselves."""

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

COLUMNS = {
    "full_name": _l("Full name"),
    "iin": _l("IIN"),
    "birth_date": _l("Date of birth"),
    "status": _l("Status"),
    "region": _l("Region keeping the record (KATO; administrators)"),
    "institution": _l("Institution code"),
    "release_date": _l("Release date"),
    "district": _l("District of residence (KATO)"),
    "occupations": _l("Trades (НКЗ codes)"),
    "languages": _l("Languages spoken"),
    "offences": _l("Offences (Code article part)"),
    "consent_date": _l("Consent given on"),
    "consent_method": _l("How consent was given"),
}
REQUIRED = ("full_name", "iin", "birth_date", "status")
LANGUAGES = ("kk", "ru")


def headers(language: str) -> list[str]:
    with force_locale(language):
        return [str(label) for label in COLUMNS.values()]


def header_keys() -> dict[str, str]:
    """{header as written, folded: column key}, for headers in either language."""
    found = {key.casefold(): key for key in COLUMNS}
    for language in LANGUAGES:
        found.update(
            {label.casefold(): key for label, key in zip(headers(language), COLUMNS, strict=True)}
        )
    return found


EXAMPLE = {
    "full_name": "Серікова Айгүл Маратқызы",
    "iin": "850402400018",
    "birth_date": "1985-04-02",
    "status": "released",
    "region": "",
    "institution": "",
    "release_date": "2026-11-20",
    "district": "711310000",
    "occupations": "7533-0",
    "languages": "kk, ru",
    "offences": "2014 106 ч.1",
    "consent_date": "2026-11-25",
    "consent_method": "paper_form",
}
