"""Passage embeddings cached on disk, keyed by (model, text): a rebuild embeds only what is new."""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np


class EmbeddingCache:
    def __init__(self, path: Path, model: str, dim: int):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.model, self.dim = model, dim
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS vectors (model TEXT, key TEXT, vector BLOB, PRIMARY KEY (model, key))")

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def get_many(self, texts: list[str]) -> dict[int, np.ndarray]:
        """Cached vectors by position in texts."""
        found: dict[int, np.ndarray] = {}
        keys = [self.key(t) for t in texts]
        wanted: dict[str, list[int]] = {}
        for i, k in enumerate(keys):
            wanted.setdefault(k, []).append(i)
        items = list(wanted)
        for start in range(0, len(items), 500):
            chunk = items[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({marks})", [self.model, *chunk])
            for k, blob in rows:
                vector = np.frombuffer(blob, dtype=np.float32)
                if vector.shape == (self.dim,):
                    for i in wanted[k]:
                        found[i] = vector
        return found

    def put_many(self, texts: list[str], vectors: np.ndarray) -> None:
        rows = [(self.model, self.key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in zip(texts, vectors)]
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows)

    def close(self) -> None:
        self.db.close()


def embed_with_cache(encoder, texts: list[str], cache: EmbeddingCache | None, progress: bool = True) -> tuple[np.ndarray, int]:
    """(vectors for texts, how many had to be embedded now)."""
    vectors = np.zeros((len(texts), encoder.dim), dtype=np.float32)
    cached = cache.get_many(texts) if cache else {}
    for i, v in cached.items():
        vectors[i] = v
    missing = [i for i in range(len(texts)) if i not in cached]
    if missing:
        fresh = encoder.encode_passages([texts[i] for i in missing], progress=progress)
        vectors[missing] = fresh
        if cache:
            cache.put_many([texts[i] for i in missing], fresh)
    return vectors, len(missing)
