"""Character-script helpers shared by cleaning, language detection and segmentation."""
from __future__ import annotations

import re

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_CHAR = re.compile(f"[{CJK}]")
LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
# Sentence ends: Chinese full stops anywhere; Latin ones only before a space and a capital/quote/digit,
# so "e.g." or "19 (a)" inside a sentence does not split it.
SENTENCE_END = re.compile(
    r"(?<=[。！？；])(?![”’」』）)])|(?<=[。！？][”’」』）)])"
    r"|(?<=[.!?])(?<!\b[A-Z]\.)(?<!\b[Ee]\.g\.)(?<!\bi\.e\.)[\"”’)]?(?=\s+[\"“‘(]?[A-Z0-9\u4e00-\u9fff])"
)


def cjk_ratio(text: str) -> float:
    """Share of CJK characters among letters (CJK + Latin)."""
    cjk = len(CJK_CHAR.findall(text))
    latin = len(LATIN_LETTER.findall(text))
    return cjk / (cjk + latin) if cjk + latin else 0.0


def script_language(text: str) -> str | None:
    """'zh' or 'en' by script alone, or None when the text has no letters."""
    cjk = len(CJK_CHAR.findall(text))
    latin = len(LATIN_LETTER.findall(text))
    if not cjk and not latin:
        return None
    # One CJK character carries about as much as a short English word.
    return "zh" if cjk * 3 >= latin else "en"


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
