"""A light Kazakh stemmer: strips case, possessive and plural suffixes, in that order.

Kazakh has no Snowball stemmer. A word is stem + plural + possessive + case (мұғалім·дер·іміз·ге),
so each layer is stripped at most once, from the outside in. A suffix is stripped only when

* its vowel agrees with the stem's last vowel (vowel harmony: лар after а/о/ұ/ы, лер after
  ә/е/ө/ү/і; и and у take the harmony of the vowel before them);
* its first consonant fits the sound the stem ends with (лар after vowels and р/у/й, дар after
  л/м/н/ң/з/ж, тар after voiceless consonants: the grammar's own choice of allomorph);
* the stem keeps at least two syllables (so short roots are never cut to a fragment).

After a vowel-initial suffix, the softened final consonant is restored (бастығы → бастық,
кітабы → кітап, жүрегі → жүрек) and a few roots get back the vowel they drop (орны → орын).

Input typed on a Russian keyboard (ә→а, і→и, ү→у, қ→к …) loses the harmony of а, о, у and и.
A word with none of the Kazakh letters is therefore stemmed leniently: a vowel that may stand
for a front or a back one agrees with either suffix.

Known limits, by design of a light stemmer: a bare possessive -ы/-і after ш is never stripped,
because the agent suffix -шы/-ші (тігінші, жұмысшы) is far more frequent than ағашы; derivational
suffixes (-шы, -лық, -лы, -дай) and verb endings are not touched. `stems()` returns every
analysis of an ambiguous ending, so the search index can match either reading.
"""

from functools import lru_cache

KAZAKH_LETTERS = frozenset("әғқңөұүһі")
FRONT = frozenset("әеөүіэ")
BACK = frozenset("аоұыяюё")
VOWELS = frozenset("аәеёиоөуұүыіэюя")
# Folded (Russian keyboard) vowels that stand for a front or a back Kazakh vowel.
AMBIGUOUS_FOLDED = frozenset("аоуи")

# Sound classes of a stem's last letter, which choose a suffix's first consonant.
V, R, L, N, Z, K = "V", "R", "L", "N", "Z", "K"
SONORANT = frozenset("руй")
NASAL = frozenset("мнң")
VOICED = frozenset("зж")
SOFTENED = {"ғ": "қ", "г": "к", "б": "п"}  # after a vowel-initial suffix
# Roots that drop their last vowel before a vowel-initial suffix (орын → орны).
ELIDED = {
    "орн": "орын",
    "халқ": "халық",
    "ауз": "ауыз",
    "мұрн": "мұрын",
    "даус": "дауыс",
    "ерн": "ерін",
    "қарн": "қарын",
    "көрк": "көрік",
    "ойн": "ойын",
    "құлқ": "құлық",
    "ерк": "ерік",
    "бөрк": "бөрік",
    "нарқ": "нарық",
}
# Words that look inflected but are not: place names and roots ending in -ы/-і or -ша.
PROTECTED = frozenset(
    {
        "алматы",
        "қарағанды",
        "қызылорда",
        "өскемен",
        "текелі",
        "шахтинск",
        "сарыарқа",
        "кісі",
        "жылқы",
        "жалақы",
        "сары",
        "ақы",
        "тері",
        "ері",
        "ұлы",
        "қазы",
        "бәрі",
        "мәні",
        "сәбі",
        "ата-ана",
        "шеберхана",
        "асхана",
        "наубайхана",
        "емхана",
        "дәріхана",
    }
)


def _suffix(back: str, front: str, after: str) -> list[tuple[str, str | None, frozenset]]:
    classes = frozenset(after)
    return [(back, "back", classes), (front, "front", classes)]


def _neutral(text: str, after: str) -> list[tuple[str, str | None, frozenset]]:
    return [(text, None, frozenset(after))]


