"""The indexes on disk: where they live, how they follow the outbox, how they are rebuilt.

Layout under SEARCH_INDEX_DIR (default <instance>/search), one index per kind:

    sync.lock                  the one writer lock (fcntl; the kernel frees it if a process dies)
    vacancy -> vacancy.<stamp>  a symlink that `rebuild` swaps atomically (os.replace)
    vacancy.<stamp>/           Whoosh files, and applied.json: this index's place in the outbox

Whoosh admits one writer at a time, and web requests must never wait for it: every writer
takes `sync.lock` first, requests with a timeout of (nearly) zero, leaving rows pending when it
is busy. A sync reads the outbox after its position, re-reads each changed row from the
database (a row that is gone is deleted from the index) and writes the documents; only after
Whoosh's commit is the position saved. A sync killed half-way therefore leaves the index as it
was (or with some documents already written), and the next one applies the same rows again:
writes are by unique id, so nothing is missing or duplicated.

Outbox ids are not committed in id order on PostgreSQL: a transaction may commit row 9 after
row 10 was applied. The position is therefore `through` (every row up to it is applied) plus
`extra` (rows applied above a gap). A gap is waited for until the row after it is older than
SEARCH_OUTBOX_GAP_SECONDS; by then the transaction that took the missing id has rolled back.
"""

import fcntl
import hashlib
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import scoring
from whoosh.reading import SegmentReader
from whoosh.writing import MERGE_SMALL

from portal import clock
from portal.database import among
from portal.file_modes import private_folder
from portal.search import schema, whoosh_patches
from portal.search.analysis import QueryWord
from portal.search.models import SearchOutbox

log = logging.getLogger(__name__)

whoosh_patches.apply()  # see there: what is changed inside Whoosh, and why

LOCK_NAME = "sync.lock"
POSITION_NAME = "applied.json"
# A segment this small is rewritten without its deleted documents at once (privacy: a deleted
# or renamed person leaves no term behind); larger ones wait for `flask search sync`.
INLINE_PURGE_DOCS = 2000
KEEP_OLD_FOLDERS = 1  # a searcher opened just before a swap may still read the previous folder
MIN_PREFIX = 2  # shorter words being typed match whole terms only
MAX_PREFIX_TERMS = 200  # a prefix with more terms than this counts as matching everything
REBUILD_SEGMENT_DOCS = 40_000
SCORED_MAX = 4000  # documents a query may match and still be scored (see SearchStore.search)


class SearchUnavailable(RuntimeError):
    """The index cannot be read (missing or broken): the page says so instead of guessing."""


@dataclass(frozen=True)
class Position:
    through: int = 0  # every outbox row up to this id is applied (or never committed)
    extra: frozenset[int] = frozenset()  # rows applied above `through`, past a gap
    database: str = ""  # which database this index follows
    version: int = 1  # the document format it was written with (schema.Kind.version)

    def applied(self, outbox_id: int) -> bool:
        return outbox_id <= self.through or outbox_id in self.extra


@dataclass
class SyncReport:
    skipped: bool = False  # the lock was busy: rows left pending
    applied: dict[str, int] = field(default_factory=dict)  # documents written or deleted
    more: bool = False  # the budget was reached: rows remain


@dataclass(frozen=True)
class Found:
    ids: list[int]  # best first
    truncated: bool  # more hits than the limit
    any_words: bool  # no document had every word: these have some


