"""Offence categories from the Criminal Code article, never picked by hand.

The table `criminal_article` (reference data an administrator corrects; seeded from
criminal_code_seed.py) maps an article of the 2014 or the 1997 Criminal Code — and a part,
where the part decides — to the category of Labour Code art. 26 the rules read. Where the
article alone does not settle it (rape, violent sexual acts: was the victim a minor?), the
answer is asked, and an unknown answer counts as "a minor" (fail closed).

`derive` is pure (rows in, categories out), so the data migration and the tests use it as
the forms do; `categories_for` reads the rows from the database.
"""

import re
from dataclasses import dataclass

import sqlalchemy as sa

from portal import data_crypto
from portal.matching.eligibility import CATEGORY_IMPLIES

CODES = ("2014", "1997")  # the Criminal Code of 3 July 2014, and of 16 July 1997
OTHER = "other"
# Which of two categories is graver for the rules: against minors, then the other sexual
# offences, then the rest of Labour Code art. 26 (equal among themselves), then "other".
GRAVITY = {"sexual_minors": 3, "sexual": 2, OTHER: 0}
ARTICLE = re.compile(r"\d{1,3}(?:-\d{1,2})?")


@dataclass(frozen=True)
class ArticleRow:
    code: str
    article: str
    part: str  # "" = the whole article
    category: str
    victim_age_decides: bool  # against a minor only where the victim was one: ask


def normal_article(text: str | None) -> str:
    """ "ст. 122", "122 " → "122"; "108-1" stays; anything else → "" (not an article)."""
    found = ARTICLE.search(text or "")
    return found.group(0) if found else ""


def normal_part(text: str | None) -> str:
    """ "ч. 3-2", "3-2", "3–2" → "3-2"; empty → ""."""
    found = ARTICLE.search((text or "").replace("–", "-"))
    return found.group(0) if found else ""


def article_key(
    code: str | None, article: str | None, keys: data_crypto.Keyring | None = None
) -> str:
    """The keyed hash of an offence's Code and article, stored beside the encrypted article so
    that SQL finds the offences of an article without reading it. Its own prefix keeps it apart
    from the IINs' hashes under the same key."""
    text = f"article:{code or ''}:{normal_article(article)}"
    return (keys or data_crypto.current()).keyed_hash(text)


PART_IN_TEXT = re.compile(r"(?:ч|част|бөл|part)\w*\.?\s*(\d{1,2}(?:\s*[-–]\s*\d)?)", re.I)


def split_article(text: str) -> tuple[str, str]:
    """An article typed as free text ("122 ч.4", "ст. 120 часть 3-2") → ("122", "4")."""
    part = PART_IN_TEXT.search(text or "")
    return normal_article(text), normal_part(part.group(1).replace(" ", "")) if part else ""


def implied(category: str) -> frozenset[str]:
    """A category with those it is a kind of ("sexual_minors" is also "sexual")."""
    return frozenset({category, *CATEGORY_IMPLIES.get(category, ())})


def derive(
    rows: list[ArticleRow], article: str, part: str = "", minor_victim: bool | None = None
) -> frozenset[str] | None:
    """The categories of (article, part) among one code's `rows`; None if the article is not
    in the table. A part row, where there is one, decides; otherwise the article's row, made
    "against a minor" when the victim's age decides and the victim was or may have been one."""
    article, part = normal_article(article), normal_part(part)
    found = {row.part: row for row in rows if row.article == article}
    row = found.get(part) or found.get("")
    if row is None:
        return None
    if row.victim_age_decides and row.category == "sexual" and minor_victim is not False:
        return implied("sexual_minors")
    return implied(row.category)


def primary(categories: frozenset[str]) -> str:
    """The one category an offence row stores: the one no other of the set implies."""
    implied_by_others = {c for other in categories for c in CATEGORY_IMPLIES.get(other, ())}
    return max(categories - implied_by_others, key=lambda c: (GRAVITY.get(c, 1), c))


def graver(a: str, b: str) -> str:
    return a if GRAVITY.get(a, 1) >= GRAVITY.get(b, 1) else b


def rows_of(code: str, article: str, with_retired: bool = False) -> list[ArticleRow]:
    """The table's rows of one article (its whole-article row and its part rows): those in
    use, for a new offence; with the retired ones, for the offences already entered, which
    keep what a retired row gave them."""
    from portal.extensions import db
    from portal.reference.models import CriminalArticle

    query = sa.select(CriminalArticle).where(
        CriminalArticle.code == code, CriminalArticle.article == normal_article(article)
    )
    if not with_retired:
        query = query.where(CriminalArticle.retired_at.is_(None))
    found = db.session.scalars(query)
    return [
        ArticleRow(r.code, r.article, r.part, r.category_code, r.victim_age_decides) for r in found
    ]


def entries_of(offences) -> dict:
    """The table's whole-article entry (its title, whether it awaits review) of each offence,
    by offence id, in one query: the offence's article is encrypted, so SQL cannot join on it."""
    from portal.extensions import db
    from portal.reference.models import CriminalArticle

    keys = {(o.code, o.article) for o in offences if o.code and o.article}
    if not keys:
        return {}
    found = db.session.scalars(
        sa.select(CriminalArticle).where(
            CriminalArticle.part == "",
            sa.tuple_(CriminalArticle.code, CriminalArticle.article).in_(sorted(keys)),
        )
    )
    entries = {(row.code, row.article): row for row in found}
    return {o.id: entries[o.code, o.article] for o in offences if (o.code, o.article) in entries}


def categories_for(
    code: str, article: str, part: str | None = None, minor_victim: bool | None = None
) -> frozenset[str]:
    """The categories of an offence under `code` ("2014" or "1997"), article and part, from
    the table; {"other"} for an article it does not list (the forms ask the inspector to
    confirm that one). minor_victim=None where the victim's age decides gives
    "sexual_minors" (fail closed)."""
    found = derive(rows_of(code, article), article, part or "", minor_victim)
    return found if found is not None else frozenset({OTHER})


def listed(code: str, article: str) -> bool:
    return bool(rows_of(code, article))


def offence_fields(
    code: str, article: str, part: str = "", minor_victim: bool | None = None
) -> dict:
    """An offence row's derived fields, from one read of the article's rows: its category,
    the normalised article and part, the victim's age where it decides, and whether the table
    does not list the article (then "other")."""
    article, part = normal_article(article), normal_part(part)
    rows = rows_of(code, article)
    found = derive(rows, article, part, minor_victim)
    return dict(
        category_code=primary(found) if found is not None else OTHER,
        code=code,
        article=article,
        part=part,
        minor_victim=minor_victim if any(r.victim_age_decides for r in rows) else None,
        outside_listed=not rows,
    )
