"""The Kazakh stemmer on a list of real word forms (tests/data/kazakh_stems.tsv)."""

from pathlib import Path

import pytest

from portal.search.analysis import fold, text_terms
from portal.search.kazakh_stemmer import harmony, stem, stems, syllables

ROWS = [
    line.split("\t")
    for line in (Path(__file__).parent.parent / "data" / "kazakh_stems.tsv")
    .read_text(encoding="utf-8")
    .splitlines()
    if line and not line.startswith("#")
]


def test_the_list_is_long_enough():
    assert len(ROWS) >= 200
    assert len({form for form, _stem in ROWS}) == len(ROWS), "a form is listed twice"


@pytest.mark.parametrize(("form", "expected"), ROWS, ids=[form for form, _ in ROWS])
def test_stem(form, expected):
    assert stem(form) == expected


@pytest.mark.parametrize(("form", "expected"), ROWS, ids=[form for form, _ in ROWS])
def test_typed_on_a_russian_keyboard_the_forms_meet_again(form, expected):
    """Folded (ә→а, і→и …) forms lose harmony, so they are stemmed leniently; still, the form
    typed on a Russian keyboard shares a search term with the form and with its stem."""
    typed = text_terms(fold(form))
    assert set(typed) & set(text_terms(form))
    assert set(typed) & set(text_terms(expected))


def test_forms_of_one_word_share_a_stem_and_different_words_do_not():
    by_stem: dict[str, set[str]] = {}
    for form, expected in ROWS:
        by_stem.setdefault(expected, set()).update(stems(form))
    words = sorted(by_stem)
    for i, first in enumerate(words):
        for second in words[i + 1 :]:
            assert not (by_stem[first] & by_stem[second]) or first in second or second in first, (
                first,
                second,
                by_stem[first] & by_stem[second],
            )


def test_never_below_two_syllables():
    for form, _expected in ROWS:
        for result in stems(form):
            assert syllables(result) >= min(2, syllables(form)), (form, result)


@pytest.mark.parametrize(
    ("word", "lenient", "expected"),
    [
        ("мектеп", False, "front"),
        ("жұмыс", False, "back"),
        ("оқу", False, "back"),
        ("тігу", False, "front"),
        ("бригадир", False, "back"),  # и, у take the vowel before
        ("тигинши", True, None),
        ("мектеп", True, "front"),
        ("жумыс", True, "back"),
    ],
)
def test_harmony(word, lenient, expected):
    assert harmony(word, lenient) == expected


def test_a_suffix_of_the_wrong_harmony_is_not_an_ending():
    assert stem("түркістан") == "түркістан"  # -тан after і: not the ablative
    assert stem("мектептар") == "мектептар"  # -тар after е is not Kazakh
    assert stem("мектептер") == "мектеп"
