"""The hand-edited corpus catalog (corpus/catalog.yaml): documents and where their versions sit."""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from govsearch.records import Role

CATALOG_NAME = "catalog.yaml"


class CatalogError(ValueError):
    """The catalog cannot be used as written; the message names the entry and the problem."""


@dataclass(frozen=True)
class VersionEntry:
    file: str
    lines: tuple[tuple[int, int | None], ...]  # 1-based inclusive ranges; None = to the end
    language: str
    role: Role


@dataclass
class DocumentEntry:
    id: str
    title: str
    issuer: str
    date: str
    kind: str
    title_zh: str = ""
    note: str = ""
    versions: list[VersionEntry] = field(default_factory=list)


@dataclass
class Catalog:
    documents: list[DocumentEntry] = field(default_factory=list)
    ignore: tuple[str, ...] = ()  # glob patterns of files in the folder that are not documents (SOURCES.md ...)

    def ignores(self, name: str) -> bool:
        """Whether a file (its path relative to the corpus folder) is one the catalog says to leave out."""
        return any(fnmatch.fnmatchcase(name, pattern) for pattern in self.ignore)


def load_catalog(corpus_dir: Path) -> Catalog:
    path = corpus_dir / CATALOG_NAME
    if not path.exists():
        return Catalog()
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise CatalogError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: expected a mapping with a `documents:` list")
    entries = [_document(raw, path) for raw in data.get("documents") or []]
    ids = [e.id for e in entries]
    if duplicates := sorted({i for i in ids if ids.count(i) > 1}):
        raise CatalogError(f"{path}: document ids used twice: {', '.join(duplicates)}")
    ignore = data.get("ignore") or []
    if not isinstance(ignore, list) or not all(isinstance(p, str) for p in ignore):
        raise CatalogError(f"{path}: `ignore:` must be a list of file name patterns")
    return Catalog(entries, tuple(ignore))


def _document(raw: dict, path: Path) -> DocumentEntry:
    if not isinstance(raw, dict) or not raw.get("id"):
        raise CatalogError(f"{path}: every document needs an id: {raw!r}")
    doc_id = str(raw["id"])
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", doc_id):
        raise CatalogError(f"{path}: document id {doc_id!r} must be lower-case letters, digits and dashes")
    missing = [key for key in ("title", "versions") if not raw.get(key)]
    if missing:
        raise CatalogError(f"{path}: document {doc_id} lacks {', '.join(missing)}")
    when = check_date(raw.get("date"), f"{path}: document {doc_id}")
    versions = [_version(v, doc_id, path) for v in raw["versions"]]
    return DocumentEntry(
        doc_id, str(raw["title"]), str(raw.get("issuer") or ""), when, str(raw.get("kind") or "document"),
        str(raw.get("title_zh") or ""), str(raw.get("note") or ""), versions,
    )


def check_date(value, where: str) -> str:
    """An ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD) as a string, "" when there is none."""
    if value in (None, ""):
        return ""
    if isinstance(value, date):
        value = value.isoformat()
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", str(value)):
        raise CatalogError(f"{where}: date {value!r} is not ISO 8601 (YYYY-MM-DD)")
    return str(value)


def _version(raw: dict, doc_id: str, path: Path) -> VersionEntry:
    where = f"{path}: document {doc_id}"
    if not isinstance(raw, dict) or not raw.get("file"):
        raise CatalogError(f"{where}: every version needs a file")
    role = raw.get("role", Role.ORIGINAL)
    if role not in set(Role):
        raise CatalogError(f"{where}: role {role!r} is not one of {', '.join(Role)}")
    if not raw.get("language"):
        raise CatalogError(f"{where}: version in {raw['file']} needs a language")
    return VersionEntry(str(raw["file"]), _ranges(raw.get("lines"), where), str(raw["language"]), Role(role))


def _ranges(value, where: str) -> tuple[tuple[int, int | None], ...]:
    if value is None:
        return ((1, None),)
    items = value if isinstance(value, list) else [value]
    ranges = []
    for item in items:
        match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d*)\s*)?", str(item))
        if not match:
            raise CatalogError(f"{where}: lines {item!r} should look like 3-10, 12- or 7")
        first = int(match[1])
        last = first if match[2] is None and "-" not in str(item) else (int(match[2]) if match[2] else None)
        if first < 1 or (last is not None and last < first):
            raise CatalogError(f"{where}: lines {item!r} is not a valid range")
        ranges.append((first, last))
    return tuple(ranges)


# --- writing ---------------------------------------------------------------------------------------------


def add_document(corpus_dir: Path, entry: DocumentEntry) -> None:
    """Append a document to the catalog, keeping the file's comments and layout (round-trip YAML)."""
    ids = {d.id for d in load_catalog(corpus_dir).documents}
    if entry.id in ids:
        raise CatalogError(f"the catalog already has a document {entry.id!r}")
    data, yaml = _load_round_trip(corpus_dir)
    document = {key: value for key, value in (
        ("id", entry.id), ("title", entry.title), ("title_zh", entry.title_zh), ("issuer", entry.issuer),
        ("date", entry.date), ("kind", entry.kind), ("note", entry.note)) if value}
    document["versions"] = [_flow(_version_map(v)) for v in entry.versions]
    data.setdefault("documents", []).append(_block(document))
    _write_round_trip(corpus_dir, data, yaml)


def add_version(corpus_dir: Path, document_id: str, version: VersionEntry) -> None:
    """Add a version to a document of the catalog, keeping the file's comments and layout."""
    data, yaml = _load_round_trip(corpus_dir)
    document = next((d for d in data.get("documents") or [] if str(d.get("id")) == document_id), None)
    if document is None:
        known = ", ".join(str(d.get("id")) for d in data.get("documents") or [])
        raise CatalogError(f"the catalog has no document {document_id!r} (it has: {known or 'none'})")
    document["versions"].append(_flow(_version_map(version)))
    _write_round_trip(corpus_dir, data, yaml)


def _version_map(version: VersionEntry) -> dict:
    return {"file": version.file, "language": version.language, "role": str(version.role)}


def _flow(mapping: dict):
    from ruamel.yaml.comments import CommentedMap

    flow = CommentedMap(mapping)
    flow.fa.set_flow_style()
    return flow


def _block(mapping: dict):
    from ruamel.yaml.comments import CommentedMap

    return CommentedMap(mapping)


def _load_round_trip(corpus_dir: Path):
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip: comments, order and quoting survive
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    path = corpus_dir / CATALOG_NAME
    data = yaml.load(path.read_text(encoding="utf-8")) if path.exists() else None
    if data is None:
        from ruamel.yaml.comments import CommentedMap

        data = CommentedMap()
    return data, yaml


def _write_round_trip(corpus_dir: Path, data, yaml) -> None:
    import io

    from govsearch.files import write_bytes_atomic

    buffer = io.StringIO()
    yaml.dump(data, buffer)
    write_bytes_atomic(corpus_dir / CATALOG_NAME, buffer.getvalue().encode("utf-8"))
    load_catalog(corpus_dir)  # what was written must read back
