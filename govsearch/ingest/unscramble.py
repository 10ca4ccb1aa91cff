"""Detect and reverse word-substitution scrambling of Chinese text.

The substitution table lives in data/unscramble_zh.tsv (reviewed by hand). Scrambling is detected per
document version from the table's strong markers, and the table is applied only to versions where it is
detected, so clean Chinese keeps its legitimate 管制, 手艺 or 配合.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from govsearch.data import read_tsv

MIN_DISTINCT_MARKERS = 2


@dataclass(frozen=True)
class Substitution:
    scrambled: str
    restored: str
    strong: bool


@dataclass(frozen=True)
class Replacement:
    start: int  # offset in the input text
    end: int
    before: str
    after: str


@lru_cache(maxsize=1)
def substitution_table() -> tuple[Substitution, ...]:
    rows = []
    for fields in read_tsv("unscramble_zh.tsv"):
        if len(fields) < 3 or fields[2] not in ("strong", "weak"):
            raise ValueError(f"bad row in unscramble_zh.tsv: {fields!r}")
        rows.append(Substitution(fields[0], fields[1], fields[2] == "strong"))
    return tuple(rows)


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    keys = sorted({row.scrambled for row in substitution_table()}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys)))


@lru_cache(maxsize=1)
def _restore_map() -> dict[str, str]:
    return {row.scrambled: row.restored for row in substitution_table()}


def scramble_markers(text: str) -> set[str]:
    """The distinct strong markers of scrambling present in text."""
    return {row.scrambled for row in substitution_table() if row.strong and row.scrambled in text}


def is_scrambled(text: str) -> bool:
    return len(scramble_markers(text)) >= MIN_DISTINCT_MARKERS


def find_replacements(text: str) -> list[Replacement]:
    """Leftmost-longest matches of the table in text (one pass, so restorations never chain)."""
    restore = _restore_map()
    found = []
    for match in _pattern().finditer(text):
        after = restore[match.group()]
        if after != match.group():
            found.append(Replacement(match.start(), match.end(), match.group(), after))
    return found


def restore(text: str) -> str:
    """Apply the table to text unconditionally; callers decide with is_scrambled()."""
    restore_map = _restore_map()
    return _pattern().sub(lambda m: restore_map[m.group()], text)
