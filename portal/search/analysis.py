"""How text becomes search terms, the same way when indexed and when searched.

Text (titles, descriptions, occupations, skills): a word is lower-cased and NFC-normalised;
a word in Latin letters is read as Kazakh Latin (the 2021 alphabet: ä ğ ı ñ ö ş ū ü q …, with
sh/zh/kh/ch as a second reading); then every variant is *folded* to what a Russian keyboard can
type (ә→а, ғ→г, қ→к, ң→н, ө→о, ұ/ү→у, һ→х, і→и, ё→е). A word's terms are its folded form, its
Kazakh stems (harmony-aware on the real letters, lenient on folded ones) and its Russian
Snowball stem, so "тігінші", "тигинши", "tigınşı" and "тігіншілер" all share a term, and
"сварщики" meets "сварщик". An indexed Russian compound of a combining form (электро-, газо-,
авто- …) also carries the terms of what follows it, so "сварщик" finds "электрогазосварщик"
(index side only: a query for the compound still asks for the compound).

Names: reduced to a Latin skeleton key (Ахметов, Akhmetov, Ahmetov → ahmetov; Қасымов,
Kassymov → kasimov) that ignores the usual transliteration choices.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from whoosh.analysis import Filter, RegexTokenizer
from whoosh.lang import stemmer_for_language

from portal.search import kazakh_stemmer

WORD = re.compile(r"\w+", re.UNICODE)
DIGIT_GROUPS = re.compile(r"(?<=\d)[\s.\-]+(?=\d)")  # "1234 5678-9012": one number, as typed
MAX_QUERY_WORDS = 8
# Russian combining forms that trades are written with: электро|газо|сварщик, авто|слесарь.
COMBINING_FORMS = ("электро", "газо", "авто", "мото", "гидро", "радио", "тепло", "агро")
MIN_COMPOUND_REST = 5  # "фото|граф" stays whole: a shorter rest is rarely a word of its own

# Kazakh (and ё) to the Russian keyboard's look-alikes.
LOOKALIKE = str.maketrans("әғқңөұүһіё", "агкноуухие")
# The Kazakh Latin alphabet of 2021 (ı is і, i is и/й, y is ы), plus c, w, x seen in the wild.
LATIN_2021 = {
    "a": "а",
    "ä": "ә",
    "b": "б",
    "c": "ц",
    "ç": "ч",
    "d": "д",
    "e": "е",
    "f": "ф",
    "g": "г",
    "ğ": "ғ",
    "h": "х",
    "ı": "і",
    "i": "и",
    "j": "ж",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "ñ": "ң",
    "o": "о",
    "ö": "ө",
    "p": "п",
    "q": "қ",
    "r": "р",
    "s": "с",
    "ş": "ш",
    "t": "т",
    "u": "у",
    "ū": "ұ",
    "ü": "ү",
    "v": "в",
    "w": "у",
    "x": "х",
    "y": "ы",
    "z": "з",
}
LATIN_DIGRAPHS = {"ch": "ч"}  # no c in the 2021 alphabet, so "ch" can only be ч
# Russian-style Latin as people type it: "shveya", "yuvelir".
INFORMAL_DIGRAPHS = {"sh": "ш", "zh": "ж", "kh": "х", "ch": "ч", "ya": "я", "yu": "ю"}
_LATIN = re.compile("[a-zäçğıñöşūüw]")

# Names: every spelling of a letter to one Latin skeleton letter.
NAME_CYRILLIC = {
    "а": "a",
    "ә": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "j",
    "з": "z",
    "и": "i",
    "й": "i",
    "і": "i",
    "ы": "i",
    "к": "k",
    "қ": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "ң": "n",
    "о": "o",
    "ө": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ұ": "u",
    "ү": "u",
    "ф": "f",
    "х": "h",
    "һ": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}
NAME_LATIN = {
    "ä": "a",
    "ç": "ch",
    "ğ": "g",
    "ı": "i",
    "ñ": "n",
    "ö": "o",
    "q": "k",
    "ş": "sh",
    "ū": "u",
    "ü": "u",
    "y": "i",
    "w": "u",
    "x": "h",
    "c": "ts",
    "'": "",
    "’": "",
}
NAME_DIGRAPHS = (("zh", "j"), ("kh", "h"), ("ch", "\0"))  # \0 keeps "ch" from becoming "tsh"
_REPEAT = re.compile(r"(.)\1+")
_GLIDE = re.compile(r"(?<=[aeou])i(?=[aeou])")

# Query words that are not required (prepositions and conjunctions of both languages).
OPTIONAL_WORDS = frozenset(
    {
        "в",
        "во",
        "на",
        "с",
        "со",
        "и",
        "по",
        "для",
        "из",
        "к",
        "у",
        "о",
        "от",
        "за",
        "до",
        "без",
        "или",
        "мен",
        "бен",
        "пен",
        "және",
        "да",
        "де",
        "та",
        "те",
        "үшін",
        "немесе",
    }
)

_russian_stem = stemmer_for_language("ru")


def normalise(text: str) -> str:
    """NFC (ū typed as u + macron is one letter) and lower case (İ → i, not i + dot)."""
    return unicodedata.normalize("NFC", text or "").replace("İ", "i").lower()


def words(text: str) -> list[str]:
    return WORD.findall(normalise(text))


def _transliterate(word: str, digraphs: dict[str, str]) -> str:
    for latin, cyrillic in digraphs.items():
        word = word.replace(latin, cyrillic)
    return "".join(LATIN_2021.get(letter, letter) for letter in word)


def cyrillic_readings(word: str) -> tuple[str, ...]:
    """A lower-case word in Cyrillic: itself; in Latin: the 2021 reading, then the informal one."""
    if not _LATIN.search(word):
        return (word,)
    return tuple(
        dict.fromkeys(
            (_transliterate(word, LATIN_DIGRAPHS), _transliterate(word, INFORMAL_DIGRAPHS))
        )
    )


def fold(text: str) -> str:
    """Lower case, Latin read as Kazakh (2021), Kazakh letters to their Russian look-alikes."""
    return " ".join(cyrillic_readings(word)[0].translate(LOOKALIKE) for word in words(text))


@lru_cache(maxsize=500_000)
def text_terms(word: str) -> tuple[str, ...]:
    """The index terms of one normalised word (see the module docstring)."""
    terms = []
    for reading in cyrillic_readings(word):
        folded = reading.translate(LOOKALIKE)
        terms.append(folded)
        if len(folded) < 3 or not folded.isalpha():
            continue
        terms.extend(stem.translate(LOOKALIKE) for stem in kazakh_stemmer.stems(reading))
        if folded != reading:  # Kazakh letters: the word is Kazakh, not Russian
            terms.extend(kazakh_stemmer.stems(folded))
        else:
            terms.append(_russian_stem(folded))
    return tuple(dict.fromkeys(terms))


@lru_cache(maxsize=500_000)
def index_terms(word: str) -> tuple[str, ...]:
    """The terms a word is indexed by: its text terms and those of a compound's parts."""
    terms = list(text_terms(word))
    rest = word
    while True:
        form = next(
            (
                f
                for f in COMBINING_FORMS
                if rest.startswith(f) and len(rest) - len(f) >= MIN_COMPOUND_REST
            ),
            None,
        )
        if form is None:
            return tuple(dict.fromkeys(terms))
        rest = rest[len(form) :]
        terms.extend(text_terms(rest))


