"""Choices for the candidate forms, built from the reference data in the user's language."""

import re
from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice

from portal.extensions import db
from portal.reference.models import (
    District,
    Institution,
    Occupation,
    OccupationGroup,
    OffenceCategory,
    Region,
)
from portal.reference.retiring import offered

# Languages people in Kazakhstan commonly speak; names come from Babel in the user's language.
LANGUAGE_CODES = ("kk", "ru", "uz", "ug", "ky", "tt", "az", "tg", "de", "ko", "tr", "en", "zh")
NONE = _l("— none —")
CHOOSE = _l("— choose —")


def category_name(code: str) -> str:
    """An offence category's label in the user's language (the code if it is unknown)."""
    row = db.session.get(OffenceCategory, code)
    return row.name if row is not None else code


def none_choice(label=NONE) -> list[SelectChoice]:
    return [SelectChoice("", label)]


def _region_names() -> dict[int, str]:
    return {r.id: r.name for r in db.session.scalars(sa.select(Region))}


def region_choices() -> list[SelectChoice]:
    regions = db.session.scalars(sa.select(Region).order_by(Region.kato))
    return [SelectChoice(r.id, r.name) for r in regions]


def _in_use(query, model, keep: Iterable[int | None] | None):
    """keep=None: every row (a filter of what is recorded); otherwise a form that records a
    choice: the rows in use, and those in `keep` (what the record already names)."""
    return query if keep is None else query.where(offered(model, keep))


def district_choices(
    where=None, *, grouped: bool = True, keep: Iterable[int | None] | None = None
) -> list[SelectChoice]:
    """The districts (those `where` admits, if given; with `keep`, only those in use and the
    ones kept) in KATO order. Grouped: by region, the user's own region first (an inspector's
    people and an akimat's employers are mostly there; others may be elsewhere)."""
    query = _in_use(sa.select(District).order_by(District.kato), District, keep)
    districts = db.session.scalars(query if where is None else query.where(where))
    if not grouped:
        return [SelectChoice(d.id, d.name) for d in districts]
    own = getattr(current_user, "region_id", None)
    regions = _region_names()
    return [
        SelectChoice(d.id, d.name, optgroup=regions[d.region_id])
        for d in sorted(districts, key=lambda d: d.region_id != own)  # stable: kato order kept
    ]


def institution_choices(
    region_id: int | None = None, keep: Iterable[int | None] | None = None
) -> list[SelectChoice]:
    query = _in_use(
        sa.select(Institution).order_by(Institution.region_id, Institution.code), Institution, keep
    )
    if region_id is not None:
        query = query.where(Institution.region_id == region_id)
    regions = _region_names()
    return [
        SelectChoice(i.id, f"{i.code} — {i.name}", optgroup=regions[i.region_id])
        for i in db.session.scalars(query)
    ]


def area_choices() -> list[SelectChoice]:
    """Permitted areas as KATO prefixes: a whole region (2 digits) or one district (4 digits)."""
    choices = []
    for region in db.session.scalars(sa.select(Region).order_by(Region.kato)):
        choices.append(SelectChoice(region.kato[:2], region.name, optgroup=region.name))
        districts = db.session.scalars(
            sa.select(District).where(District.region_id == region.id).order_by(District.kato)
        )
        choices += [SelectChoice(d.kato[:4], d.name, optgroup=region.name) for d in districts]
    return choices


def term_choices(model) -> list[SelectChoice]:
    """A controlled vocabulary (offence categories, activities, conditions, place types)."""
    terms = db.session.scalars(sa.select(model).order_by(model.position, model.code))
    return [SelectChoice(t.code, t.name) for t in terms]


def occupation_choices(
    grouped: bool = True, keep: Iterable[int | None] | None = None
) -> list[SelectChoice]:
    """НКЗ occupations by code, grouped under their sub-major group (two digits)."""
    groups = {g.code: f"{g.code} {g.name}" for g in db.session.scalars(sa.select(OccupationGroup))}
    occupations = db.session.scalars(
        _in_use(sa.select(Occupation).order_by(Occupation.code), Occupation, keep)
    )
    return [
        SelectChoice(
            o.id,
            f"{o.code} {o.name}",
            optgroup=groups.get(o.code[:2], o.code[:2]) if grouped else None,
        )
        for o in occupations
    ]


def language_name(code: str) -> str:
    """ "kk" → "Қазақ тілі" / "Казахский"; an unknown entry is shown as it was typed."""
    name = get_locale().languages.get(code) if get_locale() is not None else None
    return name[:1].upper() + name[1:] if name else code


def language_names(stored: str) -> str:
    """ "kk, ru" → "Қазақ тілі, орыс тілі" / "Казахский, русский" in the user's language, for
    every page; words that are no language code (typed through the API) stay as typed."""
    known = get_locale().languages if get_locale() is not None else {}
    words = [word for word in re.split(r"[,;/\s]+", stored or "") if word]
    phrase = ", ".join(known.get(word.lower(), word) for word in words)
    return phrase[:1].upper() + phrase[1:]


def language_choices() -> list[SelectChoice]:
    return [SelectChoice(code, language_name(code)) for code in LANGUAGE_CODES]


def split_languages(stored: str) -> list[str]:
    return [part.strip() for part in (stored or "").split(",") if part.strip()]


def area_name(prefix: str | None) -> str:
    """The territory a KATO prefix names ("71" → Astana, "3540" → its district), or the prefix."""
    if not prefix:
        return ""
    model = Region if len(prefix) <= 2 else District
    row = db.session.scalar(
        sa.select(model).where(model.kato.startswith(prefix)).order_by(model.kato).limit(1)
    )
    return row.name if row is not None else prefix
