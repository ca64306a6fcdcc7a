"""Each change the portal makes inside Whoosh is in effect, and only the tested Whoosh starts."""

import random

import pytest
from whoosh import fields
from whoosh import index as whoosh_index
from whoosh import query as whoosh_query
from whoosh.codec.whoosh3 import W3PerDocReader

import portal.search.index  # noqa: F401  (applies the patches, as the app does)
from portal import create_app
from portal.search import whoosh_patches


def test_the_installed_whoosh_is_the_tested_one():
    whoosh_patches.check_version()


@pytest.mark.parametrize("installed", ["2.7.6", "3.0.0"])
def test_another_whoosh_version_stops_the_start_with_a_clear_error(monkeypatch, installed):
    monkeypatch.setattr(whoosh_patches.metadata, "version", lambda name: installed)
    with pytest.raises(whoosh_patches.UntestedWhoosh) as error:
        create_app({"TESTING": True})
    message = str(error.value)
    assert installed in message and whoosh_patches.TESTED_VERSION in message
    assert "whoosh_patches.py" in message


def test_a_missing_whoosh_stops_the_start(monkeypatch):
    def missing(name):
        raise whoosh_patches.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(whoosh_patches.metadata, "version", missing)
    with pytest.raises(whoosh_patches.UntestedWhoosh, match="not installed"):
        whoosh_patches.check_version()


@pytest.mark.parametrize("module", whoosh_patches.RANDOM_NAME_MODULES, ids=lambda m: m.__name__)
def test_file_names_do_not_follow_the_random_seed(module):
    assert module.random_name is whoosh_patches.unique_name
    random.seed(7)
    first = module.random_name()
    random.seed(7)  # a forked process, or a library seeding `random`, starts here again
    assert module.random_name() != first


def test_segments_of_two_indexes_seeded_alike_have_different_names(tmp_path):
    names = []
    for folder in (tmp_path / "a", tmp_path / "b"):
        folder.mkdir()
        index = whoosh_index.create_in(str(folder), fields.Schema(id=fields.ID(stored=True)))
        random.seed(3)
        with index.writer() as writer:
            writer.add_document(id="1")
        names.append({segment.segment_id() for segment in index._segments()})
    assert names[0].isdisjoint(names[1])


def test_a_field_without_lengths_is_looked_up_once(tmp_path, monkeypatch):
    assert W3PerDocReader._cached_reader is whoosh_patches.cached_reader
    schema = fields.Schema(id=fields.ID(stored=True), tags=fields.KEYWORD)
    index = whoosh_index.create_in(str(tmp_path), schema)
    with index.writer() as writer:
        writer.add_document(id="1", tags="a b")
        writer.add_document(id="2", tags="b")
    asked = []
    has_column = W3PerDocReader.has_column

    def counting(self, fieldname):
        asked.append(fieldname)
        return has_column(self, fieldname)

    monkeypatch.setattr(W3PerDocReader, "has_column", counting)
    with index.reader() as reader:
        perdoc = reader._perdoc
        for docnum in (0, 1, 0, 1):
            assert perdoc.doc_field_length(docnum, "id") == 0  # ID: no lengths column
    assert len(asked) == 1


def test_the_searcher_generation_helper_reads_the_index(tmp_path):
    index = whoosh_index.create_in(str(tmp_path), fields.Schema(id=fields.ID(stored=True)))
    with index.writer() as writer:
        writer.add_document(id="1")
    with index.searcher() as searcher:
        before = whoosh_patches.latest_generation(searcher)
        assert searcher.reader().generation() == before
        with index.writer() as writer:
            writer.add_document(id="2")
        assert whoosh_patches.latest_generation(searcher) == before + 1
        assert searcher.reader().generation() == before  # this searcher must be reopened


def test_a_compound_segment_is_read_in_place_not_copied(tmp_path):
    schema = fields.Schema(id=fields.ID(stored=True), name=fields.TEXT)
    index = whoosh_index.create_in(str(tmp_path), schema)
    with index.writer() as writer:
        for n in range(200):
            writer.add_document(id=str(n), name=f"name{n} common")
    with index.searcher() as searcher:
        postings = searcher.reader()._terms._postfile
        assert isinstance(postings.file, whoosh_patches.ViewFile)  # over the file's mmap
        found = searcher.search(whoosh_query.Term("name", "common"), limit=None)
        assert sorted(int(hit["id"]) for hit in found) == list(range(200))
        assert [hit["id"] for hit in searcher.search(whoosh_query.Term("name", "name7"))] == ["7"]


def test_the_view_file_reads_and_seeks_as_a_file():
    view = whoosh_patches.ViewFile(memoryview(b"abcdefgh"))
    assert view.read(3) == b"abc" and view.tell() == 3
    view.seek(-2, 2)
    assert view.read() == b"gh" and view.read(5) == b""
    view.seek(1)
    view.seek(2, 1)
    assert view.read(2) == b"de"
    buffer = bytearray(4)
    assert view.readinto(buffer) == 3 and bytes(buffer[:3]) == b"fgh"
