"""Search benchmark: index build rate, query latency, and correct answers to 30 realistic
queries — Whoosh beside SQL LIKE (SQLite) / ILIKE (PostgreSQL) on the same data, in one run.

    python -m bench.search_bench                         # both backends, 100,000 candidates
    python -m bench.search_bench --backend sqlite --scale 0.1

Targets (docs/design.md): build ≥ 2,000 documents/s, query p95 ≤ 20 ms. A query is answered
correctly when the returned set has at least 90 % of the expected rows (recall) and at least
90 % of what it returns is expected (precision). Results also go to bench/out/.
"""

import argparse
import json
import os
import secrets
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bench import data
from portal import create_app
from portal.auth.models import ADMIN, User
from portal.candidates.models import Candidate, candidate_occupation
from portal.employers.models import Vacancy
from portal.extensions import db
from portal.reference.models import Occupation
from portal.search import service
from portal.search.analysis import parse, words
from portal.search.filters import CandidateFilters, VacancyFilters
from portal.search.index import store

POSTGRES_URL = os.environ.get(
    "PORTAL_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
OUT = Path(__file__).parent / "out"
SEWING = {"7533-0", "8153-1"}
TAILORING = SEWING | {"7531-0"}  # тігінші also names the tailor (Тігінші-шебер)
WELDING = {"7212-0", "7212-1"}
COOKS = {"5120-0", "3434-0"}
DRIVERS = {"8322-0", "8331-0", "8332-0", "8344-0"}


@dataclass(frozen=True)
class Query:
    kind: str  # "vacancy" | "candidate"
    text: str
    codes: frozenset[str] = frozenset()  # expected: rows of these occupations
    name: str = ""  # expected: candidates with exactly this full name
    note: str = ""


def q(kind, text, codes=(), name="", note=""):
    return Query(kind, text, frozenset(codes), name, note)


QUERIES = [
    q("vacancy", "швея", SEWING, note="ru"),
    q("vacancy", "швеи", SEWING, note="ru, plural"),
    q("vacancy", "тігінші", TAILORING, note="kk; Russian-only titles via the occupation"),
    q("vacancy", "тигинши", TAILORING, note="kk on a Russian keyboard"),
    q("vacancy", "tigınşı", TAILORING, note="kk, Latin 2021"),
    q("vacancy", "тігіншілер", TAILORING, note="kk, plural"),
    q("vacancy", "сварщик", WELDING, note="ru; электрогазосварщик is one word"),
    q("vacancy", "сварщики", WELDING, note="ru, plural"),
    q("vacancy", "дәнекерлеуші", WELDING, note="kk"),
    q("vacancy", "данекерлеушилер", WELDING, note="kk plural, Russian keyboard"),
    q("vacancy", "повар", COOKS, note="ru"),
    q("vacancy", "поваров", COOKS, note="ru, genitive plural"),
    q("vacancy", "аспаз", COOKS, note="kk"),
    q("vacancy", "кірпіш қалаушы", {"7112-0"}, note="kk, two words"),
    q("vacancy", "каменщики", {"7112-0"}, note="ru, plural"),
    q("vacancy", "грузчик", {"9333-0"}, note="ru"),
    q("vacancy", "жүк тиеуші", {"9333-0"}, note="kk, two words"),
    q("vacancy", "водители", DRIVERS, note="ru, plural"),
    q("vacancy", "жүргізуші", DRIVERS, note="kk; labels say жүргізушісі"),
    q("vacancy", "наубайшы", {"7512-0"}, note="kk"),
    q("vacancy", "пекари", {"7512-0"}, note="ru, plural"),
    q("vacancy", "бетонщик", {"7114-0"}, note="ru"),
    q("candidate", "Серік Ахметов", name="Серік Ахметов", note="Cyrillic"),
    q("candidate", "Serik Akhmetov", name="Серік Ахметов", note="passport Latin"),
    q("candidate", "Серик Ахметов", name="Серік Ахметов", note="without Kazakh letters"),
    q("candidate", "Kassymov Kanat", name="Қанат Қасымов", note="Latin, surname first"),
    q("candidate", "Zhakypov Askhat", name="Асхат Жақыпов", note="Latin"),
    q("candidate", "Наталья Орлова", name="Наталья Орлова", note="ru"),
    q("candidate", "тігінші", TAILORING, note="trade, kk"),
    q("candidate", "водитель", DRIVERS, note="trade, ru"),
]
MODELS = {"vacancy": Vacancy, "candidate": Candidate}


# --- Databases --------------------------------------------------------------------------------


@contextmanager
def throwaway_database(backend: str):
    """A new, empty database: a temporary SQLite file, or a PostgreSQL database dropped after."""
    if backend == "sqlite":
        folder = tempfile.mkdtemp(prefix="portal-search-bench-")
        yield f"sqlite:///{folder}/bench.db", folder
        return
    admin = make_url(POSTGRES_URL).set(drivername="postgresql").render_as_string(False)
    name = f"portal_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield (
            make_url(POSTGRES_URL).set(database=name).render_as_string(False),
            tempfile.mkdtemp(prefix="portal-search-bench-"),
        )
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- What each approach answers ---------------------------------------------------------------


