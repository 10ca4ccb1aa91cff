"""Everything the app needs before it serves: an index that matches the corpus and model, loaded once."""
from __future__ import annotations

import sys
from pathlib import Path

from govsearch.search import Engine


def ensure_engine(corpus_dir: Path, index_dir: Path, model: str | None = None, progress: bool = True) -> Engine:
    """Load the index; when it is missing, stale or damaged, say why and build it first."""
    from govsearch.encoders import load_encoder
    from govsearch.indexer import build
    from govsearch.searchindex import load_index
    from govsearch.store import IndexUnavailable
    from govsearch.summary import corpus_summary

    wanted = load_encoder(model).name if model else None
    try:
        index = load_index(index_dir, corpus_dir, model=wanted)
    except IndexUnavailable as reason:
        print(f"Building the index: {reason}", file=sys.stderr)
        report = build(corpus_dir, index_dir, model, progress=progress)
        print(corpus_summary(report.corpus), file=sys.stderr)
        index = load_index(index_dir, corpus_dir, model=wanted)
    return Engine(index, load_encoder(index.manifest["model"]))
