"""Passage embeddings cached on disk (SQLite), keyed by (model, text): a rebuild embeds only what is new, and a
build that is interrupted resumes where it stopped (vectors are stored batch by batch as they are made).

It is only a cache: a file that is damaged, or was written by another version of this format, is moved aside
(with a warning naming it) and the build embeds again.
"""
from __future__ import annotations

import hashlib
import logging
import sqlite3
import time
from pathlib import Path

import numpy as np

log = logging.getLogger("govsearch")
SCHEMA_VERSION = 2
STORE_EVERY = 64  # vectors written to the cache per transaction while embedding


class EmbeddingCache:
    def __init__(self, path: Path, model: str, dim: int):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path, self.model, self.dim = path, model, dim
        try:
            self.db = self._open()
        except sqlite3.DatabaseError as error:
            aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
            log.warning("the embedding cache %s cannot be used (%s): moved aside to %s; passages are embedded again",
                        path, error, aside.name)
            for suffix in ("", "-wal", "-shm"):
                extra = Path(f"{path}{suffix}")
                if extra.exists():
                    extra.replace(Path(f"{aside}{suffix}"))
            self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if tables and version != SCHEMA_VERSION:
                raise sqlite3.DatabaseError(f"written by another version of govsearch (schema {version}, this one reads {SCHEMA_VERSION})")
            db.execute("CREATE TABLE IF NOT EXISTS vectors (model TEXT, key TEXT, vector BLOB, PRIMARY KEY (model, key))")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("SELECT count(*) FROM vectors WHERE model = ?", [self.model]).fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def get_many(self, texts: list[str]) -> dict[int, np.ndarray]:
        """Cached vectors by position in texts (a vector of the wrong size is not a hit)."""
        found: dict[int, np.ndarray] = {}
        wanted: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            wanted.setdefault(self.key(text), []).append(i)
        items = list(wanted)
        try:
            for start in range(0, len(items), 500):
                chunk = items[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self.db.execute(f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({marks})", [self.model, *chunk])
                for k, blob in rows:
                    vector = np.frombuffer(blob, dtype=np.float32)
                    if vector.shape == (self.dim,):
                        for i in wanted[k]:
                            found[i] = vector
        except sqlite3.DatabaseError as error:
            log.warning("the embedding cache %s cannot be read (%s): passages are embedded again", self.path, error)
            return {}
        return found

    def put_many(self, texts: list[str], vectors: np.ndarray) -> None:
        rows = [(self.model, self.key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in zip(texts, vectors)]
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", rows)
        except sqlite3.DatabaseError as error:  # a cache that cannot be written costs speed, never the build
            log.warning("could not write to the embedding cache %s (%s)", self.path, error)

    def close(self) -> None:
        self.db.close()


def embed_with_cache(encoder, texts: list[str], cache: EmbeddingCache | None, progress: bool = True) -> tuple[np.ndarray, int]:
    """(vectors for texts, how many had to be embedded now). New vectors go to the cache every STORE_EVERY
    texts, so an interrupted build loses at most that much work."""
    vectors = np.zeros((len(texts), encoder.dim), dtype=np.float32)
    cached = cache.get_many(texts) if cache else {}
    for i, v in cached.items():
        vectors[i] = v
    missing = [i for i in range(len(texts)) if i not in cached]
    if not missing:
        return vectors, 0
    bar = _progress(len(missing), len(texts) - len(missing)) if progress else None
    try:
        for start in range(0, len(missing), STORE_EVERY):
            chunk = missing[start : start + STORE_EVERY]
            fresh = encoder.encode_passages([texts[i] for i in chunk], batch_size=len(chunk))
            vectors[chunk] = fresh
            if cache:
                cache.put_many([texts[i] for i in chunk], fresh)
            if bar is not None:
                bar.update(len(chunk))
    finally:
        if bar is not None:
            bar.close()
    return vectors, len(missing)


def _progress(total: int, cached: int):
    from tqdm import tqdm

    return tqdm(total=total, desc=f"embedding passages ({cached} from cache)" if cached else "embedding passages",
                unit="passage", smoothing=0.1)
