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
    missing = [key for key in ("title", "issuer", "date", "kind", "versions") if not raw.get(key)]
    if missing:
        raise CatalogError(f"{path}: document {doc_id} lacks {', '.join(missing)}")
    when = raw["date"]
    if isinstance(when, date):
        when = when.isoformat()
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", str(when)):
        raise CatalogError(f"{path}: document {doc_id}: date {when!r} is not ISO 8601 (YYYY-MM-DD)")
    versions = [_version(v, doc_id, path) for v in raw["versions"]]
    return DocumentEntry(
        doc_id, str(raw["title"]), str(raw["issuer"]), str(when), str(raw["kind"]),
        str(raw.get("title_zh") or ""), str(raw.get("note") or ""), versions,
    )


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
