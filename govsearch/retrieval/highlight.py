"""The sentence of a passage to show first: the one sharing the most query words (through the dictionary
across languages).

A passage's sentences are analysed once and cached: English words as BM25 tokens (stemmed); Chinese text kept
as (simplified) text, in which the query's Chinese words are looked up as substrings. Chinese has no spaces
between words, so a substring is the natural match, and it spares a jieba segmentation of every sentence of
every hit: compare picks sentences for thousands of passages (100,000-passage corpus: 4 of 7 s were jieba).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from govsearch.text.analysis import en_tokens, simplified
from govsearch.text.sentences import ENDS_CLAUSE, sentence_spans
from govsearch.text.unicode_scripts import CJK, CJK_CHAR

_CJK_RUN = re.compile(f"[{CJK}]+")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    words: frozenset[str]  # English (and other Latin-script) BM25 tokens
    chinese: str  # the sentence's Chinese, simplified, runs joined by "|" (a word never spans two runs)
    size: float  # about how many tokens: the longer sentence needs more matches to win


def best_sentence(text: str, wanted: frozenset[str]) -> str:
    """The sentence of text that best matches wanted (the query's tokens, both languages); text itself when it
    is one sentence."""
    sentences = analysed(text)
    if len(sentences) <= 1:
        return text
    chinese = [w for w in wanted if CJK_CHAR.search(w)]

    def score(sentence: Sentence) -> float:
        found = len(sentence.words & wanted) + sum(1 for w in chinese if w in sentence.chinese)
        return found / (1 + 0.02 * sentence.size)

    # a sentence that matches beats a title fragment that matches ("Article 5 Prohibited practices" before "1. The
    # following practices shall be prohibited: …"): a sentence ends like one
    best = max(sentences, key=lambda s: (score(s) > 0 and bool(ENDS_CLAUSE.search(text[s.start:s.end])), score(s)))
    return text[best.start:best.end]


@lru_cache(maxsize=16384)
def analysed(text: str) -> tuple[Sentence, ...]:
    sentences = []
    for start, end in sentence_spans(text):
        part = text[start:end]
        runs = _CJK_RUN.findall(simplified(part)) if CJK_CHAR.search(part) else []
        words = frozenset(en_tokens(_CJK_RUN.sub(" ", part)))
        sentences.append(Sentence(start, end, words, "|".join(runs), len(words) + sum(len(r) for r in runs) / 1.5))
    return tuple(sentences)