@lru_cache(maxsize=200_000)
def name_key(word: str) -> str:
    """One normalised word of a name as its Latin skeleton (see the module docstring)."""
    for latin, key in NAME_DIGRAPHS:
        word = word.replace(latin, key)
    key = "".join(
        NAME_CYRILLIC[letter] if letter in NAME_CYRILLIC else NAME_LATIN.get(letter, letter)
        for letter in word
    )
    key = _GLIDE.sub("", key.replace("\0", "ch"))  # Zhumabayev, Жұмабаев
    key = _REPEAT.sub(r"\1", key)  # Kassymov, Дмитрий
    return key[1:] if key.startswith("ie") else key  # Yerlan, Ерлан


class TextFilter(Filter):
    """Whoosh filter: each token becomes its index terms (at the same position)."""

    def __call__(self, tokens):
        for token in tokens:
            for term in index_terms(token.text):
                token.text = term
                yield token


class NameFilter(Filter):
    def __call__(self, tokens):
        for token in tokens:
            token.text = name_key(token.text)
            yield token


class _Normalise(Filter):
    def __call__(self, tokens):
        for token in tokens:
            token.text = normalise(token.text)
            yield token


def text_analyzer():
    return RegexTokenizer(WORD) | _Normalise() | TextFilter()


def name_analyzer():
    return RegexTokenizer(WORD) | _Normalise() | NameFilter()


def query_terms(word: str) -> tuple[str, ...]:
    """The terms to look a query word up by: its text terms without the folded word itself
    when it has stems — every indexed word folding to it also carries its (lenient) stems, so
    the folded form's postings are a subset of theirs and only cost time."""
    terms = text_terms(word)
    folded = {reading.translate(LOOKALIKE) for reading in cyrillic_readings(word)}
    stems = tuple(term for term in terms if term not in folded or term in _lenient(folded))
    return stems or terms


def _lenient(folded_words) -> set[str]:
    return {
        stem
        for folded in folded_words
        if len(folded) >= 3 and folded.isalpha()
        for stem in kazakh_stemmer.stems(folded)
    }


@dataclass(frozen=True)
class QueryWord:
    raw: str
    text: tuple[str, ...]  # terms for text fields
    name: str  # key for name fields
    prefix: bool = False  # the word being typed: matches terms that start with it
    optional: bool = False

    @property
    def prefix_text(self) -> str:
        return cyrillic_readings(self.raw)[0].translate(LOOKALIKE)


def parse(query: str, prefix_last: bool = False) -> tuple[QueryWord, ...]:
    """The words of a query (at most MAX_QUERY_WORDS), each with its terms."""
    found = words(DIGIT_GROUPS.sub("", query or ""))[:MAX_QUERY_WORDS]
    optional_all = all(word in OPTIONAL_WORDS for word in found)
    return tuple(
        QueryWord(
            raw=word,
            text=query_terms(word),
            name=name_key(word),
            prefix=prefix_last and i == len(found) - 1,
            optional=word in OPTIONAL_WORDS and not optional_all,
        )
        for i, word in enumerate(found)
    )


def text_matches(query: str, texts: Iterable[str]) -> bool:
    """True when every word of `query` is found in `texts` the way the search finds it —
    folded, stemmed, Latin read as Cyrillic — or begins one of their terms (for short lists
    filtered in Python, such as the occupation picker; the index does the same with Whoosh)."""
    terms = {term for text in texts for word in words(text) for term in index_terms(word)}
    for word in parse(query):
        starts = {reading.translate(LOOKALIKE) for reading in cyrillic_readings(word.raw)}
        if word.optional or terms.intersection(word.text):
            continue
        if not any(term.startswith(start) for term in terms for start in starts):
            return False
    return True