class SearchStore:
    def __init__(
        self,
        root: str | os.PathLike,
        engine: sa.Engine,
        *,
        gap_seconds: float = 300,
        delay: float = 0.0,
        rebuild_memory_mb: int = 256,
    ):
        self.root = Path(root)
        self.engine = engine
        self.gap_seconds = gap_seconds
        self.rebuild_memory_mb = rebuild_memory_mb  # the posting pool; beyond, sorted runs on disk
        self.delay = delay  # tests only: seconds to wait between documents of a sync
        self.database = hashlib.sha256(
            engine.url.render_as_string(hide_password=True).encode()
        ).hexdigest()[:16]

    # --- Folders and positions ---------------------------------------------------------------

    def folder(self, kind: str) -> Path | None:
        link = self.root / kind
        if not link.is_symlink():
            return None
        target = link.resolve()
        return target if (target / POSITION_NAME).exists() else None

    @staticmethod
    def read_position(folder: Path) -> Position:
        data = json.loads((folder / POSITION_NAME).read_text())
        return Position(
            data["through"], frozenset(data["extra"]), data["database"], data.get("version", 1)
        )

    @staticmethod
    def write_position(folder: Path, position: Position) -> None:
        temporary = folder / f".{POSITION_NAME}.{os.getpid()}"
        temporary.write_text(
            json.dumps(
                {
                    "through": position.through,
                    "extra": sorted(position.extra),
                    "database": position.database,
                    "version": position.version,
                }
            )
        )
        os.replace(temporary, folder / POSITION_NAME)

    def _new_folder(self, kind: str, through: int = 0) -> Path:
        position = Position(through, database=self.database, version=schema.KINDS[kind].version)
        private_folder(self.root)
        folder = self._next_generation(kind)
        whoosh_index.create_in(str(folder), schema.KINDS[kind].schema())
        self.write_position(folder, position)
        return folder

    def _generations(self, kind: str) -> list[Path]:
        """A kind's index folders, oldest first (`<kind>.<number>`, numbers only grow)."""
        return sorted(self.root.glob(f"{kind}.*[0-9]"), key=lambda p: int(p.suffix[1:]))

    def _next_generation(self, kind: str) -> Path:
        """A new, empty folder numbered after the newest; a number another process took first
        is skipped (mkdir is atomic). Numbered, not timed, so a clock set back changes nothing."""
        while True:
            existing = self._generations(kind)
            folder = self.root / f"{kind}.{int(existing[-1].suffix[1:]) + 1 if existing else 1}"
            try:
                folder.mkdir()
                return folder
            except FileExistsError:
                continue

    def _swap(self, kind: str, folder: Path) -> None:
        """Point `<root>/<kind>` at `folder` atomically, then remove folders older than
        the previous one."""
        link = self.root / kind
        temporary = self.root / f".{kind}.{os.getpid()}.link"
        temporary.unlink(missing_ok=True)
        os.symlink(folder.name, temporary)
        os.replace(temporary, link)
        for old in self._generations(kind)[: -1 - KEEP_OLD_FOLDERS]:
            if old != folder:
                shutil.rmtree(old, ignore_errors=True)

    @contextmanager
    def lock(self, timeout: float) -> Iterator[bool]:
        """The writer lock; yields False if not taken within `timeout` seconds."""
        private_folder(self.root)
        handle = os.open(self.root / LOCK_NAME, os.O_CREAT | os.O_RDWR)
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        yield False
                        return
                    time.sleep(0.01)
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            os.close(handle)

    def _usable(self, kind: str, max_outbox_id: int) -> Path | None:
        """The kind's folder, unless it follows another database or one reset since."""
        folder = self.folder(kind)
        if folder is None:
            return None
        position = self.read_position(folder)
        if position.database != self.database or position.through > max_outbox_id:
            return None
        return folder

    def outdated(self) -> list[str]:
        """Kinds with no index, or one written in an older document format: a sync cannot
        mend those (it only applies changes), a rebuild must."""
        return [
            kind
            for kind, spec in schema.KINDS.items()
            if (folder := self.folder(kind)) is None
            or self.read_position(folder).version != spec.version
        ]

    # --- Following the outbox -------------------------------------------------------------------

    def pending(self) -> bool:
        """Are there outbox rows this node has not applied (or an index missing)?"""
        with self.engine.connect() as conn:
            last = conn.execute(sa.select(sa.func.max(SearchOutbox.id))).scalar() or 0
        for kind in schema.KINDS:
            folder = self._usable(kind, last)
            if folder is None or not self.read_position(folder).applied(last):
                return True
        return False

    def sync(
        self,
        *,
        lock_timeout: float = 0.0,
        budget: int | None = None,
        purge: bool = False,
        first: set[tuple[str, int]] = frozenset(),
    ) -> SyncReport:
        """Apply pending outbox rows (at most `budget`) to every index; see the module doc.

        `first`: (kind, id) of documents to write before the backlog, beyond the budget — a
        request's own changes. Writing a document early is safe: every write reads the row's
        current state, so the outbox rows applied later write the same document again."""
        report = SyncReport()
        with self.lock(lock_timeout) as locked:
            if not locked:
                report.skipped = True
                return report
            with self.engine.connect() as conn:
                last = conn.execute(sa.select(sa.func.max(SearchOutbox.id))).scalar() or 0
                folders = {kind: self._usable(kind, last) for kind in schema.KINDS}
                for kind, folder in folders.items():
                    if folder is None:  # first use, or another database: replay from the start
                        folders[kind] = self._new_folder(kind)
                        self._swap(kind, folders[kind])
                positions = {kind: self.read_position(f) for kind, f in folders.items()}
                low = min(p.through for p in positions.values())
                query = (
                    sa.select(
                        SearchOutbox.id,
                        SearchOutbox.kind,
                        SearchOutbox.object_id,
                        SearchOutbox.created_at,
                    )
                    .where(SearchOutbox.id > low)
                    .order_by(SearchOutbox.id)
                )
                # Rows every index applied past a gap are not read again: with a budget, they
                # would fill every batch while the gap is young, and nothing after them would
                # ever be reached.
                done_by_all = frozenset.intersection(*(p.extra for p in positions.values()))
                if done_by_all:
                    query = query.where(
                        sa.not_(among(SearchOutbox.id, sorted(done_by_all), conn.dialect.name))
                    )
                if budget is not None:
                    query = query.limit(budget)
                rows = conn.execute(query).all()
                report.more = budget is not None and len(rows) == budget
                created = self._created(conn, rows, positions.values())
                for kind, folder in folders.items():
                    early = sorted(object_id for k, object_id in first if k == kind)
                    if early:
                        self._write(conn, kind, folder, early, purge=purge)
                    report.applied[kind] = len(early) + self._apply(
                        conn,
                        kind,
                        folder,
                        positions[kind],
                        rows,
                        purge=purge,
                        done=set(early),
                        created=created,
                    )
        return report

    @staticmethod
    def _created(conn, rows, positions) -> dict[int, datetime]:
        """When each outbox row read, and each applied past a gap, was written: the age of
        the row after a gap tells whether the gap can be passed."""
        created = {row.id: row.created_at for row in rows}
        extra = sorted(frozenset().union(*(p.extra for p in positions)) - created.keys())
        if extra:
            created.update(
                conn.execute(
                    sa.select(SearchOutbox.id, SearchOutbox.created_at).where(
                        among(SearchOutbox.id, extra, conn.dialect.name)
                    )
                ).all()
            )
        return created

    def _apply(
        self,
        conn,
        kind: str,
        folder: Path,
        position: Position,
        rows,
        *,
        purge: bool,
        done: set[int] = frozenset(),
        created: dict[int, datetime] | None = None,
    ) -> int:
        ids = list(
            dict.fromkeys(
                row.object_id
                for row in rows
                if row.kind == kind and not position.applied(row.id) and row.object_id not in done
            )
        )
        if ids:
            self._write(conn, kind, folder, ids, purge=purge)
        self.write_position(folder, self._advance(position, rows, created))
        return len(ids)

    def _write(self, conn, kind: str, folder: Path, ids: list[int], *, purge: bool) -> None:
        documents = schema.documents(conn, kind, ids)
        writer = whoosh_index.open_dir(str(folder)).writer(timeout=5.0)
        try:
            for object_id in ids:
                if self.delay:
                    time.sleep(self.delay)
                if object_id in documents:
                    writer.update_document(**documents[object_id])
                else:
                    writer.delete_by_term("id", str(object_id))
        except BaseException:
            writer.cancel()
            raise
        # Candidates: rewrite segments holding deleted (or replaced) documents, so no term of
        # a deleted or renamed person stays on disk.
        writer.commit(
            mergetype=_purging(None if purge else INLINE_PURGE_DOCS)
            if kind == "candidate"
            else MERGE_SMALL
        )

    def _advance(
        self, position: Position, rows, created: dict[int, datetime] | None = None
    ) -> Position:
        """Move `through` over applied rows and over gaps old enough to be rollbacks."""
        now = clock.now()
        created = created if created is not None else {row.id: row.created_at for row in rows}
        applied = set(position.extra) | {row.id for row in rows if row.id > position.through}
        through = position.through
        for outbox_id in sorted(i for i in applied if i > through):
            if outbox_id != through + 1 and not _older(
                created.get(outbox_id), now, self.gap_seconds
            ):
                break  # a younger gap: its transaction may still commit
            through = outbox_id
        return Position(
            through,
            frozenset(i for i in applied if i > through),
            position.database,
            position.version,
        )

    # --- Rebuilding ----------------------------------------------------------------------------

    def rebuild(
        self,
        kinds=None,
        progress: Callable[[str, int], object] | None = None,
        lock_timeout: float = 60.0,
    ) -> dict[str, int]:
        """Build each index from the database into a new folder, catch up with the outbox under
        the lock, and swap it in. Searches and syncs go on meanwhile."""
        built = {}
        for kind in kinds or schema.KINDS:
            with self.engine.connect() as conn:
                # Rows older than the gap window are settled: changes after them get larger ids.
                settled = conn.execute(
                    sa.select(sa.func.max(SearchOutbox.id)).where(
                        SearchOutbox.created_at < clock.now() - timedelta(seconds=self.gap_seconds)
                    )
                ).scalar()
                folder = self._new_folder(kind, settled or 0)
                index = whoosh_index.open_dir(str(folder))
                writer = index.writer(limitmb=self.rebuild_memory_mb)
                try:
                    count = 0
                    for document in schema.all_documents(conn, kind):
                        writer.add_document(**document)
                        count += 1
                        if progress is not None:
                            progress(kind, 1)
                        if count % REBUILD_SEGMENT_DOCS == 0:
                            # A segment per batch keeps the posting pool in memory (spilling it
                            # to sorted runs on disk halves the speed) without growing with it.
                            writer.commit(merge=False)
                            writer = index.writer(limitmb=self.rebuild_memory_mb)
                except BaseException:
                    writer.cancel()
                    shutil.rmtree(folder, ignore_errors=True)
                    raise
                writer.commit(merge=False)
            with self.lock(lock_timeout) as locked:
                if not locked:
                    shutil.rmtree(folder, ignore_errors=True)
                    raise SearchUnavailable(f"the {kind} index is locked by another writer")
                with self.engine.connect() as conn:
                    position = self.read_position(folder)
                    rows = conn.execute(
                        sa.select(
                            SearchOutbox.id,
                            SearchOutbox.kind,
                            SearchOutbox.object_id,
                            SearchOutbox.created_at,
                        )
                        .where(SearchOutbox.id > position.through)
                        .order_by(SearchOutbox.id)
                    ).all()
                    self._apply(conn, kind, folder, position, rows, purge=True)
                self._swap(kind, folder)
            built[kind] = count
        return built

    # --- Searching -----------------------------------------------------------------------------

    def search(
        self, kind: str, words: tuple[QueryWord, ...], filters: dict[str, list[str]], limit: int
    ) -> Found:
        """Ids of the documents matching every required word (or, failing that, any word),
        within `filters` (field → allowed values; an empty list allows nothing), best first.

        Scoring costs microseconds per matching posting: a query whose rarest
        word, within the filters, may match more than SCORED_MAX documents is answered unscored,
        in index order, stopping at the limit — any of them is as good a match as another.
        """
        spec = schema.KINDS[kind]
        required = [w for w in words if not w.optional] or list(words)
        if not required or any(not values for values in filters.values()):
            return Found([], False, False)
        folder = self.folder(kind)
        if folder is None:
            raise SearchUnavailable(f"no {kind} index")
        restrict = [
            wq.Or([wq.Term(name, str(v)) for v in values]) for name, values in filters.items()
        ]
        parts = [_word_query(spec, word) for word in required]
        searcher, ids = _searcher(kind, folder)
        reader = searcher.reader()
        scope = min(
            (
                sum(reader.doc_frequency(name, str(v)) for v in values)
                for name, values in filters.items()
            ),
            default=reader.doc_count_all(),
        )
        estimate = min(scope, *(_estimate(reader, spec, word) for word in required))
        found, any_words = self._matches(searcher, wq.And(parts), restrict, limit, estimate)
        if not found and len(parts) > 1:
            any_words = True
            estimate = min(scope, sum(_estimate(reader, spec, word) for word in required))
            found, _ = self._matches(searcher, wq.Or(parts), restrict, limit, estimate)
        if not found:
            return Found([], False, any_words)
        return Found([int(ids[d]) for d in found[:limit]], len(found) > limit, any_words)

    @staticmethod
    def _matches(searcher, query, restrict, limit: int, estimate: int) -> tuple[list[int], bool]:
        """Up to limit + 1 docnums (one more tells whether there were more), best first."""
        combined = wq.And([query, *(wq.ConstantScoreQuery(r, 0.0) for r in restrict)])
        if estimate <= SCORED_MAX:
            results = searcher.search(combined, limit=limit + 1)
            return [docnum for _score, docnum in results.top_n], False
        reader = searcher.reader()
        matcher = combined.matcher(searcher)
        found = []
        while matcher.is_active() and len(found) <= limit:
            docnum = matcher.id()
            if not reader.is_deleted(docnum):
                found.append(docnum)
            matcher.next()
        return found, False

    def status(self) -> dict[str, dict]:
        out = {}
        for kind in schema.KINDS:
            folder = self.folder(kind)
            if folder is None:
                out[kind] = {"folder": None}
                continue
            position = self.read_position(folder)
            with whoosh_index.open_dir(str(folder)).searcher() as searcher:
                out[kind] = {
                    "folder": folder.name,
                    "documents": searcher.doc_count(),
                    "through": position.through,
                    "extra": len(position.extra),
                    "version": position.version,
                }
        return out


