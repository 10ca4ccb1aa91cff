"""govsearch: cross-lingual search and question answering over AI-governance declarations.

Data flows one way, one subpackage per stage:

    text/          Unicode scripts, sentences, language, dates, English/Chinese word analysis
    ingest/        received files → documents and passages (reading, cleaning, segmenting, linking versions)
    crosslingual/  the Chinese–English dictionary, query translation, language offsets for the vectors
    indexing/      passages → encoders' vectors, FAISS and BM25 indexes on disk, and loading them back
    retrieval/     requests → hits, comparisons and answers (the engine)
    interfaces/    the command line, the web app and its JSON routes

The public API, for scripts:

    from govsearch import ensure_engine, SearchRequest, CompareRequest, AskRequest, compare_topics, ask
    engine = ensure_engine(Path("corpus"), Path("index"))
    hits = engine.search(SearchRequest(query="military use of AI", k=5)).hits
"""
from __future__ import annotations

from importlib import import_module

_EXPORTS = {
    "open_engine": "govsearch.retrieval.opening", "ensure_engine": "govsearch.retrieval.opening",
    "Engine": "govsearch.retrieval.engine", "SearchResult": "govsearch.retrieval.engine",
    "SearchRequest": "govsearch.retrieval.request", "CompareRequest": "govsearch.retrieval.request",
    "AskRequest": "govsearch.retrieval.request", "QueryError": "govsearch.retrieval.request",
    "compare_topics": "govsearch.retrieval.compare", "ask": "govsearch.retrieval.answer",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    """Imported on first use, so `import govsearch` stays cheap for the command line's cold start."""
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'govsearch' has no attribute {name!r}")
