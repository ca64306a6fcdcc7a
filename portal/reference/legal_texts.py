"""The rules' legal-basis texts as an administrator rewrote them, in both languages: read
once per request (the matching page cites them many times), saved one commit each, audited
with what changed (the audit log is each text's history). `flask reference load` does not
touch them: the texts shipped live in the code, the rewritten ones only here."""

import sqlalchemy as sa
from flask import g, has_app_context
from flask_babel import force_locale

from portal import clock
from portal.auth.audit import record
from portal.auth.models import AuditEntry, User
from portal.database import write_transaction
from portal.extensions import db
from portal.models_base import in_user_language
from portal.reference.models import LegalBasisText

ACTION = "legal_basis_saved"
LANGUAGES = ("kk", "ru")


def _edited() -> dict[str, LegalBasisText]:
    if "legal_basis_texts" not in g:
        g.legal_basis_texts = {
            row.key: row for row in db.session.scalars(sa.select(LegalBasisText))
        }
    return g.legal_basis_texts


def edited_text(key: str) -> str | None:
    """The rewritten text in the user's language, or None (then the text shipped)."""
    if not has_app_context():
        return None
    row = _edited().get(key)
    return in_user_language(row.text_kk, row.text_ru) if row is not None else None


def texts(basis) -> dict[str, str]:
    """{"text_kk": …, "text_ru": …} as the rules now cite them."""
    row = _edited().get(basis.key)
    if row is not None:
        return {"text_kk": row.text_kk, "text_ru": row.text_ru}
    found = {}
    for language in LANGUAGES:
        with force_locale(language):
            found[f"text_{language}"] = str(basis.shipped)
    return found


def save_texts(basis, values: dict, by: User) -> dict[str, list]:
    """Rewrite a basis in both languages; returns what changed, as {field: [old, new]}."""
    with write_transaction():
        before = texts(basis)
        changed = {
            name: [before[name], values[name]] for name in before if before[name] != values[name]
        }
        if changed:
            row = db.session.get(LegalBasisText, basis.key) or LegalBasisText(key=basis.key)
            row.text_kk, row.text_ru = values["text_kk"], values["text_ru"]
            row.edited_by_id, row.edited_at = by.id, clock.now()
            db.session.add(row)
            record(ACTION, user=by, key=basis.key, changed=changed)
    g.pop("legal_basis_texts", None)
    return changed


def history(basis) -> list[AuditEntry]:
    entries = db.session.scalars(
        sa.select(AuditEntry)
        .where(AuditEntry.action == ACTION)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    return [entry for entry in entries if (entry.details or {}).get("key") == basis.key]