def store() -> SearchStore:
    """The current app's store (one per app: its folder and its database engine)."""
    from flask import current_app

    from portal.extensions import db

    app = current_app._get_current_object()
    found = app.extensions.get("search_store")
    if found is None or found.engine is not db.engine:
        found = app.extensions["search_store"] = SearchStore(
            app.config["SEARCH_INDEX_DIR"],
            db.engine,
            gap_seconds=app.config["SEARCH_OUTBOX_GAP_SECONDS"],
            delay=app.config["SEARCH_SYNC_DELAY"],
            rebuild_memory_mb=app.config["SEARCH_REBUILD_MEMORY_MB"],
        )
    return found


_local = threading.local()


def _searcher(kind: str, folder: Path):
    """This thread's searcher of a kind's index, reopened when a commit has changed it: opening
    one costs ~10 ms, checking an unchanged one nothing. Never shared between threads.

    (Whoosh's own Searcher.refresh() must not be used: when it reuses readers it also keeps the
    segments a commit has merged away, so deleted documents come back.)"""
    cache = _local.__dict__.setdefault("searchers", {})
    cached = cache.get(kind)
    if cached is not None:
        cached_folder, searcher, ids = cached
        if cached_folder == folder and (
            whoosh_patches.latest_generation(searcher) == searcher.reader().generation()
        ):
            return searcher, ids
        searcher.close()
    # TF-IDF with field boosts, not BM25F: as good an order for short titles and names, and
    # without a document-length lookup per posting it scores broad queries 2-4x faster.
    searcher = whoosh_index.open_dir(str(folder)).searcher(weighting=scoring.TF_IDF())
    ids = searcher.reader().column_reader("id") if searcher.doc_count_all() else None
    cache[kind] = (folder, searcher, ids)
    return searcher, ids


