"""Sentence boundaries in English and Chinese text."""
from __future__ import annotations

import re

from govsearch.text.unicode_scripts import CJK

# Sentence ends: Chinese full stops anywhere; Latin ones only before a space and a capital/quote/digit,
# so "e.g." or "19 (a)" inside a sentence does not split it.
SENTENCE_END = re.compile(
    r"(?<=[。！？；])(?![”’」』）)])|(?<=[。！？][”’」』）)])"
    rf"|(?<=[.!?])(?<!\b[A-Z]\.)(?<!\b[Ee]\.g\.)(?<!\bi\.e\.)[\"”’)]?(?=\s+[\"“‘(]?[A-Z0-9{CJK}])"
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence ranges of text (English and Chinese punctuation), covering all non-space characters."""
    spans = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        end = match.end()
        if text[start:end].strip():
            spans.append(_trim(text, start, end))
        start = end
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
