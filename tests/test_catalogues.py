"""Both catalogues are complete: every message in the code is translated, none fuzzy, no English."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = {
    lang: ROOT / "portal" / "translations" / lang / "LC_MESSAGES" / "messages.po"
    for lang in ("kk", "ru")
}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|<[^>]+>|\{[^}]*\}")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def read(lang: str):
    with CATALOGUES[lang].open("rb") as handle:
        return read_po(handle, locale=lang)


@pytest.fixture(scope="module")
def source_messages(tmp_path_factory) -> set[str]:
    """The msgids in the code today, extracted exactly as `make i18n` does."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "N_",
            "-k",
            "lazy_ngettext:1,2",
            "--no-location",
            "-o",
            str(pot),
            "portal",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


@pytest.mark.parametrize("lang", CATALOGUES)
def test_every_source_message_is_in_the_catalogue(lang, source_messages):
    catalogue = {m.id if isinstance(m.id, str) else m.id[0] for m in read(lang) if m.id}
    missing = sorted(source_messages - catalogue)
    assert missing == [], f"run `make i18n` and translate these in {lang}"


@pytest.mark.parametrize("lang", CATALOGUES)
def test_no_message_is_empty_or_fuzzy(lang):
    problems = []
    for message in read(lang):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(s.strip() for s in strings):
            problems.append(message.id)
    assert problems == []


@pytest.mark.parametrize("lang", CATALOGUES)
def test_no_english_left_in_translations(lang):
    english = []
    for message in read(lang):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            if message.id and LATIN_WORD.search(PLACEHOLDER.sub("", text or "")):
                english.append(text)
    assert english == []


def test_russian_plurals_have_three_forms():
    catalogue = read("ru")
    for message in catalogue:
        if message.pluralizable:
            assert len(message.string) == catalogue.num_plurals == 3, message.id
