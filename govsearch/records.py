"""The core records that flow through the pipeline (files → documents → passages → hits), and the closed
sets of values they use, as enums: a role, a search mode or a block kind is spelled in one place."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    """What a version is to its document."""

    ORIGINAL = "original"
    OFFICIAL_TRANSLATION = "official translation"
    UNOFFICIAL_TRANSLATION = "unofficial translation"
    EXCERPT = "excerpt"
    ANNEX = "annex"
    COVER_LETTER = "cover letter"

    @property
    def code(self) -> str:
        """The short form used in version ids ("gaigi.official.en")."""
        return _ROLE_CODES[self]

    @property
    def authority(self) -> int:
        """How authoritative a version is (0 = most): the order in which versions are aligned to each other."""
        return _ROLE_AUTHORITY[self]

    @property
    def display_tier(self) -> int:
        """Which version of a statement a reader should see first (0 = first); within a tier, the query's
        language wins. Every full official text is tier 0, excerpts 1, unofficial translations 2."""
        return _ROLE_DISPLAY_TIER[self]


_ROLE_CODES = {
    Role.ORIGINAL: "orig", Role.OFFICIAL_TRANSLATION: "official", Role.UNOFFICIAL_TRANSLATION: "unofficial",
    Role.EXCERPT: "excerpt", Role.ANNEX: "annex", Role.COVER_LETTER: "letter",
}
_ROLE_AUTHORITY = {
    Role.ORIGINAL: 0, Role.OFFICIAL_TRANSLATION: 1, Role.ANNEX: 2, Role.COVER_LETTER: 2, Role.EXCERPT: 3,
    Role.UNOFFICIAL_TRANSLATION: 4,
}
_ROLE_DISPLAY_TIER = {
    Role.ORIGINAL: 0, Role.OFFICIAL_TRANSLATION: 0, Role.ANNEX: 0, Role.COVER_LETTER: 0, Role.EXCERPT: 1,
    Role.UNOFFICIAL_TRANSLATION: 2,
}


class Mode(StrEnum):
    """How a query is matched: dense vectors, BM25, or both fused."""

    HYBRID = "hybrid"
    DENSE = "dense"
    BM25 = "bm25"


class IndexType(StrEnum):
    """The FAISS index of the dense vectors (auto: exact up to 20,000 passages, then approximate)."""

    AUTO = "auto"
    FLAT = "flat"
    HNSW = "hnsw"
    HNSW_SQ8 = "hnsw-sq8"
    IVF_SQ8 = "ivf-sq8"


class BlockKind(StrEnum):
    """What a paragraph of a received file is."""

    BODY = "body"
    HEADING = "heading"
    ATTRIBUTION = "attribution"
    BOILERPLATE = "boilerplate"


class Boilerplate(StrEnum):
    """Kinds of text that are not part of a document: recognised, recorded as repairs, never indexed."""

    WEB = "web"  # a web page's menus, buttons, breadcrumbs, counters, language switches
    NEWS_LEAD = "news lead"
    UN_HEADER = "UN header"
    PAGE = "page"  # page numbers, running heads and feet of a converted PDF
    MARKUP = "markup"  # lines of markup with no text: separators, HTML comments
    FRONT_MATTER = "front matter"  # a Markdown file's YAML header
    LEGISLATIVE_HISTORY = "legislative history"  # amendment and passage records, sponsors, chaptering
    CONTENTS = "table of contents"
    PUBLICATION = "publication label"  # "Policy paper", "Published under ...", catalogue references


class RepairKind(StrEnum):
    """A change cleaning made to received text."""

    JUNK = "junk"
    UNSCRAMBLE = "unscramble"
    REMOVED_WEB = "removed web"
    REMOVED_NEWS_LEAD = "removed news lead"
    REMOVED_UN_HEADER = "removed UN header"
    REMOVED_PAGE = "removed page"
    REMOVED_MARKUP = "removed markup"
    REMOVED_FRONT_MATTER = "removed front matter"
    REMOVED_LEGISLATIVE_HISTORY = "removed legislative history"
    REMOVED_CONTENTS = "removed table of contents"
    REMOVED_PUBLICATION = "removed publication label"

    @classmethod
    def removed(cls, boilerplate: Boilerplate) -> "RepairKind":
        return cls(f"removed {boilerplate}")


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
    role: Role
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
    role: Role
    section: str
    ordinal: int  # § number within its version, from 1
    text: str
    group: str = ""
    article: str = ""  # the article or section it belongs to, as the text numbers it ("Art. 4", "第四条"), or ""


@dataclass
class Repair:
    """A change cleaning made to received text, kept so the app can show it."""

    source: str
    kind: RepairKind
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
    role: Role
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


def passages_by_version(passages: list[Passage]) -> dict[str, list[Passage]]:
    """Each version's passages, in § order."""
    found: dict[str, list[Passage]] = {}
    for passage in passages:
        found.setdefault(passage.version_id, []).append(passage)
    return found
