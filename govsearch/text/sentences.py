"""Sentence boundaries in English and Chinese text."""
from __future__ import annotations

import re

from govsearch.text.unicode_scripts import CJK

# a line or fragment that ends a sentence or clause (a title does not): full stops, colons, semicolons, closing quotes
ENDS_CLAUSE = re.compile(r"[.!?。！？:：;；…”\"')）]$")

# abbreviations that stand before a number or a name ("Sec. 2", "Art. 5", "No. 15", "para. 3", "Mr. Smith")
_ABBREVIATIONS = "".join(rf"(?<!\b{a}\.)" for a in ("Sec", "SEC", "Art", "Arts", "No", "Nos", "para", "Para", "paras",
                                                     "Mr", "Ms", "Mrs", "Dr", "St", "Ch", "cf", "vol", "Vol"))
# Sentence ends: Chinese full stops anywhere; Latin ones only before a space and a capital/quote/digit,
# so "e.g." or "19 (a)" inside a sentence does not split it.
SENTENCE_END = re.compile(
    r"(?<=[。！？；])(?![”’」』）)])|(?<=[。！？][”’」』）)])"
    rf"|(?<=[.!?])(?<!\b[A-Z]\.)(?<!\b[Ee]\.g\.)(?<!\bi\.e\.){_ABBREVIATIONS}[\"”’)]?(?=\s+[\"“‘(]?[A-Z0-9{CJK}])"
)


# An article's number and title run into its first paragraph's number ("Article 5 Prohibited practices 1. The
# following …", as the EU prints its laws and as they read once joined): the number opens the next sentence.
ENUMERATOR_ONLY = re.compile(r"\s*(?:\d{1,2}|[ivxIVX]{1,4}|[a-z])\.\s*")
TITLE_BEFORE_ENUMERATOR = re.compile(r"^(?:Article|Art\.|Section|Sec\.)\s*\d+[A-Za-z]?\s+[^.!?]*?\s(\d{1,2})\.$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence ranges of text (English and Chinese punctuation), covering all non-space characters."""
    spans = []
    start = 0
    for match in SENTENCE_END.finditer(text):
        end = match.end()
        if ENUMERATOR_ONLY.fullmatch(text[start:end]):
            continue  # "2." opens the sentence after it
        if title := TITLE_BEFORE_ENUMERATOR.match(text[start:end].strip()):
            end = text.rindex(title.group(1) + ".", start, end)
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
