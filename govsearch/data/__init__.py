"""Tables shipped with the package, edited by hand: the Chinese–English glossary, English abbreviations and
the unscrambling table for word-substituted Chinese."""
from __future__ import annotations

import hashlib
from importlib import resources

# The tables that change what an index holds: glossary words are jieba words (BM25 tokens) and bridge queries
# to passages; the unscrambling table changes cleaned text. An index built with other tables is stale.
INDEXED_TABLES = ("glossary_zh_en.tsv", "abbreviations_en.tsv", "unscramble_zh.tsv")


def read_tsv(name: str) -> list[list[str]]:
    """The rows of a bundled tab-separated table (fields stripped), without blank lines and # comments."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return [[field.strip() for field in line.split("\t")] for line in text.splitlines()
            if line.strip() and not line.startswith("#")]


def tables_digest() -> bytes:
    """SHA-256 over the bundled tables an index depends on (INDEXED_TABLES), names and bytes."""
    digest = hashlib.sha256()
    for name in INDEXED_TABLES:
        digest.update(name.encode() + b"\0")
        digest.update(resources.files(__name__).joinpath(name).read_bytes())
    return digest.digest()
