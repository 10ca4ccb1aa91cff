"""BM25 (bm25s) over passages in both languages: jieba words for Chinese, a light analyser for English.

A query is matched in its own words and, through the dictionary bridge (crosslingual/query.py), in the
other language's words, so a Chinese question can reach a passage that exists only in English.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from govsearch.crosslingual.query import abbreviation_tokens, en_to_zh_concepts, own_tokens, topic_words, zh_to_en_concepts
from govsearch.text.analysis import en_tokens, passage_tokens, zh_words
from govsearch.text.unicode_scripts import CJK_CHAR, script_language


class LexicalIndex:
    """Built with bm25s; queried straight from its saved score matrix with numpy, so answering a query
    does not import bm25s (which pulls in numba when it is installed: 1.7 s of a cold start)."""

    def __init__(self, data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, vocab: dict[str, int], num_docs: int):
        self.data, self.indices, self.indptr = data, indices, indptr
        self.vocab, self.num_docs = vocab, num_docs

    @classmethod
    def build(cls, texts: list[str], languages: list[str]) -> "LexicalIndex":
        import bm25s

        corpus = [passage_tokens(t, lang) or ["\x00empty"] for t, lang in zip(texts, languages)]
        retriever = bm25s.BM25(method="lucene")
        retriever.index(corpus, show_progress=False)
        scores = retriever.scores
        columns = len(scores["indptr"]) - 1  # bm25s also lists "" in its vocabulary, with no column
        vocab = {token: i for token, i in retriever.vocab_dict.items() if token and i < columns}
        return cls(scores["data"], scores["indices"], scores["indptr"], vocab, int(scores["num_docs"]))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.save(folder / "data.npy", self.data, allow_pickle=False)
        np.save(folder / "indices.npy", self.indices, allow_pickle=False)
        np.save(folder / "indptr.npy", self.indptr, allow_pickle=False)
        (folder / "vocab.json").write_text(json.dumps({"num_docs": self.num_docs, "vocab": self.vocab}, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        meta = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        arrays = [np.load(folder / f"{name}.npy", allow_pickle=False) for name in ("data", "indices", "indptr")]
        index = cls(*arrays, meta["vocab"], int(meta["num_docs"]))
        if max(index.vocab.values(), default=-1) >= len(index.indptr) - 1 or len(index.data) != len(index.indices):
            raise ValueError("BM25 arrays do not match their vocabulary")
        return index

    def known_share(self, tokens: list[str]) -> float:
        """Share of the tokens that occur anywhere in the corpus."""
        return sum(t in self.vocab for t in tokens) / len(tokens) if tokens else 0.0

    def query_scores(self, query: str) -> np.ndarray:
        """BM25 of every passage for a query in either language: the query's own words, plus, for each of its
        words, the best-scoring of that word's dictionary translations (structured query translation: one
        word's several renderings count once, so 人工智能 → "artificial intelligence", "AI" does not
        outweigh 军事 → "military")."""
        chinese = script_language(query) == "zh"
        other_script = topic_words(en_tokens(query) if chinese else (zh_words(query) if CJK_CHAR.search(query) else []))
        # an abbreviation and its expansion are one concept too: "UN" also finds "United Nations", and the reverse
        spelled = abbreviation_tokens(query)
        in_pairs = {t for pair in spelled for form in pair for t in form}
        total = self.scores([t for t in own_tokens(query) + other_script if t not in in_pairs])
        if chinese:
            concepts = [[en_tokens(g) for g in concept] for concept in zh_to_en_concepts(query)]
        else:
            concepts = [[self._chinese_term(g) for g in concept] for concept in en_to_zh_concepts(query)]
        concepts += [list(pair) for pair in spelled]
        for alternatives in concepts:
            # a rendering of several words ("artificial intelligence") is one concept: average its words
            best = [self.scores(tokens) / len(tokens) for tokens in alternatives if tokens]
            if best:
                total = total + np.max(best, axis=0)
        return total

    def term_coverage(self, query: str) -> np.ndarray:
        """Per passage, the share of the query's content it contains: its words (or, for a passage in the other
        language, their dictionary translations) weighted by inverse document frequency, in [0, 1]. A word the
        corpus never uses weighs most and is held nowhere: "quantum computing research funding" is not half
        covered by a passage on research funding. Unlike a BM25 score it does not grow with the corpus, so one
        threshold serves a corpus of 7 documents or 700."""
        own = own_tokens(query)
        own_share = self._share([[[t]] for t in own])
        chinese = script_language(query) == "zh"
        translate = zh_to_en_concepts if chinese else en_to_zh_concepts
        if chinese:
            concepts = [[en_tokens(g) for g in concept] for concept in translate(query)]
        else:
            concepts = [[self._chinese_term(g) for g in concept] for concept in translate(query)]
        # a word neither the corpus nor the dictionary knows is missing in the translation too
        concepts += [[[t]] for t in own if t not in self.vocab and not translate(t)]
        return np.maximum(own_share, self._share(concepts))

    def _share(self, concepts: list[list[list[str]]]) -> np.ndarray:
        """Σ weight of the concepts a passage holds (any alternative, all of its tokens) / Σ weight of all."""
        held = np.zeros(self.num_docs, dtype=np.float32)
        total = 0.0
        for alternatives in concepts:
            best_weight, best = 0.0, np.zeros(self.num_docs, dtype=np.float32)
            for tokens in alternatives:
                known = [t for t in tokens if t in self.vocab]
                if not known:
                    continue
                weight = float(np.mean([self.idf(t) for t in known]))
                present = np.logical_and.reduce([self._holding(t) for t in known])
                best = np.maximum(best, weight * present)
                best_weight = max(best_weight, weight)
            held += best
            total += best_weight if best_weight > 0 else self.unseen_idf
        return held / total if total > 0 else held

    @property
    def unseen_idf(self) -> float:
        """The inverse document frequency of a word no passage holds."""
        return float(np.log(1 + (self.num_docs + 0.5) / 0.5))

    def idf(self, token: str) -> float:
        i = self.vocab[token]
        df = int(self.indptr[i + 1] - self.indptr[i])
        return float(np.log(1 + (self.num_docs - df + 0.5) / (df + 0.5)))

    def _holding(self, token: str) -> np.ndarray:
        present = np.zeros(self.num_docs, dtype=bool)
        i = self.vocab[token]
        present[self.indices[self.indptr[i]:self.indptr[i + 1]]] = True
        return present

    def _chinese_term(self, word: str) -> list[str]:
        """A dictionary word as BM25 tokens: itself when the index knows it (no need to start jieba, which
        is a second of an English query's cold start), else jieba's cut of it."""
        return [word] if word in self.vocab else zh_words(word)

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every passage for the query tokens (unknown tokens ignored): the sum of the
        token columns of the precomputed score matrix."""
        ids = [self.vocab[t] for t in tokens if t in self.vocab]
        if not ids:
            return np.zeros(self.num_docs, dtype=np.float32)
        slices = [slice(self.indptr[i], self.indptr[i + 1]) for i in ids]
        docs = np.concatenate([self.indices[s] for s in slices])
        weights = np.concatenate([self.data[s] for s in slices])
        return np.bincount(docs, weights=weights, minlength=self.num_docs).astype(np.float32)
