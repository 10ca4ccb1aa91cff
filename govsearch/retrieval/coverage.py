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
from dataclasses import dataclass, fields
from functools import cached_property, lru_cache
from importlib import resources

import numpy as np

from govsearch.indexing.stores.base import CodedColumn


@dataclass(frozen=True)
class Signals:
    dense: float  # best cosine similarity, after the language shift
    dense_gap: float  # that minus the best cosine of any passage (≤ 0)
    relative_bm25: float  # best BM25 / best BM25 of any passage, in [0, 1]
    term_coverage: float  # best share of the query's content words held, in [0, 1]
    rank_bm25: float  # 1 / (1 + the document's rank among documents by BM25)
    rank_dense: float  # 1 / (1 + its rank by cosine)

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


@lru_cache(maxsize=1)
def model() -> dict:
    return json.loads(resources.files("govsearch.data").joinpath("coverage_model.json").read_text(encoding="utf-8"))


def _logistic(fitted: dict, signals: Signals | AnswerSignals) -> float:
    """A fitted logistic model ({"bias", "weights" by signal name}) applied to a signals record."""
    z = fitted["bias"] + sum(fitted["weights"][f.name] * getattr(signals, f.name) for f in fields(signals))
    return 1.0 / (1.0 + math.exp(-z))


def probability(signals: Signals) -> float:
    return _logistic(model(), signals)


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
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


ANSWER_HITS = 3


def answerable(signals: AnswerSignals) -> bool:
    fitted = model()["answer"]
    return _logistic(fitted, signals) >= fitted["threshold"]


class PassageDocuments(CodedColumn):
    """Which document each passage belongs to, arranged so that a per-document maximum over all passages is
    one numpy reduction (a corpus of 100,000 passages in 1,000 documents: ~1 ms, not a loop per document)."""

    def name_of(self, position: int) -> str:
        return str(self.names[self.codes[position]])

    def best(self, values: np.ndarray, keep: np.ndarray | None) -> np.ndarray:
        """Per document (in self.names order), the largest of its kept passages' values; -inf for none."""
        arranged = np.asarray(values, dtype=np.float64)
        if keep is not None:
            arranged = np.where(keep, arranged, -np.inf)
        return np.maximum.reduceat(arranged[self.order], self.starts) if len(arranged) else arranged


@dataclass
class Evidence:
    """What the coverage model weighs for one query: dense cosine of the candidate passages (the rest count
    as the lowest candidate's), BM25 and term coverage of every passage."""

    dense: dict[int, float]
    lexical: np.ndarray
    coverage: np.ndarray
    groups: dict[str, list[int]]
    documents: PassageDocuments

    @property
    def floor(self) -> float:
        return min(self.dense.values(), default=0.0)

    @property
    def best_lexical(self) -> float:
        return float(self.lexical.max()) if len(self.lexical) else 0.0

    @cached_property
    def dense_values(self) -> np.ndarray:
        values = np.full(len(self.lexical), self.floor, dtype=np.float32)
        if self.dense:
            values[np.fromiter(self.dense, dtype=np.int64)] = np.fromiter(self.dense.values(), dtype=np.float32)
        return values

    def by_document(self, allowed: np.ndarray | None = None) -> dict[str, Signals]:
        """Each document's signals (over the passages the filters allow; documents with none left out)."""
        dense = self.documents.best(self.dense_values, allowed)
        lexical = self.documents.best(self.lexical, allowed)
        coverage = self.documents.best(self.coverage, allowed)
        present = np.flatnonzero(np.isfinite(dense))
        if not len(present):
            return {}
        best_dense, best_lexical = float(dense[present].max()), float(lexical[present].max())
        names = self.documents.names[present]
        rank_dense = _ranks(-dense[present], names)
        rank_lexical = _ranks(-lexical[present], names)
        return {
            str(name): Signals(float(dense[i]), float(dense[i]) - best_dense,
                               float(lexical[i]) / best_lexical if best_lexical > 0 else 0.0, float(coverage[i]),
                               1 / (1 + rank_lexical[k]), 1 / (1 + rank_dense[k]))
            for k, (i, name) in enumerate(zip(present, names))
        }

    def of_group(self, group: str, ranks: dict[str, Signals]) -> Signals:
        """A statement's signals: the best of its versions, with its document's ranks (from by_document)."""
        members = self.groups[group]
        dense = self.dense_values
        d = float(dense[members].max())
        b = float(self.lexical[members].max())
        c = float(self.coverage[members].max())
        top = self.best_lexical
        rank = ranks.get(self.documents.name_of(members[0]))
        return Signals(d, d - float(dense.max()), b / top if top > 0 else 0.0, c,
                       rank.rank_bm25 if rank else 0.0, rank.rank_dense if rank else 0.0)


def _ranks(keys: np.ndarray, names: np.ndarray) -> np.ndarray:
    """0-based rank of each entry by key (ascending), ties by name."""
    order = np.lexsort((names.astype(str), keys))
    ranks = np.empty(len(keys), dtype=np.int64)
    ranks[order] = np.arange(len(keys))
    return ranks
