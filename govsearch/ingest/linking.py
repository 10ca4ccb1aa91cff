"""Link the versions of one statement (translations, copies, excerpts) into one group.

Within a document, each version is aligned to the versions already placed, in order of how
authoritative they are: a monotonic alignment (order is respected) over a similarity that is lexical
overlap within a language and dictionary-based translation overlap between Chinese and English.
Across documents only near-identical passages are linked, one to one.
"""
from __future__ import annotations

import math
from functools import lru_cache

from govsearch.records import Document, Passage

MIN_SAME_LANGUAGE = 0.5
MIN_CROSS_LANGUAGE = 0.35
MIN_NEAR_DUPLICATE = 0.8
EN_CHARS_PER_ZH_CHAR = 3.3  # measured on the Initiative's official pair


def assign_groups(documents: list[Document], passages: list[Passage]) -> None:
    by_version: dict[str, list[Passage]] = {}
    for p in passages:
        by_version.setdefault(p.version_id, []).append(p)
    parent = {p.id: p.id for p in passages}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(keep: str, other: str) -> None:
        parent[find(other)] = find(keep)

    for document in documents:
        ordered = sorted(
            (v for v in document.versions if by_version.get(v.id)),
            key=lambda v: (v.role.authority, -len(by_version[v.id])),
        )
        placed: list[list[Passage]] = []
        for version in ordered:
            mine = by_version[version.id]
            alignments = [(align(anchor, mine), anchor) for anchor in placed]
            if alignments:
                (score, pairs), _ = max(alignments, key=lambda a: a[0][0] / max(1, len(mine)))
                for a, b in pairs:
                    union(a.id, b.id)
            placed.append(mine)
    _link_near_duplicates_across_documents(passages, union, find)
    for p in passages:
        p.group = find(p.id)


def align(left: list[Passage], right: list[Passage]) -> tuple[float, list[tuple[Passage, Passage]]]:
    """Best order-respecting one-to-one alignment: (total score, matched pairs)."""
    n, m = len(left), len(right)
    gain = [[_gain(a, b) for b in right] for a in left]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best[i][j] = max(best[i + 1][j], best[i][j + 1], gain[i][j] + best[i + 1][j + 1] if gain[i][j] > 0 else 0.0)
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if gain[i][j] > 0 and math.isclose(best[i][j], gain[i][j] + best[i + 1][j + 1]):
            pairs.append((left[i], right[j]))
            i, j = i + 1, j + 1
        elif math.isclose(best[i][j], best[i + 1][j]):
            i += 1
        else:
            j += 1
    return best[0][0], pairs + _fill_gaps(left, right, pairs)


def _fill_gaps(left: list[Passage], right: list[Passage], pairs: list[tuple[Passage, Passage]]) -> list[tuple[Passage, Passage]]:
    """One unmatched passage on each side between two matched pairs (or before the first, after the last)
    is the same statement in order: "为此，我们倡议：" and "To make this happen, ..." share no words."""
    where_left = {id(p): k for k, p in enumerate(left)}
    where_right = {id(p): k for k, p in enumerate(right)}
    anchors = [(-1, -1)] + [(where_left[id(a)], where_right[id(b)]) for a, b in pairs] + [(len(left), len(right))]
    filled = []
    for (i0, j0), (i1, j1) in zip(anchors, anchors[1:]):
        if i1 - i0 == 2 and j1 - j0 == 2 and len(anchors) > 2:
            filled.append((left[i0 + 1], right[j0 + 1]))
    return filled


def _gain(a: Passage, b: Passage) -> float:
    score = similarity(a, b)
    threshold = MIN_SAME_LANGUAGE if a.language == b.language else MIN_CROSS_LANGUAGE
    return score - threshold + 1e-6 if score >= threshold else 0.0


def similarity(a: Passage, b: Passage) -> float:
    if a.language == b.language:
        return overlap(a.text, b.text, a.language)
    if {a.language, b.language} == {"zh", "en"}:
        zh, en = (a, b) if a.language == "zh" else (b, a)
        return _translation_similarity(zh.text, en.text)
    return 0.0


def overlap(a: str, b: str, language: str) -> float:
    """Share of the shorter text's words (word pairs) that the other has: an excerpt of a paragraph scores 1."""
    x, y = _shingles(a, language), _shingles(b, language)
    if not x or not y:
        return 0.0
    return len(x & y) / min(len(x), len(y))


@lru_cache(maxsize=20_000)
def _shingles(text: str, language: str) -> frozenset:
    from govsearch.text.analysis import passage_tokens

    tokens = passage_tokens(text, language)
    return frozenset(zip(tokens, tokens[1:])) if len(tokens) > 1 else frozenset(tokens)


def _translation_similarity(zh: str, en: str) -> float:
    """Dictionary overlap, discounted when the lengths are not those of a translation."""
    from govsearch.crosslingual.parallel import translation_score

    ratio = (len(en) / max(1, len(zh))) / EN_CHARS_PER_ZH_CHAR
    return translation_score(zh, en) * min(1.0, math.exp(-abs(math.log(max(ratio, 1e-3))) + 0.4))


MAX_POSTING = 64  # a word pair in more passages than this is not followed to find near-duplicates


def _link_near_duplicates_across_documents(passages: list[Passage], union, find) -> None:
    """Near-identical passages of different documents (a statement copied into another), found through
    shared word pairs rather than by comparing every pair."""
    from collections import Counter

    postings: dict[tuple, list[int]] = {}
    shingles = [_shingles(p.text, p.language) for p in passages]
    for index, (p, keys) in enumerate(zip(passages, shingles)):
        for key in keys:
            postings.setdefault((p.language, key), []).append(index)
    for i, (a, keys) in enumerate(zip(passages, shingles)):
        # candidates through the word pairs few passages share ("of the" is in thousands of a large corpus:
        # following it would compare every pair); near-identical passages share their rare pairs too
        candidates = Counter(j for key in keys for j in _rare(postings[(a.language, key)]) if j > i)
        for j in candidates:
            b = passages[j]
            if a.document_id == b.document_id or find(a.id) == find(b.id):
                continue
            if len(keys & shingles[j]) / len(keys | shingles[j]) >= MIN_NEAR_DUPLICATE:
                union(a.id, b.id)


def _rare(posting: list[int]) -> list[int]:
    return posting if len(posting) <= MAX_POSTING else []
