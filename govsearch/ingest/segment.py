"""Received text → blocks (paragraphs with their raw spans), each with what kind of block it is.

Lines that are page furniture (layout.py) are taken out first: a running head in the middle of a paragraph
becomes a gap inside it, so the sentence it interrupted stays whole. Paragraphs are then classified: body text,
headings (markdown, a short title line, a chapter heading, a numbered heading), attribution lines, boilerplate
(web chrome, news leads, UN headers, legislative history, publication labels, a table of contents). An
article or section number standing alone ("22602.") joins the paragraph it numbers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from govsearch.ingest import boilerplate, structure
from govsearch.ingest.attribution import Attribution, parse_attribution
from govsearch.ingest.layout import find_furniture
from govsearch.records import BlockKind, Boilerplate, Span
from govsearch.text.references import chinese_number, roman_number
from govsearch.text.instruments import names_instrument
from govsearch.text.sentences import ENDS_CLAUSE
from govsearch.text.unicode_scripts import CJK, script_language

TERMINAL = ENDS_CLAUSE  # a line that ends a sentence or clause is no title
MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
NUMBERED = re.compile(r"^(?:\d{1,2}|[IVX]{1,5})[.、)]\s*(?=\S)|^[(（](?:\d{1,2}|[一二三四五六七八九十]{1,3})[)）]\s*|^[一二三四五六七八九十]{1,3}、\s*")
BULLET = re.compile(r"^(?:——|—|--|–|-|•|·|●|○|■|□|▪|◆|\u2022)\s*(?=\S)|^\*\s+(?=\S)")  # "**bold**" is no bullet
EMPHASIS = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
TABLE_ROW = re.compile(r"^\|.*\|$")
FOOTNOTE = re.compile(r"^\[\^[^\]\s]{1,12}\]:")  # a markdown footnote's text ("[^2]: As defined by …"), never a title
LIST_MARKER = re.compile(r"^[(（]\s*(?:[a-zA-Z]{1,2}|[ivxlcIVXLC]{1,6}|\d{1,3}|[一二三四五六七八九十]{1,3})\s*[)）]")  # (a) (ii) (M) (3) （一）
TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
CONTENTS_LABEL = re.compile(r"^(table of )?contents$|^目\s*录$|^目\s*錄$", re.IGNORECASE)
# an entry of a table of contents: a title, then its page number after a dash or dot leaders
CONTENTS_ENTRY = re.compile(r"^.{2,120}?(\s+[—–-]\s*|\s*\.{3,}\s*|\s{2,})\d{1,4}$")
PART_NUMBER = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,6})[.)、]?\s+")  # "1.", "2.3", "IV." before a part's name
CONTENTS_PAGE = re.compile(r"(\s*\.{2,}|\s)\s*\d{1,4}$")  # an entry's page number

SHORT_LINE = 40  # characters: a line shorter than this that ends no sentence ends a title or a list item
FULL_LINE = 0.8  # of the file's line width: a Chinese line this long without a sentence end wraps
MIN_CJK_WIDTH = 25  # a file of shorter lines is a list, not wrapped text
WIDTH_QUANTILE = 0.8
MIN_TEXT_LINE = 10  # characters: shorter lines (page numbers, headings) say nothing of the width
HYPHENATED = re.compile(r"[a-z]-$")  # "develop-" at a line's end, before "ment"
BRACKETED_NOTE = re.compile(r"^\[[^\]]*\]$")  # "[ Approved by Governor September 29, 2025. Filed with … ]"
LIST_INTRO_END = re.compile(r"[:：]\s*$")
TRAILING_QUALIFIER = re.compile(r"[(（][^()（）]{1,20}[)）]$")  # "（试行）", "（征求意见稿）" ending a Chinese title
MAX_HEADING_CHARS = 160
MAX_NUMBERED_HEADING_WORDS = 20  # a numbered line longer than this is a paragraph ("1. Artificial intelligence should …" is 13)
MAX_CHINESE_HEADING = 40  # characters
MAX_TITLE_WORDS = 14
MAX_LONG_TITLE_WORDS = 40  # a line naming an instrument
MIN_CAPITALISED = 0.4  # share of a long title's words that are capitalised
MIN_LIST_ITEMS = 2  # short lines under a line ending in a colon: its list
MIN_CONTENTS_RUN = 3  # consecutive headings with no text between them: a table of contents


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
    gaps: list[Span] = field(default_factory=list)  # page furniture inside the block, left out of its text
    continues: bool = False  # for headings: a further line of the heading before it
    item: bool = False  # for body text: an item of a list of short lines at the end of the text (its signatories)

    @property
    def text(self) -> str:
        """The block's received text without its gaps."""
        if not self.gaps:
            return self.raw
        pieces, position = [], self.start
        for gap in self.gaps:
            pieces.append(self.raw[position - self.start : gap.start - self.start])
            position = gap.end
        pieces.append(self.raw[position - self.start :])
        return "\n".join(pieces)


