"""A search request → ranked, cited hits, one per statement (version group), in either language.

Modes: dense (FAISS), bm25 (bm25s, bridged across languages by a dictionary) and hybrid: both scores
min-max normalised over the candidates and averaged, then raised for the parts, definitions or dates a
question asks for and by the share of the question's words each passage holds (fusion.py). Dense scores are
comparable across languages because passages and queries are shifted by the language offsets of
crosslingual/shift.py.
On the judged set (eval/results/latest.md) this linear fusion beat reciprocal-rank fusion, and a
candidate pool per language fused by rank did worse than one pool: most Chinese passages here have
English versions, so the Chinese pool's best passage was rarely what the query asked for.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from govsearch.crosslingual.query import query_tokens, translation
from govsearch.indexing.encoders.base import fit_to_model
from govsearch.indexing.load import LoadedIndex
from govsearch.indexing.stores.base import Allowed, CodedColumn, PassageColumns
from govsearch.records import Hit, Mode, Passage, VersionRef
from govsearch.retrieval import fusion
from govsearch.retrieval.batching import QueryBatcher
from govsearch.retrieval.coverage import Evidence, PassageDocuments
from govsearch.retrieval.fusion import TIE_DIGITS, fuse, lifted, with_coverage
from govsearch.retrieval.highlight import best_sentence
from govsearch.retrieval.request import Filters, QueryError, SearchRequest, normalise_query
from govsearch.text.definitions import asks_commencement, asks_for_definition, asks_when
from govsearch.text.references import matches, references
from govsearch.text.unicode_scripts import script_language

__all__ = ["Engine", "QueryError", "SearchRequest", "SearchResult", "best_sentence"]

BRIDGE_MIX = 0.3  # weight of the translation's embedding in the query's (0.3 and 0.5 tried: eval/README.md)
QUERY_CACHE = 2048  # query vectors kept (3.5 kB each with the default encoder)
POOL = 100  # candidates drawn from each index before fusion
SHOWN_KNOWN_VALUES = 12  # known values listed when a filter names an unknown one


@dataclass
class SearchResult:
    query: str
    mode: Mode
    hits: list[Hit]
    timings: dict[str, float] = field(default_factory=dict)  # milliseconds: encode, search, total
    notes: list[str] = field(default_factory=list)  # e.g. that the query was cut to what the model reads


class Engine:
    """The loaded index and encoder, answering queries. Safe to share between threads for reading."""

    def __init__(self, index: LoadedIndex, encoder=None):
        self.index = index
        self.encoder = encoder
        # concurrent searches (the web app's threads) share encoder calls; people repeat queries
        self._batcher = QueryBatcher(encoder.encode_queries) if encoder is not None else None
        self.cached_query_vector = lru_cache(maxsize=QUERY_CACHE)(self._embed_query)
        self._columns = PassageColumns.of(index.passages, index.documents)
        self._roles, self._issuers = CodedColumn(self._columns.role), CodedColumn(self._columns.issuer)
        self._languages = CodedColumn(self._columns.language)
        self._by_language = {lang: self._languages.rows(lang) for lang in self._languages.names}
        self._documents = PassageDocuments(self._columns.document)
        self._shapes = index.shapes  # defining and dated passages, parts: found when the index was built

    # -- the public entry point -------------------------------------------------------------------------

    def search(self, request: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        query = request.query
        timings: dict[str, float] = {}
        raw_lexical = coverage = None
        if request.mode in (Mode.BM25, Mode.HYBRID):
            t = time.perf_counter()
            raw_lexical = self.index.lexical.query_scores(query)
            if request.mode == Mode.HYBRID:
                coverage = self.index.lexical.term_coverage(query)
            timings["bm25"] = (time.perf_counter() - t) * 1000
        hits = self._ranked(query, request.mode, self.allowed(request), raw_lexical, coverage, request.k, timings,
                            request, feedback=True)
        timings["total"] = (time.perf_counter() - started) * 1000
        return SearchResult(query, request.mode, hits, timings, self.query_notes(query, request.mode))

    def hits_in_document(self, query: str, document_id: str, evidence: Evidence, allowed: np.ndarray | None,
                         k: int) -> list[Hit]:
        """A hybrid search of one document's passages, reusing a query's evidence (its BM25 scores): compare
        asks this of every document that addresses a topic."""
        within = self._documents.mask([document_id])
        return self._ranked(query, Mode.HYBRID, within if allowed is None else within & allowed, evidence.lexical,
                            evidence.coverage, k, {})

    def _ranked(self, query: str, mode: Mode, allowed: np.ndarray | None, raw_lexical: np.ndarray | None,
                coverage: np.ndarray | None, k: int, timings: dict[str, float], filters: Filters | None = None,
                feedback: bool = False) -> list[Hit]:
        """The best k statements. In hybrid mode raw_lexical (BM25 of every passage) and coverage (each
        passage's term coverage) are both given; feedback runs the dense search again from the first ranking
        (see _fed_back)."""
        dense_scores: dict[int, float] = {}
        lexical_scores: dict[int, float] = {}
        vector = None
        if mode in (Mode.DENSE, Mode.HYBRID):
            t = time.perf_counter()
            vector = self.query_vector(query)
            timings["encode"] = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            dense_scores = self._dense(vector, allowed, filters)
            timings["dense"] = (time.perf_counter() - t) * 1000
        if raw_lexical is not None:
            lexical_scores = self._lexical(raw_lexical, allowed)
        lifts = self._lifts(query, allowed) if mode == Mode.HYBRID else []
        fused = self._fused(mode, dense_scores, lexical_scores, coverage, lifts)
        if feedback and mode == Mode.HYBRID:
            t = time.perf_counter()
            moved = self._fed_back(vector, fused)
            if moved is not None:
                fused = self._fused(mode, self._dense(moved, allowed, filters), lexical_scores, coverage, lifts)
            timings["feedback"] = (time.perf_counter() - t) * 1000
        # a hit's similarity stays the query's own cosine (0 for a passage the query's dense search did not find)
        return self._collapse(query, fused, dense_scores, allowed, k)

    def _lifts(self, query: str, allowed: np.ndarray | None) -> list[tuple[list[int] | set[int], float]]:
        """(passages, bonus) for what the question's shape asks for: a part it names, definitions, dates, when it
        takes effect."""
        lifts = [(self._in_asked_part(query, allowed), fusion.REFERENCE_BONUS)]
        if asks_for_definition(query):
            lifts.append((self._kept(self._shapes.defining, allowed), fusion.DEFINITION_BONUS))
        if asks_when(query):
            lifts.append((self._kept(self._shapes.dated, allowed), fusion.DATE_BONUS))
        if asks_commencement(query):
            lifts.append((self._kept(self._shapes.commencing, allowed), fusion.COMMENCEMENT_BONUS))
        return lifts

    @staticmethod
    def _fused(mode: Mode, dense_scores: dict[int, float], lexical_scores: dict[int, float],
               coverage: np.ndarray | None, lifts: list[tuple[list[int] | set[int], float]]) -> fusion.Ranking:
        fused = fuse(dense_scores, lexical_scores, mode)
        if mode == Mode.HYBRID:
            for positions, bonus in lifts:
                fused = lifted(fused, positions, bonus)
            fused = with_coverage(fused, coverage)
        return fused

    def _fed_back(self, vector: np.ndarray, fused: fusion.Ranking) -> np.ndarray | None:
        """Pseudo-relevance feedback (Rocchio, for dense retrievers as in Li et al., "Pseudo Relevance Feedback
        with Deep Language Models and Dense Retrievers: Successes and Pitfalls", TOIS 2023): the query vector
        moved toward the mean of the first FEEDBACK_DEPTH passages' stored vectors. The first ranking already
        weighs words, parts and coverage, so its best passages pull the dense search toward passages phrased
        like them, in either language (wide dev nDCG@10 +0.013, eval/README.md). None when the store cannot
        give vectors back."""
        top = [position for position, _ in fused[:fusion.FEEDBACK_DEPTH]]
        stored = self.index.dense.vectors(top) if top else None
        if stored is None:
            return None
        moved = vector + fusion.FEEDBACK_WEIGHT * stored.mean(axis=0)
        return moved / max(float(np.linalg.norm(moved)), 1e-12)

    def evidence(self, query: str) -> Evidence:
        """Raw evidence for a query: dense cosine of the candidate passages, BM25 of every passage."""
        query = normalise_query(query)
        dense = self._dense(self.query_vector(query), None) if self.encoder is not None else {}
        lexical = self.index.lexical
        return Evidence(dense, lexical.query_scores(query), lexical.term_coverage(query), self.index.groups,
                        self._documents)

    def query_vector(self, query: str) -> np.ndarray:
        """The query's embedding, shifted by its language's offset (the last QUERY_CACHE queries' are kept)."""
        if self.encoder is None:
            raise QueryError("dense search needs the encoder; this engine was loaded without one")
        return self.cached_query_vector(query)

    def _embed_query(self, query: str) -> np.ndarray:
        """The embedding of what the model reads of the query (a longer query is cut to its token limit),
        mixed with that of its dictionary translation: the query in the other language's words reaches
        passages the encoder would place too far from the original (the bridged dense query; wide set, dev:
        dense hit@5 0.658 → 0.747, seed dense nDCG@10 0.746 → 0.790, eval/README.md)."""
        from govsearch.crosslingual.shift import apply_offset

        read, _ = fit_to_model(self.encoder, query)
        bridge, _ = fit_to_model(self.encoder, translation(read))
        texts = [read, bridge] if bridge else [read]
        vectors = [apply_offset(v, self.index.offsets.get(script_language(text) or "en"))
                   for text, v in zip(texts, self._batcher.encode_many(texts))]
        if len(vectors) == 1:
            return vectors[0]
        mixed = (1 - BRIDGE_MIX) * vectors[0] + BRIDGE_MIX * vectors[1]
        return mixed / max(float(np.linalg.norm(mixed)), 1e-12)

    def query_notes(self, query: str, mode: Mode) -> list[str]:
        """What the reader should know about how the query was used."""
        if mode == Mode.BM25 or self.encoder is None:
            return []
        read, cut = fit_to_model(self.encoder, query)
        if not cut:
            return []
        return [f"The query is longer than the {self.encoder.max_tokens} tokens the model reads: its first "
                f"{len(read):,} of {len(query):,} characters were used for meaning, all of it for keywords."]

    # -- retrieval --------------------------------------------------------------------------------------

    def allowed(self, filters: Filters) -> np.ndarray | None:
        """Boolean mask of the passages the filters let through, or None when nothing is filtered. A filter
        value the index does not know is refused with the values it does know."""
        if not filters.restricts:
            return None
        columns = self._columns
        _check_known("document", filters.documents, self.index.documents)
        _check_known("passage language", filters.languages, self._by_language)
        _check_known("issuer", [i.lower() for i in filters.issuers], self._issuers.known(), shown=sorted({d.issuer for d in self.index.documents.values()}))
        mask = np.ones(len(columns.language), dtype=bool)
        if filters.documents:
            mask &= self._documents.mask(filters.documents)
        if filters.issuers:
            mask &= self._issuers.mask([i.lower() for i in filters.issuers])
        if filters.languages:
            mask &= self._languages.mask(filters.languages)
        if filters.roles:
            mask &= self._roles.mask([str(r) for r in filters.roles])
        if filters.excluded_roles:
            mask &= ~self._roles.mask([str(r) for r in filters.excluded_roles])
        if filters.year_from is not None:
            mask &= columns.year >= filters.year_from
        if filters.year_to is not None:
            mask &= (columns.year <= filters.year_to) & (columns.year >= 0)
        return mask

    def _dense(self, vector: np.ndarray, allowed: np.ndarray | None, filters: Filters | None = None) -> dict[int, float]:
        """Cosine similarity of the best POOL passages of each language (after the language shift) among those
        allowed. The vector store gets the mask and, when the caller has them, the filters it came from: FAISS
        searches inside the mask, Milvus evaluates the filters (or, without them, the allowed positions)."""
        store = self.index.dense
        only = Allowed(allowed, filters) if allowed is not None else None
        return {position: score for language in store.languages for position, score in store.search(language, vector, POOL, only)}

    def _lexical(self, scores: np.ndarray, allowed: np.ndarray | None) -> dict[int, float]:
        """BM25 (`scores`, of every passage) of the best POOL passages, divided by the best score among passages
        of the same language.

        The bridged query matches Chinese passages with its own words and English ones with dictionary
        translations, which score lower; scaling per language lets both compete (judged set: hybrid
        nDCG@10 0.82 → 0.88)."""
        found: dict[int, float] = {}
        by_language = self._by_language
        if allowed is not None:  # only what the filters let through (a few passages when compare asks per document)
            chosen = np.flatnonzero(allowed)
            codes = self._languages.codes[chosen]
            by_language = {lang: chosen[codes == code] for code, lang in enumerate(by_language)}
        for positions in by_language.values():
            local = scores[positions]
            top = float(local.max()) if len(local) else 0.0
            if top <= 0:
                continue
            best = np.argpartition(-local, POOL - 1)[:POOL] if len(local) > POOL else np.arange(len(local))
            for i in best:
                if local[i] > 0:
                    found[int(positions[i])] = float(local[i]) / top
        return found

    @staticmethod
    def _kept(positions: list[int], allowed: np.ndarray | None) -> list[int]:
        return positions if allowed is None else [i for i in positions if allowed[i]]

    def _in_asked_part(self, query: str, allowed: np.ndarray | None) -> set[int]:
        """Passages of the articles, sections or appendices the query names ("Article 24", "第4.2节")."""
        found: set[int] = set()
        for asked in references(query):
            for held, positions in self._shapes.parts.items():
                if matches(asked, held):
                    found.update(i for i in positions if allowed is None or allowed[i])
        return found

    # -- one hit per statement ----------------------------------------------------------------------------

    def _collapse(self, query: str, fused: list[tuple[int, float]], dense: dict[int, float],
                  allowed: np.ndarray | None, k: int) -> list[Hit]:
        passages = self.index.passages
        query_language = script_language(query) or "en"
        hits: list[Hit] = []
        seen: set[str] = set()
        wanted = _wanted(query)
        for position, score in fused:
            group = passages[position].group
            if group in seen:
                continue
            seen.add(group)
            members = [i for i in self.index.groups[group] if allowed is None or allowed[i]]
            shown = min(members, key=lambda i: (
                passages[i].role.display_tier, passages[i].language != query_language,
                -round(dense.get(i, 0.0), TIE_DIGITS), i,
            ))
            best_similarity = max((dense.get(i, 0.0) for i in members), default=0.0)
            hits.append(self._hit(len(hits) + 1, score, best_similarity, passages[shown], members, query, wanted))
            if len(hits) == k:
                break
        return hits

    def _hit(self, rank: int, score: float, similarity: float, passage: Passage, members: list[int], query: str,
             wanted: frozenset[str]) -> Hit:
        """The hit shown as `passage`, with the group's other members (those the filters allow) attached."""
        doc = self.index.documents.get(passage.document_id)
        others = [self.index.passages[i] for i in members if self.index.passages[i].id != passage.id]
        return Hit(
            rank=rank, score=round(score, 4), similarity=round(similarity, 4), passage=passage,
            title=doc.title if doc else passage.document_id, issuer=doc.issuer if doc else "", date=doc.date if doc else "",
            citation=self.citation(passage), sentence=best_sentence(passage.text, wanted),
            versions=[self._version_ref(p) for p in others],
        )

    def citation(self, passage: Passage) -> str:
        """"Title (issuer, date), Art. 4, §12, en": the article when the text numbers one, then the § number."""
        doc = self.index.documents.get(passage.document_id)
        title, issuer, date = (doc.title, doc.issuer, doc.date) if doc else (passage.document_id, "", "")
        who = ", ".join(x for x in (issuer, date) if x)
        where = ", ".join(x for x in (passage.article, f"§{passage.ordinal}", passage.language) if x)
        return f"{title} ({who}), {where}" if who else f"{title}, {where}"

    def _version_ref(self, p: Passage) -> VersionRef:
        return VersionRef(p.id, p.version_id, p.document_id, p.text, p.language, p.role, p.source, p.start, p.end,
                          p.ordinal, self.citation(p))


@lru_cache(maxsize=256)
def _wanted(query: str) -> frozenset[str]:
    """The query's tokens, both languages, for picking sentences (compare asks once per document)."""
    return frozenset(query_tokens(query))


def _check_known(what: str, values, known, shown=None) -> None:
    unknown = [v for v in values if v not in known]
    if unknown:
        listed = sorted(shown if shown is not None else known)
        more = f", … ({len(listed)} in all)" if len(listed) > SHOWN_KNOWN_VALUES else ""
        raise QueryError(f"unknown {what} {unknown[0]!r}; known: {', '.join(map(str, listed[:SHOWN_KNOWN_VALUES]))}{more}")
