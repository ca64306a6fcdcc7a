"""Helpers for the search tests: the index's content and the database's, as comparable sets."""

from whoosh import index as whoosh_index

from portal.extensions import db
from portal.search import schema


def index_snapshot(search_store, kind: str) -> set[tuple[int, str, str]]:
    """Every (id, field, term) of the live documents of an index."""
    folder = search_store.folder(kind)
    found = set()
    with whoosh_index.open_dir(str(folder)).searcher() as searcher:
        reader = searcher.reader()
        if not reader.doc_count_all():
            return found  # an empty index has no columns to read
        ids = reader.column_reader("id")
        for field, term in reader.all_terms():
            if field == "id":
                continue
            for docnum in reader.postings(field, term).all_ids():
                if not reader.is_deleted(docnum):
                    found.add((int(ids[docnum]), field, _text(term)))
        live = [docnum for docnum in reader.all_doc_ids()]
        assert len(live) == len({int(ids[d]) for d in live}), "a document is indexed twice"
    return found


def database_snapshot(kind: str) -> set[tuple[int, str, str]]:
    """What the index of a kind must hold, analysed from the database's rows."""
    spec = schema.KINDS[kind]
    found_schema = spec.schema()
    found = set()
    with db.engine.connect() as conn:
        for document in schema.all_documents(conn, kind):
            object_id = int(document["id"])
            for field, value in document.items():
                if field == "id" or not value:
                    continue
                for term in found_schema[field].process_text(value, mode="index"):
                    found.add((object_id, field, _text(term)))
    return found


def _text(term) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


def assert_index_matches_database(search_store) -> None:
    for kind in schema.KINDS:
        assert index_snapshot(search_store, kind) == database_snapshot(kind), kind
