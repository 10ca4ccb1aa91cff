"""The core records that flow through the pipeline: files → documents → passages → hits."""
from __future__ import annotations

from dataclasses import dataclass, field

ROLES = (
    "original",
    "official translation",
    "unofficial translation",
    "excerpt",
    "annex",
    "cover letter",
)

# How much a reader should prefer showing each role when a statement exists in several versions.
ROLE_PREFERENCE = {
    "original": 0,
    "official translation": 1,
    "annex": 2,
    "cover letter": 2,
    "excerpt": 3,
    "unofficial translation": 4,
}


@dataclass(frozen=True)
class Span:
    """A half-open character range [start, end) in the decoded text of a received file."""

    start: int
    end: int


@dataclass
class Version:
    """One rendering of a document: a language and role, occupying some spans of one file."""

    id: str
    document_id: str
    source: str  # path relative to the project root
    language: str
    role: str
    spans: list[Span]
    title: str = ""


@dataclass
class Document:
    id: str
    title: str
    issuer: str
    date: str  # ISO 8601, or "" when unknown
    kind: str
    title_zh: str = ""
    versions: list[Version] = field(default_factory=list)
    catalogued: bool = True


@dataclass
class Passage:
    id: str
    document_id: str
    version_id: str
    source: str
    start: int
    end: int
    language: str
    role: str
    section: str
    ordinal: int  # § number within its version, from 1
    text: str
    group: str = ""


@dataclass
class Repair:
    """A change cleaning made to received text, kept so the app can show it."""

    source: str
    kind: str  # "junk", "unscramble", "boilerplate", ...
    start: int
    end: int
    before: str
    after: str


@dataclass
class VersionRef:
    """Another rendering of a hit's statement, shown one click away."""

    passage_id: str
    version_id: str
    document_id: str
    text: str
    language: str
    role: str
    source: str
    start: int
    end: int
    ordinal: int
    citation: str


@dataclass
class Hit:
    rank: int
    score: float  # fused relevance in [0, 1]: 1 = first in every ranking used
    similarity: float  # cosine similarity of the best-matching version to the query (dense), 0 if unknown
    passage: Passage
    title: str
    issuer: str
    date: str
    citation: str
    sentence: str  # the passage's sentence that best matches the query
    versions: list[VersionRef] = field(default_factory=list)