CONSONANT = "RLNZK"
PLURAL = _suffix("лар", "лер", "VR") + _suffix("дар", "дер", "LNZ") + _suffix("тар", "тер", "K")
# Possessive endings; "ы"/"і" (3rd person after a consonant) is the ambiguous one. The 1st and
# 2nd person singular (-ым, -ің, -м, -ң) are left alone: rare in job texts, they collide with
# the many roots ending in -ым/-ім/-ам (білім, өнім, киім, адам).
POSSESSIVE = (
    _suffix("ымыз", "іміз", CONSONANT)
    + _suffix("мыз", "міз", "V")
    + _suffix("ыңыз", "іңіз", CONSONANT)
    + _suffix("ңыз", "ңіз", "V")
    + _suffix("сы", "сі", "V")
    + _suffix("ы", "і", CONSONANT)
)
CASE = (
    _suffix("ның", "нің", "VN")
    + _suffix("дың", "дің", "LRZ")
    + _suffix("тың", "тің", "K")
    + _suffix("ны", "ні", "V")
    + _suffix("ды", "ді", "LRNZ")
    + _suffix("ты", "ті", "K")
    + _suffix("ға", "ге", "VLRNZ")
    + _suffix("қа", "ке", "K")
    + _suffix("дағы", "дегі", "VLRNZ")
    + _suffix("тағы", "тегі", "K")
    + _suffix("да", "де", "VLRNZ")
    + _suffix("та", "те", "K")
    + _suffix("дан", "ден", "VLRZ")
    + _suffix("нан", "нен", "N")
    + _suffix("тан", "тен", "K")
    + _neutral("менен", "VLRN")
    + _neutral("бенен", "Z")
    + _neutral("пенен", "K")
    + _neutral("мен", "VLRN")
    + _neutral("бен", "Z")
    + _neutral("пен", "K")
)
# Case endings that follow a 3rd person possessive take an н (үйі·нде, машинасы·н): they are
# stripped together with it.
_AFTER_POSS3 = (
    ("ның", "нің"),
    ("на", "не"),
    ("нда", "нде"),
    ("ндағы", "ндегі"),
    ("нан", "нен"),
    ("н", "н"),
    ("менен", "менен"),
    ("мен", "мен"),
)
POSSESSIVE_CASE = [
    item
    for back, front in _AFTER_POSS3
    for item in _suffix("сы" + back, "сі" + front, "V")
    + _suffix("ы" + back, "і" + front, CONSONANT)
]

FOLD = str.maketrans("әғқңөұүһі", "агкноуухи")
_ELIDED = {
    False: tuple(ELIDED.items()),
    True: tuple((short.translate(FOLD), full.translate(FOLD)) for short, full in ELIDED.items()),
}


def _by_length(items):
    return tuple(sorted(items, key=lambda item: -len(item[0])))


def _folded(items):
    """The same suffixes as typed on a Russian keyboard (нің → нин, қа → ка)."""
    seen, out = set(), []
    for text, harmony, after in items:
        key = (text.translate(FOLD), harmony)
        if key not in seen:
            seen.add(key)
            out.append((key[0], harmony, after))
    return out


LAYERS = {
    False: (_by_length(POSSESSIVE_CASE + CASE), _by_length(POSSESSIVE), _by_length(PLURAL)),
    True: (
        _by_length(_folded(POSSESSIVE_CASE + CASE)),
        _by_length(_folded(POSSESSIVE)),
        _by_length(_folded(PLURAL)),
    ),
}
POSSESSIVE_CASE_ENDINGS = frozenset(text for text, _h, _a in POSSESSIVE_CASE) | frozenset(
    text.translate(FOLD) for text, _h, _a in POSSESSIVE_CASE
)
BARE_POSS3 = frozenset({"ы", "і", "и"})
# Endings that roots also end with (жалақы, тігін): the unstripped reading is kept as well.
AMBIGUOUS = BARE_POSS3 | frozenset({"ын", "ін", "ин"})
AFTER_VOWEL_POSSESSIVE = frozenset(
    text for text, _h, after in POSSESSIVE + _folded(POSSESSIVE) if after == frozenset("V")
)


def _vowel_positions(word: str) -> list[int]:
    """Indexes of the syllable vowels: у right after a vowel is a glide (ауыл = а·уыл)."""
    found = []
    for i, letter in enumerate(word):
        if letter in VOWELS and not (letter == "у" and i and word[i - 1] in VOWELS):
            found.append(i)
    return found


def syllables(word: str) -> int:
    return len(_vowel_positions(word))


def harmony(stem: str, lenient: bool) -> str | None:
    """ "front", "back", or None when either may follow (no vowel, or an ambiguous one)."""
    for i in reversed(_vowel_positions(stem)):
        letter = stem[i]
        if lenient and letter in AMBIGUOUS_FOLDED:
            return None
        if letter in FRONT:
            return "front"
        if letter in BACK:
            return "back"
        # и, у: take the harmony of the vowel before
    return None


def sound_classes(stem: str) -> frozenset[str]:
    """What the stem ends with, for choosing a suffix's allomorph: a final у is a glide (оқу·ға,
    жинау·дың); a final и (ій) takes either."""
    last = stem[-1]
    if last == "и":
        return frozenset((V, R))
    if last in SONORANT:
        return frozenset(R)
    if last in VOWELS:
        return frozenset(V)
    if last == "л":
        return frozenset(L)
    if last in NASAL:
        return frozenset(N)
    if last in VOICED:
        return frozenset(Z)
    return frozenset(K)


