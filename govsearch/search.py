"""A query → ranked, cited hits, one per statement (version group), in either language.

Modes: dense (FAISS), bm25 (bm25s) and hybrid (reciprocal-rank fusion of both). Multilingual encoders
rank passages in the query's own language higher than equally relevant passages in the other one, so
dense retrieval draws a candidate pool per language and fuses the pools by rank.
"""
from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass, field

import numpy as np

from govsearch.records import Hit, Passage, VersionRef
from govsearch.scripts import script_language, sentence_spans
from govsearch.searchindex import LoadedIndex

MODES = ("hybrid", "dense", "bm25")
MAX_QUERY_CHARS = 2000
MAX_K = 100
RRF_K = 60
POOL = 100  # candidates drawn from each ranking before fusion
# Tiers of how a reader should prefer a version; within a tier, the query's language wins.
ROLE_TIER = {"original": 0, "official translation": 0, "annex": 0, "cover letter": 0, "excerpt": 1, "unofficial translation": 2}


class QueryError(ValueError):
    """The query cannot be run as given; the message says why."""


@dataclass
class SearchRequest:
    query: str
    k: int = 10
    mode: str = "hybrid"
    documents: tuple[str, ...] = ()
    issuers: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()  # languages of the passages searched
    roles: tuple[str, ...] = ()  # roles kept; empty = all
    exclude_roles: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None


@dataclass
class SearchResult:
    query: str
    mode: str
    hits: list[Hit]
    timings: dict[str, float] = field(default_factory=dict)  # milliseconds: encode, search, total


def normalise_query(query: str) -> str:
    """Control characters out, whitespace folded; refuses empty and over-long queries."""
    if not isinstance(query, str):
        raise QueryError("the query must be text")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is {len(query):,} characters long; the limit is {MAX_QUERY_CHARS:,}")
    cleaned = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") else ch for ch in query)
    cleaned = " ".join(cleaned.split())
    if not cleaned:
        raise QueryError("the query is empty: type a question or some keywords")
    return cleaned


