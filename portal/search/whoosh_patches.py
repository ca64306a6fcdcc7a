"""What the portal changes inside Whoosh, in one place, for the one version it was tested with.

The patches replace functions inside Whoosh modules: a new Whoosh release may rename or change
them, and a patch then silently does nothing (or breaks). `check_version()` runs at start-up
(create_app) and refuses a version other than TESTED_VERSION; `apply()` runs when the index
module is imported and is idempotent. tests/search/test_whoosh_patches.py checks each patch is
in effect. Upgrading Whoosh: read these patches against the new source, run those tests, then
change TESTED_VERSION together with the pin in pyproject.toml.
"""

import io
import secrets
from importlib import metadata

from whoosh import writing as whoosh_writing
from whoosh.codec import base as whoosh_codec_base
from whoosh.codec.whoosh3 import W3PerDocReader
from whoosh.filedb import compound as whoosh_compound
from whoosh.filedb import filestore as whoosh_filestore
from whoosh.filedb.structfile import BufferFile
from whoosh.util import IDCHARS

DISTRIBUTION = "whoosh-reloaded"
TESTED_VERSION = "2.7.5"

# The modules that name segments and temporary files with their own `random_name`.
RANDOM_NAME_MODULES = (whoosh_codec_base, whoosh_filestore, whoosh_compound, whoosh_writing)


class UntestedWhoosh(RuntimeError):
    """The installed Whoosh is not the version the patches were written and tested against."""


def check_version() -> None:
    try:
        installed = metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        installed = None
    if installed != TESTED_VERSION:
        raise UntestedWhoosh(
            f"{DISTRIBUTION} {installed or 'is not installed'}: the search index patches "
            f"(portal/search/whoosh_patches.py) are tested with {TESTED_VERSION} only; install "
            f"{DISTRIBUTION}=={TESTED_VERSION}, or review the patches for the new version and "
            "change TESTED_VERSION"
        )


def unique_name(size: int = 28) -> str:
    return "".join(secrets.choice(IDCHARS) for _ in range(size))


_column_reader = W3PerDocReader._cached_reader


def cached_reader(self, fieldname, column):
    """Whoosh caches a field's lengths reader but not its absence: a field without lengths
    (the filter keywords) asked the file system once per posting while a segment was written."""
    absent = self.__dict__.setdefault("_absent_columns", set())
    if fieldname in absent:
        return None
    reader = _column_reader(self, fieldname, column)
    if reader is None:
        absent.add(fieldname)
    return reader


class ViewFile(io.RawIOBase):
    """A read-only file over a memoryview, sharing its memory. Whoosh reads a segment of a
    compound file (the mmap of the whole file) as a BufferFile, whose file was a BytesIO: a
    private copy of the segment's terms and postings in every process that searches (at
    100,000 people, 32 MB per worker for the candidate index alone, bench at scale 1)."""

    def __init__(self, view) -> None:
        super().__init__()
        self._view = memoryview(view)
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else self._position + size
        data = bytes(self._view[self._position : end])
        self._position += len(data)
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: len(self._view)}
        self._position = max(0, base[whence] + offset)
        return self._position

    def tell(self) -> int:
        return self._position


def buffer_file(self, buf, name=None, onclose=None) -> None:
    """BufferFile.__init__ as Whoosh has it, reading through a ViewFile instead of a copy."""
    self._buf = buf
    self._name = name
    self.file = ViewFile(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


def apply() -> None:
    # Whoosh names segments and temporary files with the `random` module: processes forked
    # from one parent (gunicorn --preload), or anything that seeds `random`, would draw the
    # same names and collide on disk. Names come from `secrets` instead.
    for module in RANDOM_NAME_MODULES:
        module.random_name = unique_name
    W3PerDocReader._cached_reader = cached_reader
    BufferFile.__init__ = buffer_file


def latest_generation(searcher) -> int:
    """The newest committed generation of the index a searcher reads (Whoosh keeps the index
    object on a private attribute): a searcher whose reader is older must be reopened."""
    return searcher._ix.latest_generation()
