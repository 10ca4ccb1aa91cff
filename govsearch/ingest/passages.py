"""One version's blocks → passages: headings become sections, long paragraphs split at sentences.

A version laid out as law (structure.py) is cut per article instead: an article's paragraphs, list items and
continuations are packed into passages under the token budget, each labelled with its article ("第四条",
"Art. 12", "Sec. 4.2"), and list markers stay in the text a reader quotes.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from govsearch.ingest import cleaning, structure, unscramble
from govsearch.ingest.segment import (
    MIN_LIST_ITEMS,
    NUMBERED,
    Block,
    content_start,
    item_number,
    joined,
    strip_emphasis,
)
from govsearch.records import BlockKind, Passage, Repair, RepairKind, Span, Version
from govsearch.text.analysis import estimate_tokens
from govsearch.text.langid import passage_language
from govsearch.text.sentences import sentence_spans

# Budget in model tokens (multilingual-e5 and MiniLM stop at 512 and 256; retrieval is sharper on
# passages of a paragraph or less), estimated from the text: ~1 token per Chinese character,
# ~1.3 per English word.
MAX_PASSAGE_TOKENS = 200
NUMBERED_PART = re.compile(r"^\d{1,2}(?:\.\d{1,3})*\.?\s+\S")  # "1 范围", "2. Scope": a part, never the title
LIST_INTRO = re.compile(r"[:：]\s*$")
MAX_LIST_ITEM_TOKENS = 32  # a list item, not a paragraph of its own (GAIGI's proposals, 55 tokens and up, are not)


@dataclass
class VersionText:
    """What building a version produced besides its passages."""

    passages: list[Passage] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    title: str = ""
    scrambled: bool = False


@dataclass
class _Piece:
    """A stretch of received text that becomes (part of) a passage."""

    start: int
    end: int
    gaps: list[Span]
    section: str
    article: str = ""


def build_passages(version: Version, blocks: list[Block], text: str, junk_tokens: set[str]) -> VersionText:
    out = VersionText()
    body_text = "\n".join(joined(b.text) for b in blocks if b.kind == BlockKind.BODY)
    out.scrambled = version.language == "zh" and unscramble.is_scrambled(body_text)
    legal = structure.is_legal([joined(b.text) for b in blocks if b.kind == BlockKind.BODY]
                               + [b.heading for b in blocks if b.kind == BlockKind.HEADING and _names_article(b.heading)])
    pieces = _legal_pieces(version, blocks, text, out) if legal else _paragraph_pieces(version, blocks, text, out)
    for piece in pieces:
        cleaned = cleaning.clean(text[piece.start:piece.end], junk_tokens, out.scrambled,
                                 [Span(g.start - piece.start, g.end - piece.start) for g in piece.gaps])
        if not cleaned.text:
            continue
        ordinal = len(out.passages) + 1
        out.passages.append(Passage(
            id=f"{version.id}.p{ordinal:03d}", document_id=version.document_id, version_id=version.id,
            source=version.source, start=piece.start, end=piece.end,
            language=passage_language(cleaned.text, version.language), role=version.role, section=piece.section,
            ordinal=ordinal, text=cleaned.text, group="", article=piece.article,
        ))
        out.repairs += [
            Repair(version.source, e.kind, piece.start + e.start, piece.start + e.end, e.before, e.after) for e in cleaned.edits
        ]
    return out


def _paragraph_pieces(version: Version, blocks: list[Block], text: str, out: VersionText) -> list[_Piece]:
    """A passage per paragraph (long ones split at sentence ends); headings open sections. A list of short items
    stays with the line that introduces it ("This may include:" + "governance", "privacy", ...)."""
    pieces: list[_Piece] = []
    section = ""
    index = 0
    while index < len(blocks):
        block = blocks[index]
        index += 1
        if block.kind == BlockKind.BOILERPLATE:
            out.repairs.append(_removed(version, block))
        elif block.kind == BlockKind.HEADING:
            # Headings above the first paragraph name the version (the last of them is its title:
            # "Annex to the letter ..." then "Global AI Governance Initiative"); later ones open sections.
            if not pieces and not NUMBERED.match(block.heading):
                out.title = block.heading
            else:
                section = block.heading
        elif block.kind == BlockKind.BODY:
            items = _short_items(blocks, index) if LIST_INTRO.search(joined(block.text)) or block.item else []
            if len(items) >= MIN_LIST_ITEMS:
                pieces += _pack(text, [block, *items], section, "")
                index += len(items)
                continue
            start = block.start + content_start(block.raw)
            label = paragraph_label(block.raw)
            pieces += [_Piece(s, e, _gaps_in(block, s, e), section, label) for s, e in _chunks(text, start, block.end, block.gaps)]
    return pieces


def paragraph_label(raw: str) -> str:
    """How a numbered paragraph is cited, its number being left out of the passage's text: "para. 3" for "3.",
    "para. VII" for "VII.", "(1)" for a recital "(1)", "（一）" as written and "第十点" for a point numbered "十、";
    else ""."""
    line = strip_emphasis(raw.strip())
    number = item_number(line)
    if number is None:
        return ""
    style, value = number
    marker = NUMBERED.match(line).group().strip()
    if style == "arabic":
        return f"para. {value}"
    if style == "roman":
        return f"para. {marker.rstrip('.、)')}"  # "VII." → "para. VII"
    if style == "bracketed":
        return f"({value})"
    return marker if style == "bracketed han" else f"第{marker.rstrip('、')}点"  # "（一）"; "十、" → "第十点"


def _short_items(blocks: list[Block], index: int) -> list[Block]:
    """The short paragraphs (list items) that follow blocks[index - 1], up to the first longer one."""
    items = []
    for block in blocks[index:]:
        if block.kind != BlockKind.BODY or estimate_tokens(joined(block.text)) > MAX_LIST_ITEM_TOKENS:
            break
        items.append(block)
    return items


def _legal_pieces(version: Version, blocks: list[Block], text: str, out: VersionText) -> list[_Piece]:
    """Passages per article: the article's blocks packed under the token budget, each labelled with it and with
    the section it stands in (_Sections)."""
    articles: list[tuple[str, str, list[Block]]] = []  # (section, label, blocks)
    sections = _Sections()
    opened = False  # a heading came after the last article: text without a label starts a part of its own
    body = [b for b in blocks if b.kind == BlockKind.BODY]
    labels = structure.in_sequence([structure.article_label(joined(b.text)) for b in body])
    label_of = {id(b): label for b, label in zip(body, labels)}
    following = _next_body_text(blocks)
    for block in blocks:
        if block.kind == BlockKind.BOILERPLATE:
            out.repairs.append(_removed(version, block))
            continue
        if block.kind == BlockKind.HEADING and (label := _heading_article(block, following[id(block)])):
            # "### Article 5: Prohibited Practices" over its paragraphs: the article starts, its heading is its title
            articles.append((sections.article(label, _heading_title(block.heading)), label, []))
            opened = False
            continue
        if block.kind == BlockKind.HEADING:
            if not articles and not sections.current and not structure.chapter_heading(block.heading) \
                    and not NUMBERED_PART.match(block.heading):
                # before the first article: the title, then front matter (addressees, subject lines), not a section
                out.title = out.title or block.heading
                continue
            sections.heading(block.heading, block.continues)
            opened = True
            continue
        if block.kind != BlockKind.BODY:
            continue
        first_line = joined(block.text)
        label = label_of[id(block)]
        if label is not None and structure.heads_sub_articles(first_line, following[id(block)]):
            # "Sec. 4.  Ensuring Safety." alone above "4.1.  Developing …": a heading, not a passage of its own
            sections.article_heading(label, structure.run_in_title(first_line))
            opened = True
            continue
        sections.text()
        if label is not None:
            title = structure.run_in_title(first_line) or structure.title_below_label(block.raw)
            articles.append((sections.article(label, title), label, []))
        elif not articles or opened or _starts_closing_list(block, articles[-1][2]):
            articles.append((sections.current, "", []))
        opened = False
        articles[-1][2].append(block)
    pieces: list[_Piece] = []
    for section, label, members in articles:
        pieces += _pack(text, members, section, label)
    return pieces


def _starts_closing_list(block: Block, members: list[Block]) -> bool:
    """The first item of the list that closes a text (its signatories): no part of the article before it."""
    return block.item and not (members and members[-1].item)


def _next_body_text(blocks: list[Block]) -> dict[int, str]:
    """For each block (by id), the text of the paragraph after it ("" for the last)."""
    found, upcoming = {}, ""
    for block in reversed(blocks):
        found[id(block)] = upcoming
        if block.kind == BlockKind.BODY:
            upcoming = joined(block.text)
    return found


def _heading_article(block: Block, following: str) -> str | None:
    """The label of an article a heading starts ("### Article 5: Prohibited Practices"), or None: a numbered heading
    over articles ("Section 1 General Rules" above "Article 13 …") groups them and starts none."""
    label = structure.article_label(block.heading)
    return label if _names_article(block.heading) and structure.article_label(following) is None else None


def _names_article(heading: str) -> bool:
    """A heading that names an article or section ("Article 5", "Sec. 3", "§ 12", "第五条"), not one that numbers a
    part of a guidance document ("10.1 Incorporating diversity")."""
    label = structure.article_label(heading)
    return label is not None and structure.label_kind(label) != ""


def _heading_title(heading: str) -> str | None:
    """"Prohibited Practices" of "Article 5: Prohibited Practices"."""
    return structure.after_label(heading).strip(" .:：-–—") or None


class _Sections:
    """The section each article of a law stands in, read as the law's layout goes:

    - a chapter or part heading opens a section ("Chapter I" then "General Provisions" on the next line: one);
    - an article that runs its title in ("Sec. 3.  Promoting …  (a) …") names its own section, which its numbered
      sub-articles without a title share ("4.2.1" under "Sec. 4.2 Strengthening AI Governance");
    - an article that is only its label and title above its sub-articles ("Sec. 4.  Ensuring Safety." then "4.1.
      …") heads them like a heading, until an article not numbered under it;
    - in an amending bill, a heading inside the text it inserts ("SEC. 2. … is added …, to read:" then "CHAPTER
      25.9" and its "22760.1." sections) ends where the bill's own numbering comes back ("SEC. 3."): the heading
      groups the articles numbered its way, not those numbered the way the articles before it were."""

    def __init__(self):
        self.current = ""
        self.chapter = ""  # what the last heading opened
        self.parts: list[str] = []  # the lines of the heading being read
        self.titled: dict[str, str] = {}  # article number → "label title", for the run-in titles met so far
        self.heading_article = ""  # the number of the article heading the current sub-articles ("4" over 4.1)
        self.last_kind: str | None = None  # how the last article was numbered ("Sec.", "§", "条", "" for 4.2.1)
        self.outside: tuple[str, str] | None = None  # (kind, section) of the articles before the current heading
        self.inside: set[str] = set()  # the kinds of the articles under the current heading

    def heading(self, heading: str, continues: bool = False) -> None:
        if self.parts and (continues or structure.heading_without_title(self.parts[-1])):
            self.parts.append(heading)  # "Chapter I" / "General Provisions": one heading
        else:
            if not self.parts:
                self._leave_articles()
            self.parts = [heading]
        self.current = self.chapter = " ".join(self.parts)
        self.titled, self.heading_article, self.inside = {}, "", set()

    def _leave_articles(self) -> None:
        """A heading after text: remember how the articles before it were numbered and where they stood (unless
        the heading before this one has no article under it yet, and so still holds what was before it)."""
        if self.last_kind is not None and (self.outside is None or self.inside):
            self.outside = (self.last_kind, self.current)

    def article_heading(self, label: str, title: str) -> None:
        self.current = " · ".join(x for x in (self.chapter, f"{label} {title}") if x)
        self.titled, self.heading_article = {}, structure.label_number(label)

    def text(self) -> None:
        self.parts = []

    def article(self, label: str, title: str | None) -> str:
        number, kind = structure.label_number(label), structure.label_kind(label)
        if self.heading_article and not number.startswith(self.heading_article + "."):
            self.current, self.heading_article = self.chapter, ""  # "Sec. 5" after the sub-articles of "Sec. 4"
        if self.outside is not None and kind == self.outside[0] and self.inside and kind not in self.inside:
            # the bill's "SEC. 3." after the "22760.1." sections of the chapter it inserted
            self.current = self.chapter = self.outside[1]
            self.titled, self.outside, self.inside = {}, None, set()
        elif self.outside is not None:
            self.inside.add(kind)
        self.last_kind = kind
        if title:
            self.titled[number] = f"{label} {title}"
        return _titled_section(self.current, self.titled, label)


def _titled_section(heading: str, titled: dict[str, str], label: str) -> str:
    """The section of the article labelled label: its own run-in title or that of the nearest titled article it
    is numbered under ("4.2.1" under "Sec. 4.2 Strengthening AI Governance"), after the heading above, if any."""
    number = structure.label_number(label)
    while number and number not in titled:
        number = number.rpartition(".")[0]
    own = titled.get(number, "")
    return " · ".join(x for x in (heading, own) if x)


def _pack(text: str, members: list[Block], section: str, label: str) -> list[_Piece]:
    """An article's blocks as few passages as the budget allows, cut between blocks, or inside a block that is
    over the budget on its own."""
    spans: list[tuple[int, int]] = []
    for block in members:
        spans += _chunks(text, block.start, block.end, block.gaps)
    pieces: list[_Piece] = []
    # what stands between an article's blocks (web chrome, a page's foot) is left out of its text
    between = [_inner(text, a.end, b.start) for a, b in zip(members, members[1:]) if text[a.end:b.start].strip()]
    gaps = sorted([g for b in members for g in b.gaps] + between, key=lambda g: g.start)
    current_start = current_end = None
    size = 0
    for start, end in spans:
        tokens = estimate_tokens(text[start:end])
        if current_start is not None and size + tokens > MAX_PASSAGE_TOKENS:
            pieces.append(_Piece(current_start, current_end, _gaps_between(gaps, current_start, current_end), section, label))
            current_start, size = None, 0
        if current_start is None:
            current_start = start
        current_end, size = end, size + tokens
    if current_start is not None:
        pieces.append(_Piece(current_start, current_end, _gaps_between(gaps, current_start, current_end), section, label))
    return pieces


def _inner(text: str, start: int, end: int) -> Span:
    """The span without the whitespace at its ends, which keeps the words on either side apart."""
    piece = text[start:end]
    return Span(start + len(piece) - len(piece.lstrip()), end - len(piece) + len(piece.rstrip()))


def _removed(version: Version, block: Block) -> Repair:
    return Repair(version.source, RepairKind.removed(block.boilerplate), block.start, block.end, block.raw, "")


def _gaps_in(block: Block, start: int, end: int) -> list[Span]:
    return _gaps_between(block.gaps, start, end)


def _gaps_between(gaps: list[Span], start: int, end: int) -> list[Span]:
    return [Span(max(g.start, start), min(g.end, end)) for g in gaps if g.start < end and g.end > start]


def _chunks(text: str, start: int, end: int, gaps: list[Span] = ()) -> list[tuple[int, int]]:
    """The block [start, end) as one span, or split at sentence ends into balanced spans under budget."""
    while start < end and text[start].isspace():
        start += 1
    total = estimate_tokens(_without(text, start, end, gaps))
    if total <= MAX_PASSAGE_TOKENS:
        return [(start, end)] if start < end else []
    sentences = [(start + s, start + e) for s, e in sentence_spans(text[start:end])]
    target = total / math.ceil(total / MAX_PASSAGE_TOKENS)
    chunks, chunk_start, size = [], sentences[0][0], 0
    previous_end = chunk_start
    for s, e in sentences:
        tokens = estimate_tokens(text[s:e])
        if size and size + tokens > target * 1.15:
            chunks.append((chunk_start, previous_end))
            chunk_start, size = s, 0
        size += tokens
        previous_end = e
    chunks.append((chunk_start, previous_end))
    return chunks


def _without(text: str, start: int, end: int, gaps) -> str:
    if not gaps:
        return text[start:end]
    pieces, position = [], start
    for gap in sorted(gaps, key=lambda g: g.start):
        if gap.end <= start or gap.start >= end:
            continue
        pieces.append(text[position:max(position, gap.start)])
        position = max(position, gap.end)
    pieces.append(text[position:end])
    return "".join(pieces)
