"""What every encoder is: the interface, its error, and the batching and normalisation they share."""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np


class EncoderUnavailable(Exception):
    """The encoder cannot be loaded here; the message says which one and why, in one line."""


class Encoder(Protocol):
    name: str  # a spec load_encoder() accepts, recorded in index manifests
    dim: int
    symmetric: bool  # queries and passages are encoded alike (no "query: " / "passage: " prompts)
    # An encoder that reads at most max_tokens tokens of a text also has token_count(text, query=False) -> int;
    # one that reads everything (USE) has max_tokens None.
    max_tokens: int | None

    def encode_queries(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray: ...

    def encode_passages(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray: ...


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """float32, C-contiguous, rows of unit L2 norm (an all-zero row stays zero)."""
    matrix = np.ascontiguousarray(matrix, dtype=np.float32)
    if matrix.ndim != 2:
        raise ValueError(f"expected a 2-D matrix, got shape {matrix.shape}")
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, np.float32(1e-12))


def text_list(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, (str, bytes)):
        raise TypeError("encode_queries/encode_passages take a list of strings, not a single string")
    texts = list(texts)
    for text in texts:
        if not isinstance(text, str):
            raise TypeError(f"expected str items, got {type(text).__name__}")
    return texts


def run_batched(texts: list[str], dim: int, batch_size: int, progress: bool, label: str,
                 encode_batch: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    """Encode in batches of batch_size (tqdm bar if progress), return normalised float32 (n, dim)."""
    if not texts:
        return np.zeros((0, dim), dtype=np.float32)
    batch_size = max(1, int(batch_size))
    starts = range(0, len(texts), batch_size)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(texts), desc=label, unit="text")
    parts = []
    try:
        for start in starts:
            batch = texts[start:start + batch_size]
            vectors = np.asarray(encode_batch(batch), dtype=np.float32).reshape(len(batch), dim)
            parts.append(vectors)
            if bar is not None:
                bar.update(len(batch))
    finally:
        if bar is not None:
            bar.close()
    return normalise_rows(np.vstack(parts))


def cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def fit_to_model(encoder, text: str, query: bool = True) -> tuple[str, bool]:
    """text cut to what the encoder reads (its max_tokens), and whether it was cut. The longest prefix that fits,
    found by bisection over the encoder's own token count (a dozen tokenisations, no model run)."""
    limit = getattr(encoder, "max_tokens", None)
    count = getattr(encoder, "token_count", None)
    if not limit or count is None or count(text, query=query) <= limit:
        return text, False
    low, high = 0, len(text)  # text[:low] fits, text[:high] does not
    while high - low > 1:
        middle = (low + high) // 2
        if count(text[:middle], query=query) <= limit:
            low = middle
        else:
            high = middle
    return text[:low].rstrip(), True
