"""The index folder on disk: the one owner of its file names and of the JSON form of what it stores.

    index/
      CURRENT            the name of the live build (replaced atomically with os.replace)
      build.lock         held by a build while it runs
      builds/<id>/       manifest.json, passages.jsonl, documents.json, repairs.jsonl, texts.json, offsets.json, shapes.json,
                         vectors.<lang>.faiss and ids.<lang>.npy per passage language, bm25/
      cache/             embedding cache (SQLite), shared by builds

Builds are written whole into their own folder and switched in by one atomic rename; the previous build
keeps serving until then. A build killed half-way leaves an unfinished `.partial` folder that nothing points
to; the next build removes it. Loading checks every file against the manifest's checksums.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from govsearch.files import exclusive_lock, sha256_file, write_bytes_atomic, write_json_atomic, write_jsonl_atomic
from govsearch.records import Document, Passage, Repair, RepairKind, Role, Version

if TYPE_CHECKING:
    from govsearch.indexing.shapes import PassageShapes
    from govsearch.ingest.corpus import Corpus

FORMAT_VERSION = 5  # 3: BM25 also indexes each passage's document names, section heading and article label; 4: shapes.json; 5: commencement clauses in shapes.json
MANIFEST = "manifest.json"
PASSAGES = "passages.jsonl"
DOCUMENTS = "documents.json"
REPAIRS = "repairs.jsonl"
TEXTS = "texts.json"
OFFSETS = "offsets.json"
SHAPES = "shapes.json"
BM25 = "bm25"
KEEP_BUILDS = 2  # the live one and the one before it, which a running app may still hold


class IndexUnavailable(Exception):
    """The index cannot be served; the message says which file and how to fix it."""


def vectors_file(language: str) -> str:
    return f"vectors.{language}.faiss"


def ids_file(language: str) -> str:
    return f"ids.{language}.npy"


# --- records ↔ JSON ------------------------------------------------------------------------------------


def passage_json(p: Passage) -> dict:
    return {
        "id": p.id, "document_id": p.document_id, "version_id": p.version_id, "source": p.source,
        "start": p.start, "end": p.end, "language": p.language, "role": p.role, "section": p.section,
        "ordinal": p.ordinal, "text": p.text, "group": p.group, "article": p.article,
    }


def passage_from_json(row: dict) -> Passage:
    values = {k: row[k] for k in Passage.__dataclass_fields__ if k in row}
    return Passage(**{**values, "role": Role(values["role"])})


def documents_json(corpus: Corpus) -> list[dict]:
    counts = Counter(p.version_id for p in corpus.passages)
    return [
        {
            "id": d.id, "title": d.title, "title_zh": d.title_zh, "issuer": d.issuer, "date": d.date,
            "kind": d.kind, "catalogued": d.catalogued,
            "versions": [
                {"id": v.id, "source": v.source, "language": v.language, "role": v.role,
                 "title": v.title, "passages": counts[v.id]}
                for v in d.versions
            ],
        }
        for d in corpus.documents
    ]


def document_from_json(row: dict) -> Document:
    versions = [
        Version(v["id"], row["id"], v["source"], v["language"], Role(v["role"]), [], v.get("title", ""))
        for v in row["versions"]
    ]
    return Document(row["id"], row["title"], row["issuer"], row["date"], row.get("kind", ""),
                    row.get("title_zh", ""), versions, row.get("catalogued", True))


def repair_json(r: Repair) -> dict:
    return {"source": r.source, "kind": r.kind, "start": r.start, "end": r.end, "before": r.before, "after": r.after}


def repair_from_json(row: dict) -> Repair:
    return Repair(row["source"], RepairKind(row["kind"]), row["start"], row["end"], row["before"], row["after"])


def write_metadata(build: Path, corpus: Corpus, offsets: dict, shapes: PassageShapes) -> None:
    """Everything of the corpus the app needs besides the vectors and BM25."""
    write_jsonl_atomic(build / PASSAGES, [passage_json(p) for p in corpus.passages])
    write_jsonl_atomic(build / REPAIRS, [repair_json(r) for r in corpus.repairs])
    write_json_atomic(build / DOCUMENTS, documents_json(corpus))
    write_json_atomic(build / TEXTS, corpus.texts)
    write_json_atomic(build / OFFSETS, {lang: v.tolist() for lang, v in offsets.items()})
    write_json_atomic(build / SHAPES, shapes.as_json())


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in read_text(path).splitlines() if line.strip()]


def read_json(path: Path):
    return json.loads(read_text(path))


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise IndexUnavailable(f"{path} cannot be read ({error.__class__.__name__})") from None


# --- builds --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def build_lock(index_dir: Path):
    """Held for the whole of a build: a second build of the same index waits for the first. Whatever
    `.partial` folders exist once the lock is held were left by builds that died, and are removed."""
    with exclusive_lock(index_dir / "build.lock"):
        builds = index_dir / "builds"
        if builds.is_dir():
            for path in builds.glob("*.partial"):
                shutil.rmtree(path, ignore_errors=True)
        yield


def new_build_dir(index_dir: Path) -> Path:
    builds = index_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=time.strftime("%Y%m%d-%H%M%S-"), suffix=".partial", dir=builds))


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
    for path in [p for p in finished if p.name != keep][: max(0, len(finished) - KEEP_BUILDS)]:
        shutil.rmtree(path, ignore_errors=True)
