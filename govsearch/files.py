"""Files written whole or not at all, and the folder where derived data (parsed dictionaries, converted model
weights) is cached between runs."""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
from pathlib import Path


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside path, then rename it over path: readers see the old file or the new."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json_atomic(path: Path, value, compact: bool = False) -> None:
    """JSON through write_bytes_atomic; compact (no indentation or spaces) for large caches."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":")) if compact else json.dumps(value, ensure_ascii=False, indent=1)
    write_bytes_atomic(path, text.encode("utf-8"))


def write_jsonl_atomic(path: Path, rows: list[dict]) -> None:
    """One JSON object per line, through write_bytes_atomic."""
    write_bytes_atomic(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8"))


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def exclusive_lock(lock_file: Path):
    """Held by one process at a time (POSIX flock on lock_file, created if missing); others wait."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def cache_dir() -> Path | None:
    """$GOVSEARCH_CACHE, else $GOVSEARCH_CACHE_DIR, else $XDG_CACHE_HOME/govsearch, else ~/.cache/govsearch.
    Either variable set to an empty string disables caching."""
    for name in ("GOVSEARCH_CACHE", "GOVSEARCH_CACHE_DIR"):
        configured = os.environ.get(name)
        if configured is not None:
            return Path(configured).expanduser() if configured.strip() else None
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "govsearch"
