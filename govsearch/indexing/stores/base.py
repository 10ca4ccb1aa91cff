"""What every vector store gives the rest of govsearch: it keeps each language's passage vectors (language
offsets already applied), writes them during a build, and answers "the best k passages of this language
for this query vector, among those the filters allow" as (passage position, cosine) pairs.

Two stores: FAISS files in the build folder (faiss_store.py, the default) and a Milvus collection
(milvus_store.py). Passages, BM25 and the manifest stay in the build folder either way.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from govsearch.records import Document, Passage

if TYPE_CHECKING:
    from govsearch.retrieval.request import Filters

FAISS = "faiss"
MILVUS = "milvus"
KINDS = (FAISS, MILVUS)
DEFAULT_ALIAS = "govsearch"


class StoreUnavailable(Exception):
    """The vector store cannot answer now: server unreachable or too slow, connection lost, a bad address, a
    store another process holds. Rebuilding the index would not help; the message says what would."""


@dataclass(frozen=True)
class StoreConfig:
    """Where the vectors go, as the user chose it: FAISS files, or Milvus at uri (a path ending in .db opens
    Milvus Lite in this process; http(s)://host:port a server). alias: the name a Milvus build switches."""

    kind: str = FAISS
    uri: str = ""
    alias: str = DEFAULT_ALIAS

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"store {self.kind!r} is not one of {', '.join(KINDS)}")
        if self.kind == MILVUS and not self.uri:
            raise ValueError("the Milvus store needs an address: give --milvus-uri URI or set GOVSEARCH_MILVUS_URI")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,200}", self.alias):
            raise ValueError(f"Milvus alias {self.alias!r} must be letters, digits and underscores, not starting with a digit")

    def options(self) -> str:
        """The command-line options that choose this store (for messages saying how to rebuild)."""
        if self.kind == FAISS:
            return ""
        alias = f" --milvus-alias {self.alias}" if self.alias != DEFAULT_ALIAS else ""
        return f" --store milvus --milvus-uri {self.uri}{alias}"


@dataclass(frozen=True)
class StoreRecord:
    """What a build wrote, as its manifest records it under "store" (no credentials: they are never in a URI)."""

    kind: str = FAISS
    uri: str = ""
    collection: str = ""
    alias: str = ""

    def as_json(self) -> dict:
        return {name: value for name, value in self.__dict__.items() if value}

    @classmethod
    def from_manifest(cls, manifest: dict) -> StoreRecord:
        """A manifest written before stores existed holds FAISS files."""
        stored = manifest.get("store") or {"kind": FAISS}
        return cls(*(str(stored.get(name, "")) for name in ("kind", "uri", "collection", "alias")))


@dataclass(frozen=True)
class BuildIdentity:
    """What vectors must have been built from to serve a build's passages; a Milvus collection carries it."""

    model: str
    dimension: int
    corpus_fingerprint: str
    passages: int

    @classmethod
    def of(cls, manifest: dict) -> BuildIdentity:
        return cls(str(manifest.get("model")), int(manifest.get("dimension") or 0),
                   str(manifest.get("corpus_fingerprint")), int(manifest["counts"]["passages"]))


@dataclass(frozen=True)
class LanguageVectors:
    """One language's passages: their positions in the build's passage list and their vectors (unit rows,
    the language's offset already subtracted)."""

    language: str
    positions: np.ndarray
    vectors: np.ndarray


@dataclass(frozen=True)
class PassageColumns:
    """What the filters test, one numpy array per field with a row per passage: filtering is vectorised.
    Issuers lower-cased (filters match them regardless of case); year -1 when the document gives none."""

    document: np.ndarray
    language: np.ndarray
    role: np.ndarray
    issuer: np.ndarray
    year: np.ndarray

    @classmethod
    def of(cls, passages: list[Passage], documents: dict[str, Document]) -> PassageColumns:
        owners = [documents.get(p.document_id) for p in passages]
        return cls(
            document=np.array([p.document_id for p in passages], dtype=object),
            language=np.array([p.language for p in passages], dtype=object),
            role=np.array([str(p.role) for p in passages], dtype=object),
            issuer=np.array([d.issuer.lower() if d is not None else "" for d in owners], dtype=object),
            year=np.array([_year(d) for d in owners], dtype=np.int32),
        )


