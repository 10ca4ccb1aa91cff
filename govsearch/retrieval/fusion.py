"""Dense and BM25 candidates → one ranking.

1. fuse: both scores scaled to [0, 1] over the candidates (dense min-max, BM25 by the best passage of the
   same language) and averaged with DENSE_WEIGHT.
2. lifted: a question that asks for a part of an instrument ("Article 24", "第4.2节", "Appendix B") lifts
   the passages of that part (govsearch/text/references.py), and one that asks what a term means lifts the
   passages that define terms (text/definitions.py); the document is told apart by the rest of the
   question, which BM25 matches against each passage's document title and issuer.
3. by_language (hybrid): the statements of each language ranked on their own and interleaved by rank
   (reciprocal rank, k=LANGUAGE_RRF_K), so the best passage of the language the question is not asked in
   reaches the first results even when the encoder and the dictionary bridge favour the question's own
   language. On the wide judged set (dev) hit@5 went from 0.747 to 0.797 and Chinese questions whose answers
   exist only in English from 0.56 to 0.70; on the seed set, where most Chinese passages have English
   versions, nothing was lost (eval/README.md).
"""
from __future__ import annotations

from govsearch.records import Mode

# hybrid = DENSE_WEIGHT * dense + (1 - DENSE_WEIGHT) * bm25, both scaled to [0, 1]. An even split: with the
# steps below, 0.5 and 0.6 find the same share of answers in the first five on both judged sets, 0.5 ranks them
# a little higher (nDCG@10 seed 0.895 / 0.894, wide dev 0.595 / 0.585).
DENSE_WEIGHT = 0.5
# Scores equal to this many digits are ties, broken by corpus order: float noise (1e-8 between a query
# encoded alone and in a batch) must not flip which of two near-identical versions is shown.
TIE_DIGITS = 6
REFERENCE_BONUS = 0.6  # added to the fused score of a passage in the part the question asks for
DEFINITION_BONUS = 0.2  # added to a defining passage's when the question asks what a term means
LANGUAGE_RRF_K = 10

Ranking = list[tuple[int, float]]  # (passage position, score), best first


def fuse(dense: dict[int, float], lexical: dict[int, float], mode: Mode) -> Ranking:
    """Passages by fused score in [0, 1], best first."""
    if mode == Mode.DENSE:
        scores = dense
    elif mode == Mode.BM25:
        scores = lexical
    else:
        scores = {}
        low, high = min(dense.values(), default=0.0), max(dense.values(), default=0.0)
        for p in set(dense) | set(lexical):
            d = (dense[p] - low) / (high - low) if p in dense and high > low else (1.0 if p in dense else 0.0)
            scores[p] = DENSE_WEIGHT * d + (1 - DENSE_WEIGHT) * lexical.get(p, 0.0)
    return ranked(scores)


def ranked(scores: dict[int, float]) -> Ranking:
    return sorted(scores.items(), key=lambda x: (-round(x[1], TIE_DIGITS), x[0]))


def lifted(fused: Ranking, positions, bonus: float) -> Ranking:
    """The fused ranking with these passages' scores raised by bonus (added when they were not candidates)."""
    if not len(positions):
        return fused
    scores = dict(fused)
    for position in positions:
        scores[position] = scores.get(position, 0.0) + bonus
    return ranked(scores)


def by_language(fused: Ranking, languages: list[str], groups: list[str]) -> Ranking:
    """Each language's statements ranked on their own, interleaved by reciprocal rank; the score is that of
    a first place scaled to 1 (ties between languages go to the higher fused score)."""
    rank_in_language: dict[str, int] = {}
    seen: set[tuple[str, str]] = set()
    balanced = []
    for position, score in fused:
        language = languages[position]
        key = (language, groups[position])
        if key not in seen:
            seen.add(key)
            rank_in_language[language] = rank_in_language.get(language, 0) + 1
        rank = rank_in_language[language]
        balanced.append((position, (LANGUAGE_RRF_K + 1) / (LANGUAGE_RRF_K + rank), score))
    balanced.sort(key=lambda x: (-round(x[1], TIE_DIGITS), -round(x[2], TIE_DIGITS), x[0]))
    return [(position, score) for position, score, _ in balanced]
