"""Clean one piece of received text, remembering where every kept character came from."""
from __future__ import annotations

import re
from dataclasses import dataclass

from govsearch.ingest import junk, unscramble
from govsearch.records import RepairKind, Span
from govsearch.text.characters import plain_characters
from govsearch.text.unicode_scripts import CJK

# ASCII punctuation inside Chinese text becomes its full-width form ("现时,行家" -> "当前，全球").
HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
HALF_WIDTH_IN_CHINESE = re.compile(rf"(?<=[{CJK}”’])[,:;?!](?=[{CJK}“‘]|$)")
# A line wrap or space between Chinese characters goes, except the one that follows an article or chapter number
# ("第一条 为了…"; "第 1 條" / "為促進…" on two lines)
UNIT_BEFORE_TEXT = "条條章节節编編"
SPACE_IN_CHINESE = re.compile(rf"(?<=[{CJK}，。、；：！？（）])(?<![{UNIT_BEFORE_TEXT}])\s(?=[{CJK}，。、；：！？（）])")
MARKDOWN_LINK = re.compile(r"\[([^\[\]\n]{1,300})\]\((?:[^()\s]|\([^()\s]*\))*\)")  # [text](url) → text
MARKDOWN_STRONG = re.compile(r"\*\*|__(?=\w)|(?<=\w)__")
FOOTNOTE_MARK = re.compile(r"\[\^[^\]\s]{1,12}\](?!:)|\[footnote \d{1,3}\]", re.IGNORECASE)  # "data[^1]", "governments[footnote 2]"
MARKDOWN_EMPHASIS = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]{1,200}?)(?<=[^\s*])\*(?![\w*])")  # *Act 2004* → Act 2004


@dataclass(frozen=True)
class Edit:
    kind: RepairKind  # JUNK, UNSCRAMBLE or REMOVED_PAGE
    start: int  # offsets into the raw text given to clean()
    end: int
    before: str
    after: str


@dataclass(frozen=True)
class Cleaned:
    text: str
    edits: tuple[Edit, ...]


def clean(raw: str, junk_tokens: set[str], restore_chinese: bool, gaps: list[Span] = ()) -> Cleaned:
    """Page furniture (gaps, offsets into raw) and junk tokens out, scrambled Chinese restored (when asked),
    whitespace, punctuation and Markdown inline markup normalised."""
    edits: list[Edit] = [Edit(RepairKind.REMOVED_PAGE, g.start, g.end, raw[g.start:g.end], "") for g in gaps]
    junk_spans = [(s, e) for s, e in junk.junk_spans(raw, junk_tokens) if not any(g.start <= s < g.end for g in gaps)]
    edits += [Edit(RepairKind.JUNK, s, e, raw[s:e], "") for s, e in junk_spans]
    spans = sorted([(g.start, g.end) for g in gaps] + junk_spans)
    text = junk.remove_spans(raw, spans)
    origin = _origin_map(len(raw), spans)
    if restore_chinese:
        replacements = unscramble.find_replacements(text)
        edits += [Edit(RepairKind.UNSCRAMBLE, origin[r.start], origin[r.end - 1] + 1, r.before, r.after) for r in replacements]
        text = unscramble.restore(text)
    text = junk.remove_junk(text, junk_tokens)  # anything the removal itself glued together
    return Cleaned(normalise(text), tuple(sorted(edits, key=lambda e: e.start)))


# a word a line break divided with a hyphen is one word again ("develop-\nment"), unless the hyphen is its own
# ("decision-\nmaking", "risk-\nbased")
LINE_END_HYPHEN = re.compile(r"(?<=[a-z])-[ \t]*\n\s*(?=([a-z]+))")
COMPOUND_TAILS = frozenset("""
making maker makers based driven related level term scale specific oriented friendly wide led centred centered centric
owned free like up down sharing building bound facing sensitive intensive enabled powered generated
assisted dependent time border country party stakeholder use purpose risk sector state wise
""".split())


def _rejoin_hyphenated(text: str) -> str:
    return LINE_END_HYPHEN.sub(lambda m: "-" if m.group(1) in COMPOUND_TAILS else "", text)


def normalise(text: str) -> str:
    text = _rejoin_hyphenated(plain_characters(text))
    text = MARKDOWN_LINK.sub(r"\1", FOOTNOTE_MARK.sub("", text))
    text = MARKDOWN_STRONG.sub("", text)
    text = MARKDOWN_EMPHASIS.sub(r"\1", text)
    text = re.sub(rf"(?<=[{CJK}])(?<![{UNIT_BEFORE_TEXT}])\s*\n\s*(?=[{CJK}])", "", text)
    text = " ".join(text.split())
    # a space between two Chinese characters is left by a line wrap (a PDF's, a web page's): Chinese has none
    text = SPACE_IN_CHINESE.sub("", text)
    if re.search(f"[{CJK}]", text):
        text = HALF_WIDTH_IN_CHINESE.sub(lambda m: HALF_TO_FULL[m.group()], text)
    return text


def _origin_map(length: int, removed: list[tuple[int, int]]) -> list[int]:
    """For each character kept after removing spans, its offset in the original."""
    keep = [True] * length
    for start, end in removed:
        for i in range(start, end):
            keep[i] = False
    return [i for i in range(length) if keep[i]]