class CodedColumn:
    """A column of few distinct strings (documents, languages, roles, issuers) as an integer code per row, with the
    rows of each value in one slice of `order`: a filter sets a value's rows instead of comparing strings per
    row (np.isin over 100,000 strings took ~4.5 ms a query), and a per-value reduction is one numpy call."""

    def __init__(self, values):
        self.names, codes = np.unique(np.asarray(values, dtype=object).astype(str), return_inverse=True)
        self.codes = codes.astype(np.int32)
        self.order = np.argsort(self.codes, kind="stable")  # rows grouped by value, ascending within each
        self.starts = np.flatnonzero(np.r_[True, np.diff(self.codes[self.order]) != 0]) if len(self.codes) else self.codes

    def known(self) -> set[str]:
        return set(self.names.tolist())

    def rows(self, value: str) -> np.ndarray:
        """The rows holding value, ascending (none for a value the column does not hold)."""
        i = int(np.searchsorted(self.names, value))
        if i >= len(self.names) or self.names[i] != value:
            return self.order[:0]
        end = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.order)
        return self.order[self.starts[i]:end]

    def mask(self, wanted) -> np.ndarray:
        """True for the rows whose value is one of wanted."""
        within = np.zeros(len(self.codes), dtype=bool)
        for value in wanted:
            within[self.rows(value)] = True
        return within


def _year(document: Document | None) -> int:
    return int(document.date[:4]) if document is not None and document.date[:4].isdigit() else -1


@dataclass(frozen=True)
class Allowed:
    """The passages a search may return: a boolean mask over passage positions (FAISS searches inside it) and,
    when the mask comes from a request's filters, those filters (Milvus evaluates them as an expression over
    its scalar fields; without them, it is sent the allowed positions)."""

    mask: np.ndarray
    filters: Filters | None = None

    @cached_property
    def positions(self) -> np.ndarray:
        """The allowed passage positions, ascending."""
        return np.flatnonzero(self.mask)


class DenseSearcher(Protocol):
    """A build's vectors, opened for searching. Safe to share between threads."""

    languages: tuple[str, ...]

    def search(self, language: str, query: np.ndarray, k: int, allowed: Allowed | None) -> list[tuple[int, float]]:
        """The best k allowed passages of one language for a query vector (already shifted), best first."""
        ...

    def vectors(self, positions: list[int]) -> np.ndarray | None:
        """The stored (shifted) vectors of these passages, one row each in the order given, or None when the
        store cannot give them back (an inverted-file FAISS index keeps no map from passage to vector)."""
        ...

    def describe(self) -> str:
        """Where the vectors are served from, for the About page."""
        ...


class VectorStore(Protocol):
    """Writes a build's vectors and opens them again."""

    def write(self, build_dir: Path, languages: list[LanguageVectors], columns: PassageColumns, index_type: str,
              identity: BuildIdentity) -> StoreRecord:
        """Store the vectors of a build being written into build_dir, complete and searchable, but not live."""
        ...

    def publish(self, record: StoreRecord) -> None:
        """Called once the build is live (its folder named in CURRENT): retire what it replaces."""
        ...

    def open(self, build_dir: Path, record: StoreRecord, languages: list[str], identity: BuildIdentity,
             rebuild: str) -> DenseSearcher:
        """The vectors of a built index, checked against what its manifest says they were built from; raises
        IndexUnavailable (missing, damaged, built otherwise: `rebuild` says how to fix it) or StoreUnavailable."""
        ...