def expected_ids(query: Query) -> set[int]:
    if query.name:
        # Names are encrypted (portal/data_crypto.py): compared after decryption.
        people = db.session.execute(sa.select(Candidate.id, Candidate.full_name))
        return {row.id for row in people if row.full_name == query.name}
    codes = sa.select(Occupation.id).where(Occupation.code.in_(query.codes))
    if query.kind == "vacancy":
        return set(
            db.session.scalars(sa.select(Vacancy.id).where(Vacancy.occupation_id.in_(codes)))
        )
    return set(
        db.session.scalars(
            sa.select(candidate_occupation.c.candidate_id).where(
                candidate_occupation.c.occupation_id.in_(codes)
            )
        )
    )


def like_condition(query: Query) -> sa.ColumnElement[bool]:
    """Every word somewhere in the row's text or its occupations' labels (lower-cased LIKE on
    SQLite, which has a Unicode lower() here; ILIKE on PostgreSQL)."""
    postgres = db.engine.dialect.name == "postgresql"

    def contains(column, word):
        pattern = f"%{word}%"
        return column.ilike(pattern) if postgres else sa.func.lower(column).like(pattern)

    labels = (Occupation.name_kk, Occupation.name_ru)
    clauses = []
    for word in words(query.text):
        if query.kind == "vacancy":
            fields = [
                Vacancy.title_kk,
                Vacancy.title_ru,
                Vacancy.description_kk,
                Vacancy.description_ru,
            ]
            occupations = sa.select(Occupation.id).where(
                sa.or_(*(contains(c, word) for c in labels))
            )
            clauses.append(
                sa.or_(*(contains(c, word) for c in fields), Vacancy.occupation_id.in_(occupations))
            )
        else:
            link = candidate_occupation.c
            trades = (
                sa.select(link.candidate_id)
                .join(Occupation, Occupation.id == link.occupation_id)
                .where(sa.or_(*(contains(c, word) for c in labels)))
            )
            clauses.append(
                sa.or_(
                    contains(Candidate.full_name, word),
                    contains(Candidate.skills, word),
                    Candidate.id.in_(trades),
                )
            )
    return sa.and_(*clauses)


def like_ids(query: Query) -> set[int]:
    model = MODELS[query.kind]
    return set(db.session.scalars(sa.select(model.id).where(like_condition(query))))


def like_page(query: Query) -> int:
    model = MODELS[query.kind]
    condition = like_condition(query)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(model).where(condition))
    db.session.scalars(sa.select(model).where(condition).order_by(model.id.desc()).limit(25)).all()
    return total


def whoosh_ids(query: Query, limit: int) -> list[int]:
    return store().search(query.kind, parse(query.text), {}, limit=limit).ids


def whoosh_page(query: Query, admin: User) -> int:
    if query.kind == "vacancy":
        return service.search_vacancies(admin, query.text, VacancyFilters()).total
    return service.search_candidates(admin, query.text, CandidateFilters()).total


def judge(found: set[int], expected: set[int]) -> tuple[float, float, bool]:
    recall = len(found & expected) / len(expected) if expected else float(not found)
    precision = len(found & expected) / len(found) if found else float(not expected)
    return recall, precision, recall >= 0.9 and precision >= 0.9


def timed(function: Callable[[], object], repeat: int) -> list[float]:
    function()  # warm-up: caches, first-open of the index
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def percentiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
    }


# --- The run ----------------------------------------------------------------------------------


