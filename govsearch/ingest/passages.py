"""One version's blocks → passages: headings become sections, long paragraphs split at sentences."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from govsearch.ingest import cleaning
from govsearch.ingest import unscramble
from govsearch.text.langid import detect_language
from govsearch.records import BlockKind, Passage, Repair, RepairKind, Version
from govsearch.text.sentences import sentence_spans
from govsearch.text.unicode_scripts import CJK_CHAR
from govsearch.ingest.segment import NUMBERED, Block, content_start, joined

# Budget in model tokens (multilingual-e5 and MiniLM stop at 512 and 256; retrieval is sharper on
# passages of a paragraph or less), estimated from the text: ~1 token per Chinese character,
# ~1.3 per English word.
MAX_PASSAGE_TOKENS = 200


def estimate_tokens(text: str) -> int:
    cjk = len(CJK_CHAR.findall(text))
    words = len(re.findall(r"[A-Za-z0-9\u00c0-\u024f]+", text))
    return cjk + math.ceil(words * 1.3)


@dataclass
class VersionText:
    """What building a version produced besides its passages."""

    passages: list[Passage] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    title: str = ""
    scrambled: bool = False


def build_passages(version: Version, blocks: list[Block], text: str, junk_tokens: set[str]) -> VersionText:
    out = VersionText()
    body_text = "\n".join(joined(b.raw) for b in blocks if b.kind == BlockKind.BODY)
    out.scrambled = version.language == "zh" and unscramble.is_scrambled(body_text)
    section = ""
    for block in blocks:
        if block.kind == BlockKind.BOILERPLATE:
            out.repairs.append(Repair(version.source, RepairKind.removed(block.boilerplate), block.start, block.end, block.raw, ""))
        elif block.kind == BlockKind.HEADING:
            # Headings above the first paragraph name the version (the last of them is its title:
            # "Annex to the letter ..." then "Global AI Governance Initiative"); later ones open sections.
            if not out.passages and not NUMBERED.match(block.raw.strip()):
                out.title = block.heading
            else:
                section = block.heading
        elif block.kind == BlockKind.BODY:
            for start, end in _chunks(text, block.start + content_start(block.raw), block.end):
                cleaned = cleaning.clean(text[start:end], junk_tokens, out.scrambled)
                if not cleaned.text:
                    continue
                ordinal = len(out.passages) + 1
                out.passages.append(Passage(
                    id=f"{version.id}.p{ordinal:03d}", document_id=version.document_id, version_id=version.id,
                    source=version.source, start=start, end=end, language=detect_language(cleaned.text),
                    role=version.role, section=section, ordinal=ordinal, text=cleaned.text,
                ))
                out.repairs += [
                    Repair(version.source, e.kind, start + e.start, start + e.end, e.before, e.after) for e in cleaned.edits
                ]
    return out


def _chunks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The block [start, end) as one span, or split at sentence ends into balanced spans under budget."""
    while start < end and text[start].isspace():
        start += 1
    total = estimate_tokens(text[start:end])
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
