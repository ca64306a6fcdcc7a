"""The legal basis each rule cites (docs/rules.md): a text shipped with the portal, in the
catalogues' two languages, which an administrator may rewrite in both (table
legal_basis_text, reference/legal_texts.py). A rule's Reason holds a LegalBasis; like a lazy
string it becomes text when shown, in the language of the moment, so eligibility stays pure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import escape

if TYPE_CHECKING:
    from flask_babel.speaklater import LazyString

BASES: dict[str, LegalBasis] = {}  # key → basis, in the order the rules declare them


class LegalBasis:
    def __init__(self, key: str, shipped: LazyString):
        self.key, self.shipped = key, shipped
        BASES[key] = self

    def __str__(self) -> str:
        from portal.reference.legal_texts import edited_text

        return edited_text(self.key) or str(self.shipped)

    def __html__(self) -> str:
        return str(escape(str(self)))

    def __eq__(self, other) -> bool:
        return isinstance(other, LegalBasis) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        return f"LegalBasis({self.key!r})"
