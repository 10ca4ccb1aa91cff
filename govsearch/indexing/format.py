"""The index folder on disk: builds written whole into their own folder, switched in by one atomic rename.

    index/
      CURRENT            the name of the live build (replaced atomically with os.replace)
      builds/<id>/       manifest.json, passages.jsonl, documents.json, vectors.faiss, bm25/, texts.json
      cache/             embedding cache (SQLite), shared by builds

A build killed half-way leaves only an unfinished folder that nothing points to; the previous build
keeps serving. Loading checks every file against the manifest's checksums.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

FORMAT_VERSION = 2
MANIFEST = "manifest.json"
KEEP_BUILDS = 2  # the live one and the one before it, which a running app may still hold


class IndexUnavailable(Exception):
    """The index cannot be served; the message says which file and how to fix it."""


def write_json_atomic(path: Path, value, compact: bool = False) -> None:
    """JSON through write_bytes_atomic; compact (no indentation or spaces) for large caches."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":")) if compact else json.dumps(value, ensure_ascii=False, indent=1)
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
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


def new_build_dir(index_dir: Path) -> Path:
    builds = index_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=time.strftime("%Y%m%d-%H%M%S-"), suffix=".partial", dir=builds))


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_checksums(build_dir: Path) -> dict[str, str]:
    return {
        p.relative_to(build_dir).as_posix(): sha256_file(p)
        for p in sorted(build_dir.rglob("*"))
        if p.is_file() and p.name != MANIFEST
    }


def publish(index_dir: Path, partial: Path, manifest: dict) -> Path:
    """Seal a finished build (manifest last) and make it the live one."""
    manifest = {**manifest, "format_version": FORMAT_VERSION, "files": file_checksums(partial)}
    write_json_atomic(partial / MANIFEST, manifest)
    final = partial.with_name(partial.name.removesuffix(".partial"))
    os.replace(partial, final)
    write_bytes_atomic(index_dir / "CURRENT", final.name.encode())
    _prune(index_dir, keep=final.name)
    return final


def current_build(index_dir: Path) -> Path:
    pointer = index_dir / "CURRENT"
    if not pointer.exists():
        raise IndexUnavailable(f"no index in {index_dir}/: build it with `python build_index.py --index {index_dir}`")
    name = pointer.read_text(encoding="utf-8").strip()
    build = index_dir / "builds" / name
    if not name or "/" in name or not build.is_dir():
        raise IndexUnavailable(f"{pointer} points to a missing build {name!r}: rebuild with `python build_index.py --index {index_dir}`")
    return build


def read_manifest(build: Path, verify: bool = True) -> dict:
    path = build / MANIFEST
    rebuild = f"rebuild with `python build_index.py --index {build.parent.parent}`"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise IndexUnavailable(f"{path} is damaged or missing ({error.__class__.__name__}): {rebuild}") from None
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexUnavailable(f"{path} is from another version of govsearch: {rebuild}")
    if verify:
        for name, expected in manifest.get("files", {}).items():
            file = build / name
            if not file.exists():
                raise IndexUnavailable(f"{file} is missing: {rebuild}")
            if sha256_file(file) != expected:
                raise IndexUnavailable(f"{file} is damaged (checksum mismatch): {rebuild}")
    return manifest


def _prune(index_dir: Path, keep: str) -> None:
    builds = index_dir / "builds"
    finished = sorted((p for p in builds.iterdir() if p.is_dir() and not p.name.endswith(".partial")), key=lambda p: p.name)
    stale = [p for p in finished if p.name != keep][: max(0, len(finished) - KEEP_BUILDS)]
    # Unfinished builds older than an hour were killed: nothing will finish them.
    stale += [p for p in builds.iterdir() if p.name.endswith(".partial") and time.time() - p.stat().st_mtime > 3600]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
