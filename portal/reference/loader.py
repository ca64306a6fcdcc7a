"""Loads the bilingual reference data into the database; safe to run again (upserts by code)."""

import sqlalchemy as sa

from portal.extensions import db
from portal.programmes.models import ProgrammeService
from portal.programmes.seed import SERVICES
from portal.reference import seed_data
from portal.reference.criminal_code_seed import CRIMINAL_ARTICLES
from portal.reference.models import (
    Activity,
    CriminalArticle,
    District,
    Institution,
    Occupation,
    OccupationGroup,
    OffenceCategory,
    PlaceType,
    ReferenceCorrection,
    Region,
    Sphere,
    WorkingCondition,
)

VOCABULARIES = (
    (OffenceCategory, seed_data.OFFENCE_CATEGORIES),
    (Sphere, seed_data.SPHERES),
    (Activity, seed_data.ACTIVITIES),
    (WorkingCondition, seed_data.CONDITIONS),
    (PlaceType, seed_data.PLACE_TYPES),
)


def _upsert(model, key: str, rows: list[dict]) -> int:
    """Insert rows whose key is new, update the others (but those an administrator corrected:
    their correction stands); returns how many were inserted."""
    existing = {getattr(obj, key): obj for obj in db.session.scalars(sa.select(model))}
    inserted, corrected = 0, None
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            db.session.add(model(**row))
            inserted += 1
            continue
        if corrected is None:  # read once, and only when there are rows to update
            corrected = _corrected_ids(model)
        if not (corrected and obj.id in corrected):
            for field, value in row.items():
                setattr(obj, field, value)
    db.session.flush()
    return inserted


def _corrected_ids(model) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(ReferenceCorrection.row_id).where(
                ReferenceCorrection.table_name == model.__tablename__
            )
        )
    )


def load_reference_data() -> dict[str, int]:
    counts = load_places_and_vocabularies()
    counts["criminal_article"] = load_criminal_articles()
    counts["programme_service"] = load_programme_services()
    return counts


def load_places_and_vocabularies() -> dict[str, int]:
    """Territories, occupations, institutions and the vocabularies (the rows the tables of
    migration 0001 hold)."""
    counts = {}
    for model, rows in VOCABULARIES:
        counts[model.__tablename__] = _upsert(
            model,
            "code",
            [
                {"code": code, "name_kk": kk, "name_ru": ru, "position": i}
                for i, (code, kk, ru) in enumerate(rows)
            ],
        )
    counts["region"] = _upsert(
        Region,
        "kato",
        [{"kato": kato, "name_kk": kk, "name_ru": ru} for kato, kk, ru in seed_data.REGIONS],
    )
    region_ids = dict(db.session.execute(sa.select(Region.kato, Region.id)).all())
    counts["district"] = _upsert(
        District,
        "kato",
        [
            {"kato": kato, "region_id": region_ids[region], "name_kk": kk, "name_ru": ru}
            for kato, region, kk, ru in seed_data.DISTRICTS
        ],
    )
    district_ids = dict(db.session.execute(sa.select(District.kato, District.id)).all())
    counts["occupation_group"] = _upsert(
        OccupationGroup,
        "code",
        [
            {"code": code, "name_kk": kk, "name_ru": ru}
            for code, kk, ru in seed_data.OCCUPATION_GROUPS
        ],
    )
    counts["occupation"] = _upsert(
        Occupation,
        "code",
        [{"code": code, "name_kk": kk, "name_ru": ru} for code, kk, ru in seed_data.OCCUPATIONS],
    )
    counts["institution"] = _upsert(
        Institution,
        "code",
        [
            {
                "code": code,
                "name_kk": kk,
                "name_ru": ru,
                "security_level": level,
                "region_id": region_ids[region],
                "district_id": district_ids.get(district),
            }
            for code, kk, ru, level, region, district in seed_data.INSTITUTIONS
        ],
    )
    return counts


def load_criminal_articles() -> int:
    """Insert the seed's new articles; update the others unless an administrator corrected
    them (their correction stands)."""
    existing = {
        (row.code, row.article, row.part): row
        for row in db.session.scalars(sa.select(CriminalArticle))
    }
    inserted = 0
    for code, article, part, category, victim_age, review, kk, ru in CRIMINAL_ARTICLES:
        values = dict(
            category_code=category,
            victim_age_decides=victim_age,
            needs_review=review,
            name_kk=kk,
            name_ru=ru,
        )
        row = existing.get((code, article, part))
        if row is None:
            db.session.add(CriminalArticle(code=code, article=article, part=part, **values))
            inserted += 1
        elif row.edited_by_id is None:
            for field, value in values.items():
                setattr(row, field, value)
    db.session.flush()
    return inserted


def load_programme_services() -> int:
    """The services responsible for programme steps (portal/programmes/seed.py)."""
    return _upsert(
        ProgrammeService,
        "code",
        [
            {"code": code, "name_kk": kk, "name_ru": ru, "position": i}
            for i, (code, kk, ru) in enumerate(SERVICES)
        ],
    )