def split_blocks(text: str) -> list[Block]:
    """Paragraph blocks: lines separated by blank lines, or one per line where lines end sentences."""
    received = _lines(text)
    furniture = find_furniture([text[s:e] for _, s, e in received])
    # a bill printed with numbered lines: each line starts after its number, which is a gap inside its paragraph
    lines = [(n, s + furniture.line_numbers.get(i, 0), e) for i, (n, s, e) in enumerate(received)]
    width = _line_width([text[s:e] for _, s, e in lines])
    blocks: list[Block] = []
    current: list[tuple[int, int, int]] = []  # (line_no, start, end)
    gaps: list[Span] = []
    for index, (line_no, start, end) in enumerate(lines):
        kind = furniture.lines.get(index)
        in_table = current and TABLE_ROW.match(text[current[-1][1]:current[-1][2]].strip())
        if (kind == Boilerplate.PAGE or (in_table and TABLE_SEPARATOR.match(text[start:end].strip()))) and current:
            gaps.append(Span(start, min(end + 1, len(text))))  # the paragraph goes on after a running head
            continue
        if kind is not None:
            _flush(text, current, gaps, blocks)
            current, gaps = [], []
            _add_furniture(text, (line_no, start, end), kind, blocks)
            continue
        if not text[start:end].strip():
            _flush(text, current, gaps, blocks)
            current, gaps = [], []
            continue
        if current and _starts_new_paragraph(text, current[-1], (line_no, start, end), width):
            _flush(text, current, gaps, blocks)
            current, gaps = [], []
        if current and start > received[index][1]:
            gaps.append(Span(received[index][1], start))
        current.append((line_no, start, end))
    _flush(text, current, gaps, blocks)
    _classify(text, blocks)
    return blocks


def _short_line(line: str, width: float) -> float:
    """How short a line must be to end a paragraph or a title without a sentence end: SHORT_LINE characters, or,
    for Chinese wrapped at a width of a PDF's (MIN_CJK_WIDTH or more), short of a full line."""
    if width >= MIN_CJK_WIDTH and script_language(line) == "zh":
        return min(SHORT_LINE, FULL_LINE * width)
    return SHORT_LINE


def _line_width(lines: list[str]) -> float:
    """The width a file's text is wrapped at, in characters: the WIDTH_QUANTILE of the lengths of its lines of text
    (not page numbers or short headings; a file with a paragraph per line has a width far above SHORT_LINE, so
    that only SHORT_LINE counts there)."""
    lengths = sorted(len(line.strip()) for line in lines if len(line.strip()) >= MIN_TEXT_LINE)
    return float(lengths[int(WIDTH_QUANTILE * (len(lengths) - 1))]) if lengths else 0.0


