"""Find tokens injected into received text: glued into words, repeated, and not a word of either language.

A junk token here is a run that mixes digits and letters (such as "99abcd"), appears at least twice in a
file, and at least once glued to a neighbouring word ("rights99abcd", "命运99abcd"). Codes people
really write that way are kept: ordinals (40th), upper-case codes (G20, 5G, H5N1) and units (10km).
"""
from __future__ import annotations

import re
from collections import Counter

from govsearch.text.unicode_scripts import CJK

RUN = re.compile(r"[A-Za-z0-9]+")
CHUNK = re.compile(r"[A-Za-z]+|[0-9]+")
WORD_CHAR = re.compile(f"[A-Za-z{CJK}]")
LEGITIMATE = re.compile(
    r"^(?:\d+(?:st|nd|rd|th)|[A-Z0-9]+|\d+(?:kg|km|cm|mm|m|g|kb|mb|gb|tb|ms|s|h|min|x|k))$"
)
MIN_REPEATS = 2


def _candidates(run: str) -> list[tuple[int, int]]:
    """Offsets within run of every contiguous chunk sequence that mixes digits and letters."""
    chunks = [(m.start(), m.end(), m.group()[0].isdigit()) for m in CHUNK.finditer(run)]
    found = []
    for i in range(len(chunks)):
        for j in range(i + 1, len(chunks)):
            kinds = {c[2] for c in chunks[i : j + 1]}
            if len(kinds) == 2:
                found.append((chunks[i][0], chunks[j][1]))
    return found


def find_junk_tokens(text: str) -> set[str]:
    counts: Counter[str] = Counter()
    glued: set[str] = set()
    for match in RUN.finditer(text):
        run, run_start = match.group(), match.start()
        for start, end in _candidates(run):
            token = run[start:end]
            counts[token] += 1
            before = text[run_start + start - 1] if run_start + start else ""
            after = text[run_start + end] if run_start + end < len(text) else ""
            if WORD_CHAR.match(before or " ") or WORD_CHAR.match(after or " "):
                glued.add(token)
    junk = {t for t in glued if counts[t] >= MIN_REPEATS and not LEGITIMATE.match(t)}
    # A piece of a longer junk token that occurs as often is not a token of its own ("x7" in "9x7qz").
    return {t for t in junk if not any(o != t and t in o and counts[o] >= counts[t] for o in junk)}


def junk_spans(text: str, tokens: set[str]) -> list[tuple[int, int]]:
    """Ranges to delete: each token occurrence, plus one adjacent space if it stood between spaces."""
    if not tokens:
        return []
    pattern = re.compile("|".join(map(re.escape, sorted(tokens, key=len, reverse=True))))
    spans = []
    for match in pattern.finditer(text):
        start, end = match.span()
        if start and text[start - 1] == " " and end < len(text) and text[end] in " \n":
            start -= 1
        spans.append((start, end))
    return spans


def remove_junk(text: str, tokens: set[str]) -> str:
    """text without the tokens; repeated until none is left, as removing one can join another."""
    for _ in range(10):
        spans = junk_spans(text, tokens)
        if not spans:
            break
        text = remove_spans(text, spans)
    return text


def remove_spans(text: str, spans: list[tuple[int, int]]) -> str:
    pieces, last = [], 0
    for start, end in spans:
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    return "".join(pieces)