def run(backend: str, scale: float, repeat: int, seed: int) -> dict:
    from flask_migrate import upgrade

    from portal.reference.loader import load_reference_data

    sizes = {
        "employers": max(1, round(5_000 * scale)),
        "vacancies": max(1, round(20_000 * scale)),
        "candidates": max(1, round(100_000 * scale)),
    }
    with throwaway_database(backend) as (url, folder):
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "SECRET_KEY": secrets.token_hex(32),
                "SEARCH_INDEX_DIR": os.path.join(folder, "search"),
                "SEARCH_SYNC_AFTER_COMMIT": False,
            }
        )
        with app.app_context():
            upgrade()
            load_reference_data()
            db.session.commit()
            started = time.perf_counter()
            with db.engine.begin() as conn:
                data.generate(conn, seed=seed, **sizes)
            inserted = time.perf_counter() - started
            admin = User(email="bench@example.kz", full_name="Bench", role=ADMIN, password_hash="-")
            db.session.add(admin)
            db.session.commit()

            started = time.perf_counter()
            per_kind = {}
            for kind in ("vacancy", "candidate", "employer"):
                kind_started = time.perf_counter()
                count = store().rebuild([kind])[kind]
                per_kind[kind] = {
                    "documents": count,
                    "seconds": round(time.perf_counter() - kind_started, 2),
                }
            build_seconds = time.perf_counter() - started
            documents = sum(k["documents"] for k in per_kind.values())

            timings = {"whoosh_index": [], "whoosh_page": [], "like_page": []}
            answers = []
            for query in QUERIES:
                timings["whoosh_index"] += timed(
                    lambda query=query: whoosh_ids(query, 1000), repeat
                )
                timings["whoosh_page"] += timed(
                    lambda query=query: whoosh_page(query, admin), repeat
                )
                timings["like_page"] += timed(lambda query=query: like_page(query), repeat)
                expected = expected_ids(query)
                whoosh = judge(set(whoosh_ids(query, 10**7)), expected)
                like = judge(like_ids(query), expected)
                answers.append(
                    {
                        "kind": query.kind,
                        "query": query.text,
                        "note": query.note,
                        "expected": len(expected),
                        "whoosh": {
                            "recall": round(whoosh[0], 3),
                            "precision": round(whoosh[1], 3),
                            "correct": whoosh[2],
                        },
                        "like": {
                            "recall": round(like[0], 3),
                            "precision": round(like[1], 3),
                            "correct": like[2],
                        },
                    }
                )
            db.session.remove()
            db.engine.dispose()
    return {
        "backend": backend,
        "scale": scale,
        "sizes": sizes,
        "insert_seconds": round(inserted, 1),
        "build": {
            "documents": documents,
            "seconds": round(build_seconds, 2),
            "documents_per_second": round(documents / build_seconds),
            "per_kind": per_kind,
        },
        "latency_ms": {
            name: {k: round(v, 2) for k, v in percentiles(t).items()} for name, t in timings.items()
        },
        "runs_per_method": len(timings["like_page"]),
        "correct": {
            "whoosh": sum(a["whoosh"]["correct"] for a in answers),
            "like": sum(a["like"]["correct"] for a in answers),
            "of": len(answers),
        },
        "answers": answers,
    }


def report(result: dict) -> str:
    sizes, build, latency = result["sizes"], result["build"], result["latency_ms"]
    lines = [
        f"== {result['backend']} (scale {result['scale']}): {sizes['employers']:,} employers, "
        f"{sizes['vacancies']:,} vacancies, {sizes['candidates']:,} candidates "
        f"(bulk insert {result['insert_seconds']} s)",
        f"index build: {build['documents']:,} documents in {build['seconds']} s = "
        f"{build['documents_per_second']:,} documents/s (target >= 2,000)  "
        + ", ".join(
            f"{k} {v['documents']:,} in {v['seconds']} s" for k, v in build["per_kind"].items()
        ),
        f"latency over {len(QUERIES)} queries x {result['runs_per_method'] // len(QUERIES)} runs "
        f"(ms)                                  p50      p95  (target p95 <= 20)",
    ]
    names = {
        "whoosh_index": "Whoosh: index query (ids of the best 1,000)",
        "whoosh_page": "Whoosh: search page (index + SQL scope + 25 rows)",
        "like_page": "SQL LIKE/ILIKE: count + 25 rows",
    }
    for key, label in names.items():
        lines.append(f"  {label:<62} {latency[key]['p50']:>7.2f}  {latency[key]['p95']:>7.2f}")
    correct = result["correct"]
    lines.append(
        f"correct answers (recall and precision >= 90 %): Whoosh {correct['whoosh']}"
        f"/{correct['of']}, LIKE {correct['like']}/{correct['of']}"
    )
    lines.append(f"  {'query':<22}{'kind':<10}{'expected':>9}   Whoosh R/P      LIKE R/P     note")
    for a in result["answers"]:
        w, like = a["whoosh"], a["like"]
        lines.append(
            f"  {a['query']:<22}{a['kind']:<10}{a['expected']:>9}   "
            f"{w['recall']:.2f}/{w['precision']:.2f} {'ok' if w['correct'] else '--'}   "
            f"{like['recall']:.2f}/{like['precision']:.2f} {'ok' if like['correct'] else '--'}   "
            f"{a['note']}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="fraction of the full size (100,000 candidates, 20,000 vacancies)",
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each query")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    for backend in ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]:
        result = run(backend, args.scale, args.repeat, args.seed)
        (OUT / f"search-{backend}.json").write_text(
            json.dumps(result, ensure_ascii=False, indent=1)
        )
        print(report(result), flush=True)


if __name__ == "__main__":
    main()