def _lines(text: str) -> list[tuple[int, int, int]]:
    out, pos = [], 0
    for number, line in enumerate(text.split("\n"), start=1):
        out.append((number, pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _starts_new_paragraph(text: str, previous: tuple[int, int, int], line: tuple[int, int, int], width: float) -> bool:
    """Whether a line starts a paragraph rather than going on with the one before. A line that stops short of
    the file's line width (or of SHORT_LINE characters) without ending a sentence ends a title; a full one wraps
    (a Chinese PDF's 36-character lines are full ones); a word broken by a hyphen goes on ("develop-" / "ment")."""
    before = text[previous[1] : previous[2]].strip()
    now = text[line[1] : line[2]].strip()
    if TABLE_ROW.match(before) and TABLE_ROW.match(now):
        return False  # a table's rows stay together
    if HYPHENATED.search(before) and now[:1].islower():
        return False
    if TERMINAL.search(before) or len(before) < _short_line(before, width):
        return True
    if (len(now) <= MAX_HEADING_CHARS and boilerplate.page_label(now)) or BRACKETED_NOTE.match(before) or (
            len(before) < min(FULL_LINE * width, MAX_HEADING_CHARS) and boilerplate.page_label(before)):
        return True  # "Published 21 May 2024" under a long title, "[ Approved by Governor … ]": lines of their own
    return bool(BULLET.match(now) or NUMBERED.match(now) or MARKDOWN_HEADING.match(now) or MARKDOWN_HEADING.match(before)
                or structure.article_label(now) or structure.chapter_heading(now))


def _flush(text: str, lines: list[tuple[int, int, int]], gaps: list[Span], blocks: list[Block]) -> None:
    if not lines:
        return
    start, end = lines[0][1], lines[-1][2]
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    inside = [g for g in gaps if start <= g.start < end]
    blocks.append(Block(start, end, lines[0][0], lines[-1][0], BlockKind.BODY, text[start:end], gaps=inside))


def _add_furniture(text: str, line: tuple[int, int, int], kind: Boilerplate, blocks: list[Block]) -> None:
    """A furniture line as a boilerplate block, joined to the previous one when it is the same kind."""
    line_no, start, end = line
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return
    last = blocks[-1] if blocks else None
    if last is not None and last.kind == BlockKind.BOILERPLATE and last.boilerplate == kind and not text[last.end:start].strip():
        last.end, last.last_line, last.raw = end, line_no, text[last.start:end]
        return
    blocks.append(Block(start, end, line_no, line_no, BlockKind.BOILERPLATE, text[start:end], boilerplate=kind))


def front_matter_of(blocks: list[Block]) -> dict[str, str]:
    """The fields of the file's front matter, when it has one."""
    from govsearch.ingest.layout import front_matter_fields

    block = next((b for b in blocks if b.boilerplate == Boilerplate.FRONT_MATTER), None)
    return front_matter_fields(block.raw) if block is not None else {}


def joined(raw: str) -> str:
    """A block's text on one line: wrapped lines joined (without a space between Chinese characters)."""
    raw = re.sub(rf"(?<=[{CJK}])[ \t]*\n[ \t]*(?=[{CJK}])", "", raw)
    return re.sub(r"\s*\n\s*", " ", raw)


def _classify(text: str, blocks: list[Block]) -> None:
    body = [b for b in blocks if b.kind == BlockKind.BODY]
    legal = structure.is_legal([_unmarked(joined(b.text)) for b in body])
    for block in body:
        line = joined(block.text)
        block.language = script_language(line)
        if (attribution := parse_attribution(line)) is not None:
            block.kind, block.attribution = BlockKind.ATTRIBUTION, attribution
        elif match := MARKDOWN_HEADING.match(line):
            block.kind, block.heading = BlockKind.HEADING, strip_emphasis(match.group(2))
        elif structure.chapter_heading(line) or CONTENTS_LABEL.match(line.strip()):
            block.kind, block.heading = BlockKind.HEADING, strip_emphasis(line)
    _join_labels(text, blocks)
    _join_broken(text, blocks)
    seen_article = False
    clause_tops = _clause_tops(blocks)
    list_items = _unnumbered_items(blocks)
    last_item: tuple[str, int] | None = None  # the number of the last list item that stayed text
    for i, block in enumerate(blocks):
        if block.kind != BlockKind.BODY or i in list_items:
            continue
        line = joined(block.text)
        previous_item, last_item = last_item, item_number(strip_emphasis(line)) or last_item
        following = next((b for b in blocks[i + 1 :] if b.kind == BlockKind.BODY), None)
        if following is None:
            continue
        after = blocks[i + 1] if i + 1 < len(blocks) else following
        if structure.label_heading(line, joined(following.text)) or (
                after.kind == BlockKind.HEADING and structure.label_heading(line, after.heading)):
            block.kind, block.heading = BlockKind.HEADING, line
            continue
        before = blocks[i - 1] if i else None
        if before is not None and before.kind == BlockKind.HEADING and structure.heading_without_title(before.heading) \
                and not TERMINAL.search(line) and len(line.split()) <= MAX_TITLE_WORDS:
            block.kind, block.heading = BlockKind.HEADING, strip_emphasis(line)  # "Chapter I" / "General Provisions"
            continue
        if before is not None and _heading_goes_on(before, line, following):
            # "PART 17" / "AUTOMATED DECISION-MAKING TECHNOLOGY" / "IN CONSEQUENTIAL DECISIONS": one title
            block.kind, block.heading = BlockKind.HEADING, strip_emphasis(line)
            block.continues = True
            continue
        if structure.article_label(line):
            seen_article = True
            continue
        if _part_heading(line, clause_tops):
            block.kind, block.heading = BlockKind.HEADING, strip_emphasis(line)  # "4 语料安全要求" above 4.1, 4.2
            continue
        # in a law, headings are numbered ones; a short line among the articles is text ("(M) WEB CACHING; OR")
        title_line = (_title_line(line, blocks, i) or _resolution_title(line)) and not (legal and seen_article)
        if (not legal and _numbered_heading(strip_emphasis(line), following, previous_item)) or title_line:
            block.kind, block.heading = BlockKind.HEADING, strip_emphasis(line)
            last_item = previous_item
    candidates = [b for b in blocks if b.kind in (BlockKind.BODY, BlockKind.HEADING)]
    kinds = boilerplate.classify([joined(b.text) for b in candidates], [b.kind == BlockKind.HEADING for b in candidates],
                                 [b.text for b in candidates])
    for block, kind in zip(candidates, kinds):
        if kind:
            block.kind, block.boilerplate, block.heading = BlockKind.BOILERPLATE, kind, ""
    _mark_contents(blocks)
    _mark_long_title(blocks)
    _mark_closing_list(blocks)


# words a title or sentence cannot end with: a paragraph ending with one goes on after a blank line
HANGING_WORD = re.compile(r"\b(?:of|and|or|the|a|an|on|in|for|to|by|with|from|at|as|concerning|relating|regarding)$", re.I)


def _join_broken(text: str, blocks: list[Block]) -> None:
    """A numbered heading that stops on a word nothing can end with ("Section 3 Special Provisions on the
    Processing of") and the line after it, past a blank line, are one heading."""
    for i in range(len(blocks) - 2, -1, -1):
        block, following = blocks[i], blocks[i + 1]
        line = joined(block.text).rstrip()
        if block.kind == following.kind == BlockKind.BODY and HANGING_WORD.search(line) and following.raw[:1].isalpha() \
                and structure.article_label(line):
            _merge_into_next(text, blocks, i)


def _heading_goes_on(before: Block, line: str, following: Block) -> bool:
    """The title of a numbered heading in capitals, wrapped onto one more line in capitals, above an article."""
    return (before.kind == BlockKind.HEADING and before.heading.isupper() and line.isupper()
            and not TERMINAL.search(line) and len(line.split()) <= MAX_TITLE_WORDS // 2
            and not structure.article_label(line) and not structure.chapter_heading(line)
            and structure.article_label(joined(following.text)) is not None)


def _unmarked(line: str) -> str:
    """A line without its markdown heading marks: "### Article 5: Prohibited Practices" numbers an article too."""
    match = MARKDOWN_HEADING.match(line)
    return strip_emphasis(match.group(2)) if match else line


def _join_labels(text: str, blocks: list[Block]) -> None:
    """An article or section number alone ("22602.", "Sec. 4.") becomes the start of the paragraph it numbers."""
    for i in range(len(blocks) - 2, -1, -1):
        block, following = blocks[i], blocks[i + 1]
        if block.kind == BlockKind.BODY and following.kind == BlockKind.BODY and structure.label_only(joined(block.text)):
            _merge_into_next(text, blocks, i)


def _merge_into_next(text: str, blocks: list[Block], i: int) -> None:
    """blocks[i] becomes the start of blocks[i + 1]."""
    block, following = blocks[i], blocks[i + 1]
    following.start, following.first_line = block.start, block.first_line
    following.raw = text[following.start:following.end]
    following.gaps = block.gaps + following.gaps
    del blocks[i]


def _mark_contents(blocks: list[Block]) -> None:
    """A table of contents: the entries under a "Contents" heading (up to the first block that is not one), or
    a run of headings with no text between them (they list the document's parts). The last heading of such a run
    (with its number, when a chapter number and its title are on separate lines) heads the text that follows and
    stays a heading."""
    label: Block | None = None  # the "Contents" heading whose entries follow
    starts = _starts(blocks) if any(b.kind == BlockKind.HEADING and CONTENTS_LABEL.match(b.heading.strip()) for b in blocks) else []
    for i, block in enumerate(blocks):
        if block.kind == BlockKind.HEADING and CONTENTS_LABEL.match(block.heading.strip()):
            label = block
            continue
        if block.kind not in (BlockKind.HEADING, BlockKind.BODY):
            continue
        if not ((block.kind == BlockKind.BODY and _contents_entries(block)) or (label and _listed_later(block, starts[i + 1 :]))):
            label = None  # the text has begun
            continue
        for entry in (block, label):
            if entry is not None:
                entry.kind, entry.boilerplate, entry.heading = BlockKind.BOILERPLATE, Boilerplate.CONTENTS, ""
    run: list[Block] = []
    for block in [*blocks, None]:
        if block is not None and block.continues:
            continue  # a further line of the heading before it: the same entry
        if block is not None and (block.kind == BlockKind.HEADING or (block.kind == BlockKind.BODY and CONTENTS_LABEL.match(joined(block.text).strip()))):
            run.append(block)
            continue
        if block is not None and block.kind == BlockKind.BOILERPLATE:
            continue
        # the run starts at a "Contents" label or the first numbered heading: the title above it is no entry
        first = next((k for k, b in enumerate(run) if _listing_heading(b)), len(run))
        run = run[first:]
        keep = 2 if len(run) >= 2 and structure.heading_without_title(run[-2].heading) else 1
        if len(run) >= MIN_CONTENTS_RUN + keep - 1:
            for member in run[:-keep]:
                member.kind, member.boilerplate, member.heading = BlockKind.BOILERPLATE, Boilerplate.CONTENTS, ""
        run = []


def _listing_heading(block: Block) -> bool:
    """A heading that can be an entry of a table of contents: the "Contents" label or a numbered heading."""
    text = block.heading or joined(block.text).strip()
    return bool(CONTENTS_LABEL.match(text) or structure.chapter_heading(text) or structure.article_label(text)
                or NUMBERED.match(text))


def _starts(blocks: list[Block]) -> list[str]:
    """How each block starts, for finding the parts an entry of contents lists."""
    return [_part_name((b.heading or joined(b.text))[:MAX_HEADING_CHARS]) for b in blocks]


def _listed_later(block: Block, later: list[str]) -> bool:
    """Each line of the block names a part that a later block starts with (as an entry of the contents lists a
    heading of the text) or has the shape of an entry; a sentence, or a line no later part starts with, is text."""
    lines = [line.strip() for line in (block.heading or block.text).split("\n") if line.strip()]
    return all(CONTENTS_ENTRY.match(line) or (not TERMINAL.search(line) and len(line) <= MAX_HEADING_CHARS
                                              and _starts_one(_part_name(CONTENTS_PAGE.sub("", line)), later)) for line in lines)


def _starts_one(entry: str, later: list[str]) -> bool:
    return bool(entry) and any(start.startswith(entry) for start in later)


def _part_name(text: str) -> str:
    """A part's name as a contents entry and the part's own heading both give it: its letters and digits, lower
    case, without the number in front, which one of them may leave out ("1. Introduction", "Introduction")."""
    return re.sub(r"[\W_]+", "", PART_NUMBER.sub("", strip_emphasis(text))).lower()


def _contents_entries(block: Block) -> bool:
    """Every line of the paragraph is a contents entry ("Chapter 3 Obligations ..... 12")."""
    lines = [line.strip() for line in block.text.split("\n") if line.strip()]
    return len(lines) >= 2 and all(CONTENTS_ENTRY.match(line) for line in lines)


def _numbered_heading(line: str, following: Block, previous_item: tuple[str, int] | None) -> bool:
    """ "6. Transparent regulation" above its paragraph, "II. Govern together." above items "3.", "4.". A list item
    is not a heading: one followed by the next item of its list, or one that follows the item before it in its
    list (the last item of a list, "3. We call for …" after "2. We recognise …", above the next heading)."""
    number = item_number(line)
    if number is None or len(line) > MAX_HEADING_CHARS or LIST_INTRO_END.search(line):
        return False  # "1. The following practices shall be prohibited:" introduces its items
    style, value = number
    if style == "bracketed" and TERMINAL.search(line):
        return False  # "(1) The Secretary of State must …": a subsection, which a heading never is
    rest = line[NUMBERED.match(line).end():]
    if len(rest) > MAX_CHINESE_HEADING if script_language(rest) == "zh" else len(rest.split()) > MAX_NUMBERED_HEADING_WORDS:
        return False  # too long to be a title: a paragraph, which must not be lost as a heading
    following_number = item_number(strip_emphasis(following.raw.strip()))
    if following_number is not None and following_number[0] == style:
        return False
    if previous_item == (style, value - 1):
        return False
    sentences = re.findall(r"[.!?](?=\s|$)|[。！？]", rest)  # Chinese: no space after
    return len(sentences) <= 1


_ITEM_NUMBERS = [  # (style, pattern of a list item's number)
    ("arabic", re.compile(r"^(\d{1,2})[.、)]\s*(?=\S)")),
    ("roman", re.compile(r"^([IVX]{1,5})[.、)]\s*(?=\S)")),
    ("bracketed", re.compile(r"^[(（](\d{1,2})[)）]")),
    ("bracketed han", re.compile(r"^[(（]([一二三四五六七八九十]{1,3})[)）]")),
    ("han", re.compile(r"^([一二三四五六七八九十]{1,3})、")),
]


def item_number(line: str) -> tuple[str, int] | None:
    """The numbering style and value of a list item ("2." → ("arabic", 2), "II." → ("roman", 2), "十、" → ("han",
    10), "（三）" → ("bracketed han", 3)), or None."""
    for style, pattern in _ITEM_NUMBERS:
        if match := pattern.match(line):
            raw = match.group(1)
            value = int(raw) if raw.isdigit() else roman_number(raw) if style == "roman" else chinese_number(raw)
            return (style, value) if value is not None else None
    return None


PART_HEADING = re.compile(r"^(\d{1,2})\s+(?=\S)(?!\d)")  # "4 Requirements", "4 语料安全要求", as standards number parts


def _clause_tops(blocks: list[Block]) -> set[str]:
    """The part numbers a text's clause numbers fall under ("4" of "4.1", "4.2.3")."""
    tops = set()
    for block in blocks:
        label = structure.article_label(joined(block.text)) if block.kind == BlockKind.BODY else None
        if label and structure.label_kind(label) == "":
            tops.add(structure.label_number(label).split(".")[0])
    return tops


def _part_heading(line: str, clause_tops: set[str]) -> bool:
    """A part's number and title ("4 Requirements", "4 语料安全要求") in a text whose clauses are numbered under it
    (4.1, 4.2 …): a heading, as national and international standards lay out their parts."""
    match = PART_HEADING.match(line)
    if not match or match.group(1) not in clause_tops or TERMINAL.search(line):
        return False
    rest = line[match.end():]
    return len(rest) <= 20 if script_language(rest) == "zh" else len(rest.split()) <= MAX_TITLE_WORDS


RESOLUTION_TITLE = re.compile(r"^\d{2,3}/\d{1,4}\.\s+[A-Z][^.;:]{10,300}$")  # "78/265. Seizing the opportunities …"


def _mark_long_title(blocks: list[Block]) -> None:
    """The text's first paragraph, when it is a line naming the instrument too long for a title line, is its title
    (a heading above the text, no passage). Decided after boilerplate is known: a UN header's agenda items name
    conventions too."""
    first = next((b for b in blocks if b.kind == BlockKind.BODY), None)
    if first is not None and _instrument_title(joined(first.text)):
        first.kind, first.heading = BlockKind.HEADING, strip_emphasis(joined(first.text))


def _mark_closing_list(blocks: list[Block]) -> None:
    """Short unnumbered lines after the text's last paragraph ("Annex: list of signatories" / "Australia" /
    "Canada" / …) are a list, not headings that head nothing (which no passage would hold)."""
    run: list[Block] = []
    for block in reversed(blocks):
        if block.kind == BlockKind.BOILERPLATE:
            continue
        line = block.heading or joined(block.text)
        if block.kind not in (BlockKind.BODY, BlockKind.HEADING) or MARKDOWN_HEADING.match(block.raw.strip()) \
                or not _list_item(line):
            break
        run.append(block)
    if len(run) > MIN_LIST_ITEMS:
        for block in run:
            block.kind, block.heading, block.item = BlockKind.BODY, "", True


def _unnumbered_items(blocks: list[Block]) -> set[int]:
    """Where a line ending in a colon is followed by several short lines ("… the following organisations have
    agreed:" / "Amazon" / "Anthropic" …), those lines are the items of its list, not titles."""
    items: set[int] = set()
    for i, block in enumerate(blocks):
        if block.kind != BlockKind.BODY or not LIST_INTRO_END.search(joined(block.text)):
            continue
        end = i + 1
        while end < len(blocks) and blocks[end].kind == BlockKind.BODY and _list_item(joined(blocks[end].text)):
            end += 1
        if end - i - 1 >= MIN_LIST_ITEMS:
            items.update(range(i + 1, end))
    return items


def _list_item(line: str) -> bool:
    """A short unnumbered line that ends no sentence: under a line ending in a colon, an item of its list."""
    return not (TERMINAL.search(line) or NUMBERED.match(line) or structure.article_label(line) or structure.chapter_heading(line)
                or len(line.split()) > MAX_TITLE_WORDS or len(line) > MAX_CHINESE_HEADING * 2)


def _instrument_title(line: str) -> bool:
    """A line that names an instrument without ending a sentence, longer than a title line may be ("Seoul Declaration
    for safe, innovative and inclusive AI by participants attending the Leaders' Session: AI Seoul Summit, 21 May
    2024"): above a text's first paragraph, its title."""
    if TERMINAL.search(line) or re.search(r"[,，、]$", line) or NUMBERED.match(line) or BULLET.match(line) or LIST_MARKER.match(line):
        return False  # a resolution's preambular paragraph ends in a comma ("Reaffirming … the Charter …,")
    if script_language(line) == "zh":
        return len(line) <= MAX_CHINESE_HEADING * 2 and names_instrument(line)
    words = line.split()
    capitalised = sum(w[0].isupper() or w[0].isdigit() for w in words)
    # a name's words are capitalised ("Seoul Declaration for safe … Leaders' Session: AI Seoul Summit, 21 May 2024");
    # a sentence that lost its full stop is not ("This Regulation lays down harmonised rules")
    return len(words) <= MAX_LONG_TITLE_WORDS and capitalised >= MIN_CAPITALISED * len(words) and names_instrument(line)


def _resolution_title(line: str) -> bool:
    """A UN resolution's number and title, however long the title."""
    return bool(RESOLUTION_TITLE.match(line))


def _title_line(line: str, blocks: list[Block], index: int) -> bool:
    """A short unpunctuated line (a title) followed by body text; a Chinese title's qualifier in brackets is part of
    it ("人工智能伦理治理原则（试行）")."""
    ending = TRAILING_QUALIFIER.sub("", line) if script_language(line) == "zh" else line
    if (TERMINAL.search(ending) or BULLET.match(line) or len(line) > 100 or TABLE_ROW.match(line) or LIST_MARKER.match(line)
            or FOOTNOTE.match(line)):
        return False
    if script_language(line) == "zh":
        return len(line) <= 40
    words = line.split()
    capitalised = sum(w[0].isupper() or w[0].isdigit() for w in words)  # "Executive Order 14110 of October 30, 2023"
    return len(words) <= MAX_TITLE_WORDS and capitalised * 2 >= len(words)


def strip_emphasis(text: str) -> str:
    return EMPHASIS.sub("", text).strip()


def content_start(raw: str) -> int:
    """Offset in raw where the content starts, after a bullet or list-number marker."""
    match = BULLET.match(raw) or NUMBERED.match(raw)
    return match.end() if match else 0
