"""Uncatalogued documents that are one text in two languages: a Chinese file and its English translation (or the
reverse) dropped into the corpus without a catalog entry that says so. Left apart, each statement would be two
hits, and a question in one language would not see the other's wording as the same statement.

Two documents are read as one when their passages align as a translation's do (linking.align, the alignment the
versions of a catalogued document get): most passages of the shorter one find their counterpart, in order. Only
the likeliest partner of each document is aligned, chosen by the numbers both texts give (dates, counts, article
numbers survive translation) and by their lengths, so a corpus of many documents does not align every pair.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

from govsearch.ingest import linking
from govsearch.records import Document, Passage
from govsearch.text.references import references

MIN_PASSAGES = 3  # a shorter text than this cannot show that it aligns
MIN_ALIGNED_SHARE = 0.6  # of the shorter version's passages, matched to a counterpart in order
MAX_LENGTH_FACTOR = 2.5  # English characters per Chinese character, against linking.EN_CHARS_PER_ZH_CHAR
CANDIDATES = 2  # English documents aligned with each Chinese one
ALIGNED_PASSAGES = 30  # of the shorter text, from its start
BAND = 5  # passages either side of the same relative place in the other text
NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class TranslationPair:
    english: Document
    chinese: Document
    aligned_share: float


@dataclass(frozen=True)
class _Text:
    """What pairing needs of one document, found once."""

    document: Document
    passages: list[Passage]
    characters: int
    numbers: frozenset[str]

    @classmethod
    def of(cls, document: Document, passages: list[Passage]) -> _Text:
        return cls(document, passages, sum(len(p.text) for p in passages), frozenset(_numbers(passages)))


def translation_pairs(documents: list[Document], passages: list[Passage]) -> list[TranslationPair]:
    """Pairs of uncatalogued one-version documents, one English and one Chinese, that are one text."""
    by_version: dict[str, list[Passage]] = defaultdict(list)
    for p in passages:
        by_version[p.version_id].append(p)
    singles = [_Text.of(d, by_version[d.versions[0].id]) for d in documents
               if not d.catalogued and len(d.versions) == 1 and len(by_version[d.versions[0].id]) >= MIN_PASSAGES]
    english = [t for t in singles if t.document.versions[0].language == "en"]
    pairs, taken = [], set()
    for chinese in (t for t in singles if t.document.versions[0].language == "zh"):
        for partner in _likeliest(chinese, [t for t in english if t.document.id not in taken]):
            share = _aligned_share(chinese.passages, partner.passages)
            if share >= MIN_ALIGNED_SHARE:
                pairs.append(TranslationPair(partner.document, chinese.document, share))
                taken.add(partner.document.id)
                break
    return pairs


def _likeliest(chinese: _Text, english: list[_Text]) -> list[_Text]:
    """The CANDIDATES English texts worth aligning with this Chinese one, likeliest first: of a translation's length,
    sharing the most numbers, then closest in length."""
    scored = []
    for candidate in english:
        ratio = candidate.characters / max(1, chinese.characters) / linking.EN_CHARS_PER_ZH_CHAR
        if not 1 / MAX_LENGTH_FACTOR <= ratio <= MAX_LENGTH_FACTOR:
            continue
        shared = len(chinese.numbers & candidate.numbers) / max(1, len(chinese.numbers | candidate.numbers))
        scored.append((shared, -abs(math.log(ratio)), candidate.document.id, candidate))
    return [candidate for *_, candidate in sorted(scored, key=lambda s: s[:2], reverse=True)[:CANDIDATES]]


def _numbers(passages: list[Passage]) -> set[str]:
    """The numbers a text gives, with the parts it cites read as digits (第十二条 → 12, text/references.py)."""
    found = set()
    for p in passages:
        found.update(n.lstrip("0") or "0" for n in NUMBER.findall(p.text))
        found.update(number for _, number in references(p.text))
    return found


def _aligned_share(chinese: list[Passage], english: list[Passage]) -> float:
    """Share of the shorter text's first ALIGNED_PASSAGES passages that have a translation among the other's passages
    at the same relative place (within BAND): translations keep their order, so the near-diagonal is enough, and
    comparing every passage with every other would cost the product of the lengths. Stops as soon as the share
    can no longer reach MIN_ALIGNED_SHARE."""
    shorter, longer = (chinese, english) if len(chinese) <= len(english) else (english, chinese)
    n = min(len(shorter), ALIGNED_PASSAGES)
    scale = len(longer) / len(shorter)
    matched = 0
    for i, passage in enumerate(shorter[:n]):
        middle = round(i * scale)
        window = longer[max(0, middle - BAND):middle + BAND + 1]
        matched += any(linking.similarity(passage, other) >= linking.MIN_CROSS_LANGUAGE for other in window)
        if matched + (n - i - 1) < MIN_ALIGNED_SHARE * n:
            break
    return matched / n
