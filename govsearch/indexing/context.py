"""What is indexed for a passage besides its own words: where it stands (document title and issuer, section
heading, article label). A question that names a document ("Colorado's definition of …", "加拿大《自动化决策
指令》…") or an article reaches passages whose own text never says so. Display and citations use the
passage text alone.
"""
from __future__ import annotations

from govsearch.records import Document, Passage

# Which context goes where (eval/README.md records each one's effect on both judged sets). The document's
# title in the embedding text was tried and left out: it helped the wide set a little and cost the seed set's
# dense cross-lingual retrieval much (zh→en-only hit@5 0.87 → 0.60).
EMBED_SECTION = True
EMBED_TITLE = False
LEXICAL_TITLE = True
LEXICAL_SECTION = True


def document_names(document: Document | None) -> list[str]:
    if document is None:
        return []
    return [name for name in (document.title, document.title_zh, document.issuer) if name]


def embedding_text(passage: Passage, document: Document | None = None) -> str:
    """What is embedded for a passage: its text, after its section heading (and its document's title)."""
    head = [passage.section] if EMBED_SECTION and passage.section else []
    if EMBED_TITLE and document is not None:
        head = [document.title_zh if passage.language == "zh" and document.title_zh else document.title, *head]
    return f"{' · '.join(head)}: {passage.text}" if head else passage.text


def lexical_text(passage: Passage, document: Document | None = None) -> str:
    """What BM25 indexes for a passage: its text, plus its document's names and its heading and article."""
    extra = []
    if LEXICAL_TITLE:
        extra += document_names(document)
    if LEXICAL_SECTION:
        extra += [x for x in (passage.section, passage.article) if x]
    return "\n".join([passage.text, *extra])
