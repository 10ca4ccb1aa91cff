"""Lines of a received file that are furniture, not text: page numbers and running heads of a converted PDF,
form feeds, markup lines (no letter or digit at all: ":::", "---", "|---|---|", ")))))"), HTML comments, and
the YAML front matter of a Markdown file. Found per file, before paragraphs are formed, so that a running head
in the middle of a sentence does not split it.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from govsearch.ingest import structure
from govsearch.records import Boilerplate

PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-–—]?\s*(\d{1,4})\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$"
                         r"|^(?:\S{1,10}\s+){0,3}[–—]\s*(\d{1,4})\s*[–—]$", re.IGNORECASE)  # also "Ch. 138 — 2 —", "SB 53 — 2 —"
LINE_NUMBER = re.compile(r"^\s*(\d{1,2})\s+(?=\S)")  # a bill's or a pleading's numbered line: "12 comply with, and …"
MIN_NUMBERED_RUN = 5  # consecutive lines numbered n, n + 1, … : the file numbers its lines
MIN_NUMBERED_SHARE = 0.5  # of the file's lines of text, for its numbers to be taken out
NO_LETTER_OR_DIGIT = re.compile(r"^[\W_]+$")
HTML_COMMENT = re.compile(r"^<!--.*-->$")
FRONT_MATTER_FENCE = re.compile(r"^---\s*$")
MAX_RUNNING_HEAD = 100
# a printer's slug line can be longer when it is mostly numbers ("VerDate Sep<11>2014 18:13 Oct 31, 2023 Jkt 262001
# PO 00000 Frm 00001 Fmt 4705 Sfmt 4790 E:\FR\FM\01NOE0.SGM 01NOE0", on every page of the Federal Register)
MAX_NUMERIC_LINE = 200
MIN_DIGIT_SHARE = 0.2
MIN_REPEATS = 3


@dataclass(frozen=True)
class Furniture:
    """Line indexes (0-based) that are not text, with what they are."""

    lines: dict[int, Boilerplate]
    front_matter: tuple[int, int] | None = None  # first and last line index of the YAML front matter
    line_numbers: dict[int, int] = field(default_factory=dict)  # line index → length of the line number in front of it


def find_furniture(lines: list[str]) -> Furniture:
    found: dict[int, Boilerplate] = {}
    front = _front_matter(lines)
    if front is not None:
        for i in range(front[0], front[1] + 1):
            found[i] = Boilerplate.FRONT_MATTER
    for i in _page_furniture(lines):
        found.setdefault(i, Boilerplate.PAGE)
    for i, line in enumerate(lines):
        text = line.strip().strip("\f").strip()
        if i in found or not text:
            continue
        if NO_LETTER_OR_DIGIT.match(text) or HTML_COMMENT.match(text):
            found[i] = Boilerplate.MARKUP
    return Furniture(found, front, _line_numbers(lines))


def _line_numbers(lines: list[str]) -> dict[int, int]:
    """The numbers a bill printed as a PDF puts in front of every line (1 to 25 or so on each page, counting up
    line by line): line index → how many characters to take out. Only when most of the file's lines of text are
    so numbered; a numbered list or a contents page is a small part of a file."""
    numbered: list[tuple[int, int, int]] = []  # (line index, number, prefix length)
    for i, line in enumerate(lines):
        if match := LINE_NUMBER.match(line):
            numbered.append((i, int(match.group(1)), match.end()))
    runs: list[list[tuple[int, int, int]]] = []
    for entry in numbered:
        if runs and entry[1] == runs[-1][-1][1] + 1:
            runs[-1].append(entry)
        else:
            runs.append([entry])
    found = {i: length for run in runs if len(run) >= MIN_NUMBERED_RUN for i, _, length in run}
    text_lines = sum(1 for line in lines if len(line.strip()) >= 3)
    if not text_lines or len(found) < MIN_NUMBERED_SHARE * text_lines:
        return {}
    # the file numbers its lines: a page's lines are numbered from 1, however few of them there are
    return found | {i: length for run in runs if run[0][1] == 1 for i, _, length in run}


def _front_matter(lines: list[str]) -> tuple[int, int] | None:
    """A Markdown file's YAML front matter: a "---" line first, then key: value lines, then "---"."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not FRONT_MATTER_FENCE.match(lines[first]):
        return None
    for i in range(first + 1, min(len(lines), first + 200)):
        if FRONT_MATTER_FENCE.match(lines[i]):
            body = [line for line in lines[first + 1 : i] if line.strip()]
            if body and re.match(r"^[A-Za-z_][\w-]*\s*:", body[0]):
                return first, i
            return None
    return None


def _page_furniture(lines: list[str]) -> set[int]:
    """Page numbers and running heads or feet: short lines that recur (three times or more) with changing
    numbers, as a converted PDF repeats them on every page ("570 Consumer and Commercial Transactions Ch. 131").
    Bare page numbers count only when the file has several of them; a section number ("22602.") is not one."""
    shapes: dict[str, list[int]] = defaultdict(list)
    numbers: dict[str, set[str]] = defaultdict(set)
    texts: dict[str, Counter] = defaultdict(Counter)
    for i, line in enumerate(lines):
        text = " ".join(line.replace("\f", " ").split())
        if not text or not re.search(r"\d", text) or len(text) > MAX_NUMERIC_LINE:
            continue
        if len(text) > MAX_RUNNING_HEAD and sum(c.isdigit() for c in text) < MIN_DIGIT_SHARE * len(text):
            continue
        if PAGE_NUMBER.match(text):
            shape = "#page"
        elif len(re.findall(r"[A-Za-z\u3400-\u9fff]", text)) >= 3:
            shape = re.sub(r"\d+", "#", text.casefold())
        else:
            continue
        shapes[shape].append(i)
        numbers[shape].add(" ".join(re.findall(r"\d+", text)))
        texts[shape][text] += 1
    found: set[int] = set()
    for shape, where in shapes.items():
        if len(where) >= MIN_REPEATS and len(numbers[shape]) >= 2 and not _numbering(texts[shape]):
            found.update(where)
    found.update(i for i, line in enumerate(lines) if line.strip() == "" and "\f" in line)
    return found


def _numbering(texts: Counter) -> bool:
    """Lines that number a text's parts, each once ("Article 1", "Article 2" … on lines of their own, as the EU
    prints its laws): not a running head, which repeats ("Chapter 3" on every page of chapter 3)."""
    return max(texts.values()) == 1 and all(structure.label_only(t) or structure.heading_without_title(t) for t in texts)


def front_matter_fields(text: str) -> dict[str, str]:
    """The fields (title, date ...) of a YAML front matter block ("---" lines included), as strings; {} when it
    is not YAML."""
    import yaml

    body = "\n".join(line for line in text.split("\n") if not FRONT_MATTER_FENCE.match(line))
    try:
        data = yaml.safe_load(body)
    except yaml.YAMLError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): " ".join(str(v).split()) for k, v in data.items() if isinstance(v, (str, int, float)) or hasattr(v, "isoformat")}
