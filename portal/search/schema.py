"""What each index holds: one Whoosh schema per kind, and its documents read from the database.

Only what the search needs is indexed, and nothing is stored but the id. Candidates: name, code,
trades (occupation labels in both languages) and skills, plus the scope columns (region,
institution) for pre-filtering — never offences, restrictions or the IIN. Vacancies
carry their occupation's labels and their place names in both languages, so "тігінші" finds a
vacancy typed as "Швея", and "швея Қарағанды" the ones in Karaganda.

Documents are read with Core queries (no ORM objects), so a rebuild of 100,000 rows is fast.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from whoosh.fields import ID, KEYWORD, TEXT, Schema

from portal.candidates.models import Candidate, candidate_occupation
from portal.database import among
from portal.employers.models import Employer, Vacancy
from portal.matching.eligibility import NIGHT, overlaps
from portal.reference.models import District, Occupation, Region
from portal.search.analysis import name_analyzer, normalise, text_analyzer

TEXT_FIELD, NAME_FIELD = "text", "name"


@dataclass(frozen=True)
class Kind:
    name: str
    model: type
    # Searchable fields: name → (analysis, boost).
    fields: dict[str, tuple[str, float]]
    # Exact-match fields searched with the whole query word (a code, a BIN), with prefix.
    exact: tuple[str, ...]
    # Columns whose change requires the document to be written again.
    indexed_columns: frozenset[str]
    filters: tuple[str, ...]  # keyword fields for pre-filtering
    # Raise it when what a document holds changes: `flask search sync` then rebuilds the index.
    version: int = 1

    def schema(self) -> Schema:
        fields = {"id": ID(stored=True, unique=True, sortable=True)}
        for name in self.filters:
            fields[name] = KEYWORD(commas=False, scorable=False)
        for name in self.exact:
            fields[name] = ID()
        for name, (analysis, _boost) in self.fields.items():
            analyzer = text_analyzer() if analysis == TEXT_FIELD else name_analyzer()
            fields[name] = TEXT(analyzer=analyzer, phrase=False)
        return Schema(**fields)


# Few fields: each field a query word is looked for in is one more posting list to walk.
VACANCY = Kind(
    "vacancy",
    Vacancy,
    fields={"title": (TEXT_FIELD, 2.0), "text": (TEXT_FIELD, 1.0)},  # title: + occupation
    exact=(),
    indexed_columns=frozenset(
        {
            "title_kk",
            "title_ru",
            "description_kk",
            "description_ru",
            "occupation_id",
            "district_id",
            "employer_id",
            "status",
            "shift_start",
            "shift_end",
        }
    ),
    filters=("employer_id", "district_id", "region_id", "status", "schedule", "occupation_group"),
    version=3,  # 2: place names; 3: Latin "ya", "yu" read as я, ю
)
CANDIDATE = Kind(
    "candidate",
    Candidate,
    fields={"name": (NAME_FIELD, 2.0), "text": (TEXT_FIELD, 1.0)},  # text: trades and skills
    exact=("code",),
    indexed_columns=frozenset(
        {
            "full_name",
            "code",
            "skills",
            "occupations",
            "region_id",
            "institution_id",
            "status",
            "anonymised_at",
        }
    ),
    filters=("region_id", "institution_id", "status"),
    version=2,  # 2: Latin "ya", "yu" read as я, ю
)
EMPLOYER = Kind(
    "employer",
    Employer,
    fields={"name": (TEXT_FIELD, 1.0), "name_key": (NAME_FIELD, 1.0)},
    exact=("bin",),
    indexed_columns=frozenset({"name_kk", "name_ru", "bin", "region_id", "district_id", "status"}),
    filters=("region_id", "district_id", "status"),
    version=2,  # 2: Latin "ya", "yu" read as я, ю
)
KINDS = {kind.name: kind for kind in (VACANCY, CANDIDATE, EMPLOYER)}
BATCH = 2000


def schedule(shift_start, shift_end) -> str:
    """ "night" when the shift covers any of 22:00–06:00 (the eligibility rules' NIGHT), "day"
    otherwise, "" when no shift is stated; the SQL form is `filters.schedule_condition`."""
    if shift_start is None or shift_end is None:
        return ""
    return "night" if overlaps((shift_start, shift_end), NIGHT) else "day"


def occupation_groups(code: str) -> str:
    """НКЗ code 7533-0 → "7 75 753 7533 7533-0": every group level, for the group filter."""
    unit = code.split("-")[0]
    return " ".join([unit[:n] for n in range(1, len(unit) + 1)] + [code])


def _text(*parts: str | None) -> str:
    return normalise(" ".join(part for part in parts if part))


def _vacancy_rows(conn, where) -> Iterator[dict]:
    query = (
        sa.select(
            Vacancy.id,
            Vacancy.employer_id,
            Vacancy.district_id,
            District.region_id,
            Vacancy.status,
            Vacancy.shift_start,
            Vacancy.shift_end,
            Vacancy.title_kk,
            Vacancy.title_ru,
            Vacancy.description_kk,
            Vacancy.description_ru,
            Occupation.code,
            Occupation.name_kk.label("occ_kk"),
            Occupation.name_ru.label("occ_ru"),
            Employer.name_kk.label("emp_kk"),
            Employer.name_ru.label("emp_ru"),
            District.name_kk.label("district_kk"),
            District.name_ru.label("district_ru"),
            Region.name_kk.label("region_kk"),
            Region.name_ru.label("region_ru"),
        )
        .join(Occupation, Occupation.id == Vacancy.occupation_id)
        .join(Employer, Employer.id == Vacancy.employer_id)
        .join(District, District.id == Vacancy.district_id)
        .join(Region, Region.id == District.region_id)
        .where(where)
        .order_by(Vacancy.id)
    )
    for row in conn.execute(query):
        yield {
            "id": str(row.id),
            "employer_id": str(row.employer_id),
            "district_id": str(row.district_id),
            "region_id": str(row.region_id),
            "status": row.status,
            "schedule": schedule(row.shift_start, row.shift_end),
            "occupation_group": occupation_groups(row.code),
            "title": _text(row.title_kk, row.title_ru, row.occ_kk, row.occ_ru),
            # Place names, so "швея Караганда" finds the sewing jobs there.
            "text": _text(
                row.emp_kk,
                row.emp_ru,
                row.description_kk,
                row.description_ru,
                row.district_kk,
                row.district_ru,
                row.region_kk,
                row.region_ru,
            ),
        }


def _candidate_rows(conn, where) -> Iterator[dict]:
    people = conn.execute(
        sa.select(
            Candidate.id,
            Candidate.code,
            Candidate.full_name,
            Candidate.skills,
            Candidate.region_id,
            Candidate.institution_id,
            Candidate.status,
        )
        .where(where, Candidate.anonymised_at.is_(None))  # anonymised: out of the index
        .order_by(Candidate.id)
    ).all()
    if not people:
        return
    trades: dict[int, list[str]] = {}
    link = candidate_occupation.c
    for candidate_id, name_kk, name_ru in conn.execute(
        sa.select(link.candidate_id, Occupation.name_kk, Occupation.name_ru)
        .join(Occupation, Occupation.id == link.occupation_id)
        .where(among(link.candidate_id, [p.id for p in people], conn.dialect.name))
    ):
        trades.setdefault(candidate_id, []).extend((name_kk, name_ru))
    for row in people:
        yield {
            "id": str(row.id),
            "code": row.code.lower(),
            "region_id": str(row.region_id),
            "institution_id": str(row.institution_id or ""),
            "status": row.status,
            "name": normalise(row.full_name),
            "text": _text(*trades.get(row.id, ()), row.skills),
        }


def _employer_rows(conn, where) -> Iterator[dict]:
    query = (
        sa.select(
            Employer.id,
            Employer.bin,
            Employer.name_kk,
            Employer.name_ru,
            Employer.region_id,
            Employer.district_id,
            Employer.status,
        )
        .where(where)
        .order_by(Employer.id)
    )
    for row in conn.execute(query):
        name = _text(row.name_kk, row.name_ru)
        yield {
            "id": str(row.id),
            "bin": row.bin,
            "region_id": str(row.region_id),
            "district_id": str(row.district_id or ""),
            "status": row.status,
            "name": name,
            "name_key": name,
        }


_ROWS = {"vacancy": _vacancy_rows, "candidate": _candidate_rows, "employer": _employer_rows}


def documents(conn, kind: str, ids: Iterable[int]) -> dict[int, dict]:
    """The documents of these ids that exist in the database (a missing id was deleted)."""
    model = KINDS[kind].model
    found = {}
    ids = sorted(set(ids))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        for doc in _ROWS[kind](conn, among(model.id, chunk, conn.dialect.name)):
            found[int(doc["id"])] = doc
    return found


def all_documents(conn, kind: str) -> Iterator[dict]:
    """Every document of a kind, read in batches of BATCH ids (keyset pagination)."""
    model = KINDS[kind].model
    last = 0
    while True:
        batch_ids = (
            conn.execute(sa.select(model.id).where(model.id > last).order_by(model.id).limit(BATCH))
            .scalars()
            .all()
        )
        if not batch_ids:
            return
        yield from _ROWS[kind](conn, model.id.between(batch_ids[0], batch_ids[-1]))
        last = batch_ids[-1]


def count(conn, kind: str) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(KINDS[kind].model)).scalar_one()
