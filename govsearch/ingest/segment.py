"""Received text → blocks (paragraphs with their raw spans), each with what kind of block it is."""
from __future__ import annotations

import re
from dataclasses import dataclass

from govsearch.ingest import boilerplate
from govsearch.ingest.attribution import Attribution, parse_attribution
from govsearch.records import Boilerplate, BlockKind
from govsearch.text.unicode_scripts import CJK, script_language

TERMINAL = re.compile(r"[.!?。！？:：;；…”\"')）]$")
MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
NUMBERED = re.compile(r"^(?:\d{1,2}|[IVX]{1,5})[.、)]\s*(?=\S)|^[(（](?:\d{1,2}|[一二三四五六七八九十]{1,3})[)）]\s*|^[一二三四五六七八九十]{1,3}、\s*")
BULLET = re.compile(r"^(?:——|—|--|–|-|•|·|●|○|■|□|▪|◆|\*|\u2022)\s*(?=\S)")
EMPHASIS = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")

MAX_HEADING_CHARS = 160
MAX_TITLE_WORDS = 14


@dataclass
class Block:
    start: int  # raw span of the block's content in the received text (marker and whitespace excluded)
    end: int
    first_line: int  # 1-based line numbers the block spans
    last_line: int
    kind: BlockKind
    raw: str  # received text of the block, markers included
    heading: str = ""  # for headings: the heading text without markdown
    boilerplate: Boilerplate | None = None  # for boilerplate: which kind
    attribution: Attribution | None = None
    language: str | None = None  # by script, for partitioning


def split_blocks(text: str) -> list[Block]:
    """Paragraph blocks: lines separated by blank lines, or one per line where lines end sentences."""
    blocks: list[Block] = []
    lines = _lines(text)
    current: list[tuple[int, int, int]] = []  # (line_no, start, end)
    for line_no, start, end in lines:
        line = text[start:end]
        if not line.strip():
            _flush(text, current, blocks)
            current = []
            continue
        if current and _starts_new_paragraph(text, current[-1], (line_no, start, end)):
            _flush(text, current, blocks)
            current = []
        current.append((line_no, start, end))
    _flush(text, current, blocks)
    _classify(blocks)
    return blocks


def _lines(text: str) -> list[tuple[int, int, int]]:
    out, pos = [], 0
    for number, line in enumerate(text.split("\n"), start=1):
        out.append((number, pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _starts_new_paragraph(text: str, previous: tuple[int, int, int], line: tuple[int, int, int]) -> bool:
    before = text[previous[1] : previous[2]].strip()
    now = text[line[1] : line[2]].strip()
    if TERMINAL.search(before) or len(before) < 40:
        return True
    return bool(BULLET.match(now) or NUMBERED.match(now) or MARKDOWN_HEADING.match(now) or MARKDOWN_HEADING.match(before))


def _flush(text: str, lines: list[tuple[int, int, int]], blocks: list[Block]) -> None:
    if not lines:
        return
    start, end = lines[0][1], lines[-1][2]
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    blocks.append(Block(start, end, lines[0][0], lines[-1][0], BlockKind.BODY, text[start:end]))


def joined(raw: str) -> str:
    """A block's text on one line: wrapped lines joined (without a space between Chinese characters)."""
    raw = re.sub(rf"(?<=[{CJK}])[ \t]*\n[ \t]*(?=[{CJK}])", "", raw)
    return re.sub(r"\s*\n\s*", " ", raw)


def _classify(blocks: list[Block]) -> None:
    for block in blocks:
        line = joined(block.raw)
        block.language = script_language(line)
        if (attribution := parse_attribution(line)) is not None:
            block.kind, block.attribution = BlockKind.ATTRIBUTION, attribution
        elif match := MARKDOWN_HEADING.match(line):
            block.kind, block.heading = BlockKind.HEADING, strip_emphasis(match.group(2))
    for i, block in enumerate(blocks):
        if block.kind != BlockKind.BODY:
            continue
        following = next((b for b in blocks[i + 1 :] if b.kind == BlockKind.BODY), None)
        line = joined(block.raw)
        if following is not None and (_numbered_heading(line, following) or _title_line(line, blocks, i)):
            block.kind, block.heading = BlockKind.HEADING, strip_emphasis(line)
    lines = [joined(b.raw) for b in blocks]
    kinds = boilerplate.classify(lines, [b.kind == BlockKind.HEADING for b in blocks])
    for block, kind in zip(blocks, kinds):
        if kind and block.kind in (BlockKind.BODY, BlockKind.HEADING):
            block.kind, block.boilerplate, block.heading = BlockKind.BOILERPLATE, kind, ""


def _numbered_heading(line: str, following: Block) -> bool:
    """ "6. Transparent regulation" above its paragraph; a numbered list item is not a heading."""
    if not NUMBERED.match(line) or len(line) > MAX_HEADING_CHARS or NUMBERED.match(following.raw.strip()):
        return False
    sentences = re.findall(r"[.!?。！？](?=\s|$)", line[NUMBERED.match(line).end() :])
    return len(sentences) <= 1


def _title_line(line: str, blocks: list[Block], index: int) -> bool:
    """A short unpunctuated line (a title) followed by body text."""
    if TERMINAL.search(line) or BULLET.match(line) or len(line) > 100:
        return False
    if script_language(line) == "zh":
        return len(line) <= 40
    words = line.split()
    capitalised = sum(w[0].isupper() for w in words if w[0].isalpha())
    return len(words) <= MAX_TITLE_WORDS and capitalised * 2 >= len(words)


def strip_emphasis(text: str) -> str:
    return EMPHASIS.sub("", text).strip()


def content_start(raw: str) -> int:
    """Offset in raw where the content starts, after a bullet or list-number marker."""
    match = BULLET.match(raw) or NUMBERED.match(raw)
    return match.end() if match else 0
