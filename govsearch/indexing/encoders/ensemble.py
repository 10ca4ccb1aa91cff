"""Several encoders as one: their weighted unit vectors side by side."""
from __future__ import annotations

import math

import numpy as np

from govsearch.indexing.encoders.base import Encoder, run_batched, text_list


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
        self.symmetric = all(m.symmetric for m in self.members.values())
        # what the ensemble reads of a text is what its most limited member reads
        self._limited = [m for m in self.members.values() if getattr(m, "max_tokens", None) and hasattr(m, "token_count")]
        self.max_tokens = min((m.max_tokens for m in self._limited), default=None)
        # which engine computes each member's vectors (recorded in manifests; the name says which vectors)
        self.engine = "+".join(f"{key}:{getattr(m, 'engine', key)}" for key, m in self.members.items())
        equal = len({round(w, 6) for w in self.weights.values()}) == 1
        self.name = "ensemble:" + "+".join(
            key if equal else f"{key}*{self.weights[key]:.4g}" for key in self.members)

    def _encode(self, method: str, texts, batch_size, progress, label) -> np.ndarray:
        def encode_batch(batch: list[str]) -> np.ndarray:
            return np.hstack([getattr(m, method)(batch, batch_size=len(batch)) * self.scales[key]
                              for key, m in self.members.items()])

        return run_batched(text_list(texts), self.dim, batch_size, progress, label, encode_batch)

    def encode_queries(self, texts, batch_size=32, progress=False):
        return self._encode("encode_queries", texts, batch_size, progress, "embedding queries (ensemble)")

    def encode_passages(self, texts, batch_size=32, progress=False):
        return self._encode("encode_passages", texts, batch_size, progress, "embedding passages (ensemble)")

    def token_count(self, text: str, query: bool = False) -> int:
        return max((m.token_count(text, query=query) for m in self._limited), default=0)
