"""Loads the bilingual reference data into the database; safe to run again (upserts by code)."""

import sqlalchemy as sa

from portal.extensions import db
from portal.reference import seed_data
from portal.reference.models import (
    Activity,
    District,
    Institution,
    Occupation,
    OccupationGroup,
    OffenceCategory,
    PlaceType,
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
    """Insert rows whose key is new, update the others; returns how many were inserted."""
    existing = {getattr(obj, key): obj for obj in db.session.scalars(sa.select(model))}
    inserted = 0
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            db.session.add(model(**row))
            inserted += 1
        else:
            for field, value in row.items():
                setattr(obj, field, value)
    db.session.flush()
    return inserted


def load_reference_data() -> dict[str, int]:
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
