"""An engine ready to answer: the index that matches the corpus and model, loaded once with its encoder."""
from __future__ import annotations

import sys
from pathlib import Path

from govsearch.indexing.stores.base import StoreConfig
from govsearch.retrieval.engine import Engine


def open_engine(index_dir: Path, corpus_dir: Path, model: str | None = None, store: StoreConfig = StoreConfig()) -> Engine:
    """The index built from corpus_dir (and with model, when given) and its encoder. Raises IndexUnavailable
    (missing, stale, damaged, another model, another store), StoreUnavailable (the vector store cannot be
    reached) or EncoderUnavailable, each saying what to do."""
    from govsearch.indexing.encoders import load_encoder
    from govsearch.indexing.load import load_index

    wanted = load_encoder(model).name if model else None
    index = load_index(index_dir, corpus_dir, model=wanted, store=store)
    return Engine(index, load_encoder(index.manifest["model"]))


def ensure_engine(corpus_dir: Path, index_dir: Path, model: str | None = None, progress: bool = True,
                  store: StoreConfig = StoreConfig()) -> Engine:
    """open_engine; when the index is missing, stale or damaged, say why and build it first (not when the
    vector store is unreachable: StoreUnavailable passes through)."""
    from govsearch.indexing.build import build
    from govsearch.indexing.index_format import IndexUnavailable
    from govsearch.interfaces.summary import corpus_summary

    try:
        return open_engine(index_dir, corpus_dir, model, store)
    except IndexUnavailable as reason:
        print(f"Building the index: {reason}", file=sys.stderr)
        report = build(corpus_dir, index_dir, model, progress=progress, store=store)
        if progress:
            print(corpus_summary(report.corpus), file=sys.stderr)
        return open_engine(index_dir, corpus_dir, model, store)