class Engine:
    """The loaded index and encoder, answering queries. Safe to share between threads for reading."""

    def __init__(self, index: LoadedIndex, encoder=None):
        self.index = index
        self.encoder = encoder
        self._query_cache: dict[str, np.ndarray] = {}

    # -- the public entry point -------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        query = normalise_query(request.query)
        if request.mode not in MODES:
            raise QueryError(f"mode {request.mode!r} is not one of {', '.join(MODES)}")
        if not 1 <= int(request.k) <= MAX_K:
            raise QueryError(f"k must be between 1 and {MAX_K}")
        allowed = self._allowed(request)
        timings: dict[str, float] = {}
        rankings: list[list[int]] = []
        dense_scores: dict[int, float] = {}
        if request.mode in ("dense", "hybrid"):
            t = time.perf_counter()
            vector = self.query_vector(query)
            timings["encode"] = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            pools = self._dense_pools(vector, allowed)
            for pool in pools:
                dense_scores.update(pool)
                rankings.append(sorted(pool, key=pool.get, reverse=True))
            timings["dense"] = (time.perf_counter() - t) * 1000
        lexical_scores: dict[int, float] = {}
        if request.mode in ("bm25", "hybrid"):
            t = time.perf_counter()
            lexical_scores = self._lexical(query, allowed)
            rankings.append(sorted(lexical_scores, key=lexical_scores.get, reverse=True))
            timings["bm25"] = (time.perf_counter() - t) * 1000
        fused = _fuse(rankings) if request.mode == "hybrid" else _single(rankings, dense_scores, lexical_scores, request.mode)
        hits = self._collapse(query, fused, dense_scores, allowed, request.k)
        timings["total"] = (time.perf_counter() - started) * 1000
        return SearchResult(query, request.mode, hits, timings)

    def query_vector(self, query: str) -> np.ndarray:
        if self.encoder is None:
            raise QueryError("dense search needs the encoder; this engine was loaded without one")
        if (vector := self._query_cache.get(query)) is None:
            vector = self.encoder.encode_queries([query])[0]
            if len(self._query_cache) > 2048:
                self._query_cache.clear()
            self._query_cache[query] = vector
        return vector

    # -- retrieval --------------------------------------------------------------------------------------

    def _allowed(self, request: SearchRequest) -> np.ndarray | None:
        """Boolean mask of passages the filters let through, or None for no filter."""
        if not any([request.documents, request.issuers, request.languages, request.roles, request.exclude_roles,
                    request.year_from, request.year_to]):
            return None
        docs = self.index.documents
        issuers = {i.lower() for i in request.issuers}
        mask = np.zeros(len(self.index.passages), dtype=bool)
        for i, p in enumerate(self.index.passages):
            doc = docs.get(p.document_id)
            year = int(doc.date[:4]) if doc and doc.date[:4].isdigit() else None
            mask[i] = (
                (not request.documents or p.document_id in request.documents)
                and (not issuers or (doc is not None and doc.issuer.lower() in issuers))
                and (not request.languages or p.language in request.languages)
                and (not request.roles or p.role in request.roles)
                and p.role not in request.exclude_roles
                and (request.year_from is None or (year is not None and year >= request.year_from))
                and (request.year_to is None or (year is not None and year <= request.year_to))
            )
        return mask

    def _dense_pools(self, vector: np.ndarray, allowed: np.ndarray | None) -> list[dict[int, float]]:
        from govsearch import vectors

        pools = []
        for index, positions in self.index.dense.values():
            want = POOL if allowed is None else min(len(positions), POOL * 10)
            scores, ids = vectors.search(index, vector[None, :], want)
            pool = {}
            for score, local in zip(scores[0], ids[0]):
                if local < 0:
                    continue
                position = int(positions[local])
                if allowed is None or allowed[position]:
                    pool[position] = float(score)
                if len(pool) >= POOL:
                    break
            if pool:
                pools.append(pool)
        return pools

    def _lexical(self, query: str, allowed: np.ndarray | None) -> dict[int, float]:
        from govsearch.lexical import query_tokens

        scores = self.index.lexical.scores(query_tokens(query))
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        top = np.argsort(-scores, kind="stable")[:POOL]
        return {int(i): float(scores[i]) for i in top if scores[i] > 0}

    # -- one hit per statement ----------------------------------------------------------------------------

    def _collapse(self, query: str, fused: list[tuple[int, float]], dense: dict[int, float],
                  allowed: np.ndarray | None, k: int) -> list[Hit]:
        passages = self.index.passages
        query_language = script_language(query) or "en"
        hits: list[Hit] = []
        seen: set[str] = set()
        for position, score in fused:
            group = passages[position].group
            if group in seen:
                continue
            seen.add(group)
            members = [i for i in self.index.groups[group] if allowed is None or allowed[i]]
            shown = min(members, key=lambda i: (
                ROLE_TIER.get(passages[i].role, 3), passages[i].language != query_language,
                -dense.get(i, 0.0), i,
            ))
            best_similarity = max((dense.get(i, 0.0) for i in members), default=0.0)
            hits.append(self._hit(len(hits) + 1, score, best_similarity, passages[shown], members, query))
            if len(hits) == k:
                break
        return hits

    def _hit(self, rank: int, score: float, similarity: float, passage: Passage, members: list[int], query: str) -> Hit:
        doc = self.index.documents.get(passage.document_id)
        others = [self.index.passages[i] for i in self.index.groups[passage.group] if self.index.passages[i].id != passage.id]
        return Hit(
            rank=rank, score=round(score, 4), similarity=round(similarity, 4), passage=passage,
            title=doc.title if doc else passage.document_id, issuer=doc.issuer if doc else "", date=doc.date if doc else "",
            citation=self.citation(passage), sentence=best_sentence(passage.text, query),
            versions=[self._version_ref(p) for p in others],
        )

    def citation(self, passage: Passage) -> str:
        doc = self.index.documents.get(passage.document_id)
        title, issuer, date = (doc.title, doc.issuer, doc.date) if doc else (passage.document_id, "", "")
        who = ", ".join(x for x in (issuer, date) if x)
        return f"{title} ({who}), §{passage.ordinal}, {passage.language}" if who else f"{title}, §{passage.ordinal}, {passage.language}"

    def _version_ref(self, p: Passage) -> VersionRef:
        return VersionRef(p.id, p.version_id, p.document_id, p.text, p.language, p.role, p.source, p.start, p.end,
                          p.ordinal, self.citation(p))


def _fuse(rankings: list[list[int]]) -> list[tuple[int, float]]:
    """Reciprocal-rank fusion, scaled so that first place in every ranking scores 1."""
    if not rankings:
        return []
    total: dict[int, float] = {}
    for ranking in rankings:
        for rank, position in enumerate(ranking, start=1):
            total[position] = total.get(position, 0.0) + 1.0 / (RRF_K + rank)
    best = len(rankings) / (RRF_K + 1)
    return sorted(((p, s / best) for p, s in total.items()), key=lambda x: (-x[1], x[0]))


def _single(rankings, dense: dict[int, float], lexical: dict[int, float], mode: str) -> list[tuple[int, float]]:
    if mode == "dense":
        return sorted(dense.items(), key=lambda x: (-x[1], x[0]))
    top = max(lexical.values(), default=1.0) or 1.0
    return sorted(((p, s / top) for p, s in lexical.items()), key=lambda x: (-x[1], x[0]))


def best_sentence(text: str, query: str) -> str:
    """The sentence of text sharing the most query words (through the dictionary across languages)."""
    from govsearch.lexical import passage_tokens, query_tokens

    spans = sentence_spans(text)
    if len(spans) <= 1:
        return text
    wanted = set(query_tokens(query))
    language = script_language(text) or "en"

    def score(span):
        tokens = set(passage_tokens(text[span[0]:span[1]], language))
        return len(tokens & wanted) / (1 + 0.02 * len(tokens))

    start, end = max(spans, key=score)
    return text[start:end]
