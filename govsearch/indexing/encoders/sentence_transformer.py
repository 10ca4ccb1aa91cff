"""Any sentence-transformers model, by hub name (already in the local cache) or local directory; never downloaded."""
from __future__ import annotations

import re
import threading
from pathlib import Path

import numpy as np

from govsearch.indexing.encoders.base import EncoderUnavailable, normalise_rows, text_list


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
            self.model = SentenceTransformer(spec_to_load, device="cpu", local_files_only=True)  # never the network
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
        self.symmetric = self.query_prompt == self.passage_prompt
        self._lock = threading.Lock()

    def _encode(self, texts, batch_size, progress, query: bool) -> np.ndarray:
        texts = text_list(texts)
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

    def token_count(self, text: str, query: bool = False) -> int:
        """Tokens the model sees for text (its prompt and special tokens included)."""
        prompt = (self.query_prompt if query else self.passage_prompt) or ""
        return len(self.model.tokenizer(prompt + text)["input_ids"])
