"""Dense and BM25 candidates → one ranking.

1. fuse: both scores scaled to [0, 1] over the candidates (dense min-max, BM25 by the best passage of the
   same language) and averaged with DENSE_WEIGHT.
2. lifted: a question that asks for a part of an instrument ("Article 24", "第4.2节", "Appendix B") lifts
   the passages of that part (text/references.py); one that asks what a term means, the passages that define
   terms; one that asks when, the passages that give dates, and the commencement clauses more when it asks when
   something takes effect (text/definitions.py). Which document is meant
   comes from the rest of the question, which BM25 matches against each passage's document names.
3. with_coverage: each candidate's score raised by the share of the question's content it holds, in either
   language (LexicalIndex.term_coverage, IDF-weighted). BM25 can rank a passage that repeats one of the
   question's words above one that holds all of them, and the dense score does not see words at all; counting
   coverage once per word is the classic query-term-coverage feature of learning-to-rank (e.g. the LETOR
   "covered query term ratio"). Wide dev nDCG@10 0.606 → 0.675, seed 0.893 → 0.916 (eval/README.md).
4. A search (not compare's per-document ranking) then runs the dense search again from a query vector moved
   toward the first ranking's best passages (pseudo-relevance feedback, Engine._fed_back) and fuses again.

Interleaving the languages by rank (each language's statements ranked on their own) was tried: it helped
before the dense query was bridged (wide dev hit@5 0.747 → 0.797) and hurt after (0.861 → 0.848), so it is
not done (eval/README.md).
"""
from __future__ import annotations

import numpy as np

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
DATE_BONUS = 0.3  # added to a passage that gives a date when the question asks when
# added as well to a commencement clause when the question asks when something takes effect (`python -m eval`: wide
# dev nDCG@10 0.720 → 0.730, first citation 0.747 → 0.772, seed unchanged; 0.3 the same; in place of the date lift:
# no gain)
COMMENCEMENT_BONUS = 0.2
# added × the share of the question's content a passage holds (0.1-1.0 tried: eval/README.md)
COVERAGE_WEIGHT = 0.5
# pseudo-relevance feedback (Engine._fed_back): the query vector + FEEDBACK_WEIGHT × the mean vector of the first
# FEEDBACK_DEPTH passages (depth 1/2/3/5 and weight 0.3-1.0 tried: eval/README.md)
FEEDBACK_DEPTH = 3
FEEDBACK_WEIGHT = 0.5

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
    """Best first; scores equal to TIE_DIGITS digits in corpus order (one numpy sort: a search ranks a few hundred
    candidates several times)."""
    if not scores:
        return []
    positions = np.fromiter(scores.keys(), dtype=np.int64, count=len(scores))
    values = np.fromiter(scores.values(), dtype=np.float64, count=len(scores))
    order = np.lexsort((positions, -np.round(values, TIE_DIGITS)))
    return list(zip(positions[order].tolist(), values[order].tolist()))


def lifted(fused: Ranking, positions, bonus: float) -> Ranking:
    """The fused ranking with these passages' scores raised by bonus (added when they were not candidates),
    scaled back into [0, 1]."""
    if not len(positions):
        return fused
    scores = dict(fused)
    for position in positions:
        scores[position] = scores.get(position, 0.0) + bonus
    return ranked({position: score / (1 + bonus) for position, score in scores.items()})


def with_coverage(fused: Ranking, coverage, weight: float = COVERAGE_WEIGHT) -> Ranking:
    """The fused ranking with each candidate's score raised by weight × its term coverage (coverage[position],
    in [0, 1]), scaled back into [0, 1]."""
    return ranked({position: (score + weight * float(coverage[position])) / (1 + weight) for position, score in fused})