def _restore(stem: str, suffix: str, lenient: bool) -> str:
    """Undo the sound changes a vowel-initial suffix causes (бастығ → бастық, орн → орын)."""
    if not suffix or suffix[0] not in VOWELS or len(stem) < 2:
        return stem
    for elided, full in _ELIDED[lenient]:
        if stem.endswith(elided):
            return stem[: -len(elided)] + full
    if stem[-1] in SOFTENED and stem[-2] in VOWELS:
        return stem[:-1] + SOFTENED[stem[-1]]
    return stem


def _protected(stem: str, lenient: bool) -> bool:
    if stem in PROTECTED:
        return True
    return lenient and stem in _PROTECTED_FOLDED


_PROTECTED_FOLDED = frozenset(word.translate(FOLD) for word in PROTECTED)


def _agent(stem: str) -> bool:
    """Ends with the agent suffix -шы/-ші (тігінші, жұмысшы), never a possessive."""
    return len(stem) > 2 and stem[-2] == "ш" and stem[-1] in "ыіи"


def _fits(stem: str, suffix: str, vowel: str | None, after: frozenset, lenient: bool) -> bool:
    if not stem or syllables(stem) < 2:
        return False
    if not sound_classes(stem) & after:
        return False
    if vowel is not None:
        stem_harmony = harmony(stem, lenient)
        if stem_harmony is not None and stem_harmony != vowel:
            return False
    if suffix[0] in "ыіи" and stem[-1] == "ш":
        return False  # тігінші is an agent noun, not тігінш + і
    if suffix in AFTER_VOWEL_POSSESSIVE and stem[-1] in "ыіи":
        # Only agent nouns and listed roots end in -ы/-і (жұмысшы·сы, кісі·сі); otherwise the
        # stem ends in -с or -м itself (жұмыс·ы, мұғалім, білім).
        return _agent(stem) or _protected(stem, lenient)
    return True


def _candidates(word: str, layer, lenient: bool) -> list[tuple[str, str]]:
    """(stem, suffix) for each suffix of this layer the word can end with."""
    found = []
    for suffix, vowel, after in layer:
        if len(word) <= len(suffix) or not word.endswith(suffix):
            continue
        if suffix[0] in VOWELS and word[: len(word) - len(suffix) + 2].endswith("орын"):
            continue  # орын before a vowel is орн-: кәсіпорын·да, not кәсіпор·ында
        stem = _restore(word[: -len(suffix)], suffix, lenient)
        if _fits(stem, suffix, vowel, after, lenient):
            found.append((stem, suffix))
    return found


def _analyses(word: str) -> list[str]:
    """Every stem the layers allow, the preferred one first."""
    lenient = not any(letter in KAZAKH_LETTERS for letter in word)
    case_layer, possessive_layer, plural_layer = LAYERS[lenient]
    results: list[str] = []

    def plural(stem: str) -> None:
        options = [] if _protected(stem, lenient) else _candidates(stem, plural_layer, lenient)
        results.append(options[0][0] if options else stem)

    def possessive(stem: str) -> None:
        options = [] if _protected(stem, lenient) else _candidates(stem, possessive_layer, lenient)
        if not options:
            plural(stem)
            return
        for option, suffix in _prefer(options):
            plural(option)
            if suffix in AMBIGUOUS:
                plural(stem)  # a root ending in -ы/-і (жалақы) reads the same

    options = [] if _protected(word, lenient) else _candidates(word, case_layer, lenient)
    if not options:
        possessive(word)
    for stem, suffix in _prefer(options):
        if suffix in POSSESSIVE_CASE_ENDINGS:
            plural(stem)
        else:
            possessive(stem)
        if suffix in AMBIGUOUS:
            possessive(word)
    return list(dict.fromkeys(results))


def _prefer(options: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Longest suffix first, except that an -с stem beats a -сы reading (жұмыс·ы, not жұмы·сы)."""

    def key(option):
        stem, suffix = option
        sy_reading = (
            suffix[:1] == "с" and stem[-1:] in "ыіи" and not _agent(stem) and stem not in PROTECTED
        )
        return (sy_reading, -len(suffix))

    return sorted(options, key=key)


@lru_cache(maxsize=200_000)
def stems(word: str) -> tuple[str, ...]:
    """Every plausible stem of a lower-case Cyrillic word, the preferred one first."""
    if syllables(word) < 2:
        return (word,)
    return tuple(_analyses(word))


def stem(word: str) -> str:
    """The preferred stem of a lower-case Cyrillic word."""
    return stems(word)[0]
