"""Marks the words of a text that match a query, with the same analysis as the index.

Works on the rows loaded from the database (the index stores no text), so a snippet always
shows the current text, escaped; only <mark> is added.
"""

from markupsafe import Markup, escape

from portal.search.analysis import (
    LOOKALIKE,
    WORD,
    QueryWord,
    cyrillic_readings,
    index_terms,
    name_key,
    normalise,
)


def _matches(token: str, words: tuple[QueryWord, ...], names: bool) -> bool:
    word = normalise(token)
    if names:
        key = name_key(word)
        return any(key == w.name or (w.prefix and key.startswith(w.name)) for w in words)
    terms = set(index_terms(word))  # the text is a document: analysed as the index does
    folded = cyrillic_readings(word)[0].translate(LOOKALIKE)
    return any(
        terms & set(w.text) or (w.prefix and folded.startswith(w.prefix_text)) for w in words
    )


def mark(text: str | None, words: tuple[QueryWord, ...], *, names: bool = False) -> Markup:
    """The text, escaped, with <mark> around each word the query matches."""
    text = text or ""
    if not words:
        return escape(text)
    out, last = [], 0
    for found in WORD.finditer(text):
        if _matches(found.group(), words, names):
            out += [
                escape(text[last : found.start()]),
                Markup("<mark>"),
                escape(found.group()),
                Markup("</mark>"),
            ]
            last = found.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def snippet(text: str | None, words: tuple[QueryWord, ...], width: int = 180) -> Markup:
    """About `width` characters around the first matching word (the start if none matches)."""
    text = " ".join((text or "").split())
    if len(text) <= width:
        return mark(text, words)
    start = 0
    for found in WORD.finditer(text):
        if _matches(found.group(), words, names=False):
            start = max(0, found.start() - width // 3)
            break
    end = min(len(text), start + width)
    if start:  # begin and end on word boundaries
        start = text.find(" ", start) + 1 or start
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    body = mark(text[start:end], words)
    return Markup("{}{}{}").format("… " if start else "", body, " …" if end < len(text) else "")


def matched(text: str | None, words: tuple[QueryWord, ...], *, names: bool = False) -> bool:
    return any(_matches(found.group(), words, names) for found in WORD.finditer(text or ""))