def close_searchers() -> None:
    """Close this thread's cached searchers (tests, and a worker shutting down)."""
    for _folder, searcher, _ids in _local.__dict__.pop("searchers", {}).values():
        searcher.close()


def _estimate(reader, spec: schema.Kind, word: QueryWord) -> int:
    """An upper bound of the documents one query word matches (its terms' frequencies)."""
    total = 0
    for name, (analysis, _boost) in spec.fields.items():
        if analysis == schema.TEXT_FIELD:
            terms, prefix = word.text, word.prefix_text
        else:
            terms, prefix = (word.name,) if word.name else (), word.name
        total += sum(reader.doc_frequency(name, term) for term in terms)
        if word.prefix and len(prefix) >= MIN_PREFIX:
            for count, (_term, info) in enumerate(reader.iter_prefix(name, prefix)):
                if count > MAX_PREFIX_TERMS:
                    return reader.doc_count_all()
                total += info.doc_frequency()
    return total


def _word_query(spec: schema.Kind, word: QueryWord) -> wq.Query:
    parts: list[wq.Query] = []
    for name, (analysis, boost) in spec.fields.items():
        if analysis == schema.TEXT_FIELD:
            parts.extend(wq.Term(name, term, boost=boost) for term in word.text)
            if word.prefix and len(word.prefix_text) >= MIN_PREFIX:
                parts.append(wq.Prefix(name, word.prefix_text, boost=boost / 2))
        elif word.name:
            parts.append(wq.Term(name, word.name, boost=boost))
            if word.prefix and len(word.name) >= MIN_PREFIX:
                parts.append(wq.Prefix(name, word.name, boost=boost / 2))
    for name in spec.exact:
        parts.append(wq.Term(name, word.raw))
        if word.raw.isdigit() and len(word.raw) >= 4:
            parts.append(wq.Prefix(name, word.raw))
    return wq.Or(parts)


def _purging(max_docs: int | None):
    """A merge policy that rewrites segments with deleted documents (all of them, or those of
    at most `max_docs`), then merges small segments as usual."""

    def policy(writer, segments):
        kept = []
        for segment in segments:
            if segment.has_deletions() and (
                max_docs is None or segment.doc_count_all() <= max_docs
            ):
                reader = SegmentReader(writer.storage, writer.schema, segment)
                writer.add_reader(reader)
                reader.close()
            else:
                kept.append(segment)
        return MERGE_SMALL(writer, kept)

    return policy


def _older(moment: datetime | None, now: datetime, seconds: float) -> bool:
    return moment is not None and (now - moment).total_seconds() > seconds
