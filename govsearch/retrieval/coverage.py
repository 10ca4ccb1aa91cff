"""Whether a document (or passage) addresses a topic at all, as a probability from three pieces of evidence:
the best dense cosine (after the language shift), log(1 + BM25) of the bridged query, and that BM25 as a
share of the best document's for the same query.

A logistic model fitted with balanced classes on the judged (topic, document) pairs of eval/queries.yaml
(571 pairs, 104 addressed): 5-fold cross-validated balanced accuracy 0.92, accuracy 0.91 (dense and BM25
alone: 0.92 / 0.91). Dense similarity alone hardly separates "on topic" from "same genre of text": most of
the weight is on shared words. `python -m eval` reports the compare accuracy this gives on every run.
"""
from __future__ import annotations

import math

DENSE_WEIGHT = 0.859
LEXICAL_WEIGHT = 3.372
RELATIVE_WEIGHT = 2.492
BIAS = -5.579
THRESHOLD = 0.5


def coverage(dense: float, bm25: float, best_bm25: float) -> float:
    relative = bm25 / best_bm25 if best_bm25 > 0 else 0.0
    z = DENSE_WEIGHT * dense + LEXICAL_WEIGHT * math.log1p(max(0.0, bm25)) + RELATIVE_WEIGHT * relative + BIAS
    return 1.0 / (1.0 + math.exp(-z))


def addresses(dense: float, bm25: float, best_bm25: float) -> bool:
    return coverage(dense, bm25, best_bm25) >= THRESHOLD
