"""Whether a document (or one of its statements) addresses a topic at all, as a probability.

The evidence for one query (Evidence) gives, per passage, the dense cosine (after the language shift), BM25
of the bridged query, and the share of the query's content words it holds (term coverage). A document's
signals are the best of its passages', put in terms that do not depend on the size of the corpus: the cosine
and its gap to the best cosine anywhere, BM25 as a share of the best passage's, term coverage, and the
document's rank among all documents by BM25 and by cosine.

The logistic model over those signals (govsearch/data/coverage_model.json) is fitted by
`python -m eval.fit_coverage` on the judged (topic, document) pairs of both judged sets (the wide set's dev
split only), with balanced classes, and checked by cross-validation grouped by query; the file records the
cross-validated figures. The first model, fitted on the seed set alone with absolute BM25 as a signal,
called 49 % of the wide set's pairs wrongly: BM25 grows with a corpus's vocabulary and a long law has many
passages to find a match in.
"""
from __future__ import annotations

import json
import math
from dataclasses import astuple, dataclass, fields
from functools import cached_property, lru_cache
from importlib import resources

import numpy as np


@dataclass(frozen=True)
class Signals:
    dense: float  # best cosine similarity, after the language shift
    dense_gap: float  # that minus the best cosine of any passage (≤ 0)
    relative_bm25: float  # best BM25 / best BM25 of any passage, in [0, 1]
    term_coverage: float  # best share of the query's content words held, in [0, 1]
    rank_bm25: float  # 1 / (1 + the document's rank among documents by BM25)
    rank_dense: float  # 1 / (1 + its rank by cosine)

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


@lru_cache(maxsize=1)
def model() -> dict:
    return json.loads(resources.files("govsearch.data").joinpath("coverage_model.json").read_text(encoding="utf-8"))


def probability(signals: Signals) -> float:
    m = model()
    z = m["bias"] + sum(m["weights"][name] * value for name, value in zip(Signals.names(), astuple(signals)))
    return 1.0 / (1.0 + math.exp(-z))


def addresses(signals: Signals) -> bool:
    return probability(signals) >= model()["threshold"]


@dataclass(frozen=True)
class AnswerSignals:
    """Whether a question is answered by the corpus at all, from its best hits' signals."""

    best_probability: float  # the highest coverage probability among the first ANSWER_HITS hits
    best_term_coverage: float  # the highest term coverage among them
    known_words: float  # share of the question's own content words that the corpus uses
    first_probability: float  # the first hit's coverage probability
    first_term_coverage: float

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


ANSWER_HITS = 3


def answerable(signals: AnswerSignals) -> bool:
    m = model()["answer"]
    z = m["bias"] + sum(m["weights"][name] * value for name, value in zip(AnswerSignals.names(), astuple(signals)))
    return 1.0 / (1.0 + math.exp(-z)) >= m["threshold"]


@dataclass
class Evidence:
    """What the coverage model weighs for one query: dense cosine of the candidate passages (the rest count
    as the lowest candidate's), BM25 and term coverage of every passage."""

    dense: dict[int, float]
    lexical: np.ndarray
    coverage: np.ndarray
    groups: dict[str, list[int]]
    documents: np.ndarray  # document id per passage

    @property
    def floor(self) -> float:
        return min(self.dense.values(), default=0.0)

    @property
    def best_lexical(self) -> float:
        return float(self.lexical.max()) if len(self.lexical) else 0.0

    @cached_property
    def dense_values(self) -> np.ndarray:
        values = np.full(len(self.lexical), self.floor, dtype=np.float32)
        for position, score in self.dense.items():
            values[position] = score
        return values

    def by_document(self, allowed: np.ndarray | None = None) -> dict[str, Signals]:
        """Each document's signals (over the passages the filters allow)."""
        keep = np.ones(len(self.lexical), dtype=bool) if allowed is None else allowed
        dense, lexical, coverage = self.dense_values, self.lexical, self.coverage
        best_dense = float(dense[keep].max()) if keep.any() else 0.0
        best_lexical = float(lexical[keep].max()) if keep.any() else 0.0
        best: dict[str, tuple[float, float, float]] = {}
        for document in np.unique(self.documents[keep]):
            mask = keep & (self.documents == document)
            best[str(document)] = (float(dense[mask].max()), float(lexical[mask].max()), float(coverage[mask].max()))
        return self._signals(best, best_dense, best_lexical)

    def of_group(self, group: str, ranks: dict[str, Signals]) -> Signals:
        """A statement's signals: the best of its versions, with its document's ranks (from by_document)."""
        members = self.groups[group]
        dense = self.dense_values
        document = str(self.documents[members[0]])
        best_dense = float(dense.max())
        d = max(float(dense[i]) for i in members)
        b = max(float(self.lexical[i]) for i in members)
        c = max(float(self.coverage[i]) for i in members)
        top = self.best_lexical
        rank = ranks.get(document)
        return Signals(d, d - best_dense, b / top if top > 0 else 0.0, c,
                       rank.rank_bm25 if rank else 0.0, rank.rank_dense if rank else 0.0)

    @staticmethod
    def _signals(best: dict[str, tuple[float, float, float]], best_dense: float, best_lexical: float) -> dict[str, Signals]:
        by_dense = {doc: r for r, doc in enumerate(sorted(best, key=lambda d: (-best[d][0], d)))}
        by_lexical = {doc: r for r, doc in enumerate(sorted(best, key=lambda d: (-best[d][1], d)))}
        return {
            doc: Signals(d, d - best_dense, b / best_lexical if best_lexical > 0 else 0.0, c,
                         1 / (1 + by_lexical[doc]), 1 / (1 + by_dense[doc]))
            for doc, (d, b, c) in best.items()
        }
