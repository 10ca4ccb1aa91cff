"""The corpus folder → documents and passages, with everything cleaning did and every file skipped."""
from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from govsearch.data import tables_digest
from govsearch.ingest import linking, pairing, structure
from govsearch.ingest.attribution import Attribution
from govsearch.ingest.catalog import CATALOG_NAME, Catalog, DocumentEntry, load_catalog
from govsearch.ingest.decoding import UnreadableFile
from govsearch.ingest.junk import find_junk_tokens
from govsearch.ingest.metadata import Guess, guess_metadata
from govsearch.ingest.passages import build_passages
from govsearch.ingest.readers import SUPPORTED_SUFFIXES, read_file
from govsearch.ingest.segment import MARKDOWN_HEADING, NUMBERED, Block, front_matter_of, joined, split_blocks
from govsearch.records import BlockKind, Document, Passage, Repair, Role, Span, Version
from govsearch.text.instruments import names_instrument
from govsearch.text.langid import detect_language

log = logging.getLogger("govsearch")

ANNEX_OR_LETTER = re.compile(r"\b(annex|letter)\b|附件|信函", re.IGNORECASE)
# Bump when cleaning, segmentation or text analysis (tokens, stop words) changes what is indexed from the same files.
PIPELINE_VERSION = "37"


@dataclass(frozen=True)
class SkippedFile:
    source: str
    reason: str


@dataclass
class ReceivedFile:
    path: Path
    source: str
    text: str
    encoding: str
    blocks: list[Block]
    junk_tokens: set[str]
    front_matter: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class GuessedDocument:
    """A document the catalog does not describe, and what was guessed about it from its text."""

    document_id: str
    source: str
    guess: Guess
    attribution: Attribution


@dataclass
class Corpus:
    documents: list[Document] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # source → decoded received text
    guessed: list[GuessedDocument] = field(default_factory=list)
    fingerprint: str = ""

    def document(self, document_id: str) -> Document:
        return next(d for d in self.documents if d.id == document_id)


def source_name(path: Path) -> str:
    """The path as citations show it: relative to the working directory (the project root) if inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def corpus_files(corpus_dir: Path, catalog: Catalog | None = None) -> list[Path]:
    """The files of the corpus folder: not the catalog, not hidden, not those the catalog says to ignore."""
    catalog = catalog or load_catalog(corpus_dir)
    return sorted(
        p for p in corpus_dir.rglob("*")
        if p.is_file() and p.name != CATALOG_NAME and not any(part.startswith(".") for part in p.relative_to(corpus_dir).parts)
        and not catalog.ignores(p.relative_to(corpus_dir).as_posix())
    )


def load_corpus(corpus_dir: Path) -> Corpus:
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"corpus folder {corpus_dir} does not exist")
    corpus = Corpus()
    catalog = load_catalog(corpus_dir)
    received = _read_all(corpus_dir, catalog, corpus)
    by_name = {f.path.relative_to(corpus_dir).as_posix(): f for f in received}
    for entry in catalog.documents:
        _add_catalogued(entry, by_name, corpus)
    for name, file in by_name.items():
        covered = {
            b.first_line for d in catalog.documents for v in d.versions if v.file == name for b in _blocks_in(file, v.lines)
        }
        rest = [b for b in file.blocks if b.first_line not in covered]
        if any(b.kind == BlockKind.BODY for b in rest):
            if covered:
                corpus.warnings.append(f"{file.source}: lines outside every catalogued version hold text; ingested as uncatalogued")
            else:
                corpus.warnings.append(f"{file.source}: not in the catalog; ingested with metadata found in the text")
            _add_uncatalogued(file, rest, corpus)
    listed = {v.file for d in catalog.documents for v in d.versions}
    corpus.warnings += [f"catalog names {name}, which is not in {corpus_dir}" for name in sorted(listed - set(by_name) - {s.source.split('/')[-1] for s in corpus.skipped})]
    _drop_empty(corpus)
    _join_translations(corpus, {f.source: f for f in received})
    linking.assign_groups(corpus.documents, corpus.passages)
    corpus.fingerprint = corpus_fingerprint(corpus_dir)
    return corpus


def _read_all(corpus_dir: Path, catalog: Catalog, corpus: Corpus) -> list[ReceivedFile]:
    received = []
    for path in corpus_files(corpus_dir, catalog):
        source = source_name(path)
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            corpus.skipped.append(SkippedFile(source, f"unsupported file type {path.suffix or '(none)'}"))
            continue
        try:
            result = read_file(path)
        except UnreadableFile as error:
            corpus.skipped.append(SkippedFile(source, str(error)))
            continue
        corpus.warnings += [f"{source}: {w}" for w in result.warnings]
        corpus.texts[source] = result.text
        blocks = split_blocks(result.text)
        received.append(ReceivedFile(path, source, result.text, result.encoding, blocks, find_junk_tokens(result.text),
                                     front_matter_of(blocks)))
    return received


def _blocks_in(file: ReceivedFile, ranges) -> list[Block]:
    return [b for b in file.blocks if any(first <= b.first_line and (last is None or b.first_line <= last) for first, last in ranges)]


def _add_catalogued(entry: DocumentEntry, files: dict[str, ReceivedFile], corpus: Corpus) -> None:
    document = Document(entry.id, entry.title, entry.issuer, entry.date, entry.kind, entry.title_zh)
    for version_entry in entry.versions:
        file = files.get(version_entry.file)
        if file is None:
            continue
        _add_version(document, file, _blocks_in(file, version_entry.lines), version_entry.language, version_entry.role, corpus)
    corpus.documents.append(document)


def _add_version(document: Document, file: ReceivedFile, blocks: list[Block], language: str, role: Role, corpus: Corpus) -> Version:
    base = f"{document.id}.{role.code}.{language}"
    taken = {v.id for v in document.versions}
    version_id = base if base not in taken else next(f"{base}{n}" for n in range(2, 999) if f"{base}{n}" not in taken)
    version = Version(version_id, document.id, file.source, language, role, _spans(blocks))
    built = build_passages(version, blocks, file.text, file.junk_tokens)
    version.title = built.title
    document.versions.append(version)
    corpus.passages += built.passages
    corpus.repairs += built.repairs
    return version


def _spans(blocks: list[Block]) -> list[Span]:
    spans: list[Span] = []
    for block in blocks:
        if spans and block.start - spans[-1].end < 8 and not block.raw.strip() == "":
            spans[-1] = Span(spans[-1].start, block.end)
        else:
            spans.append(Span(block.start, block.end))
    return spans


# --- files the catalog does not describe -------------------------------------------------------------


@dataclass
class _Part:
    blocks: list[Block] = field(default_factory=list)
    attribution: Attribution = field(default_factory=Attribution)

    @property
    def has_body(self) -> bool:
        return any(b.kind == BlockKind.BODY for b in self.blocks)

    @property
    def language(self) -> str | None:
        languages = Counter(b.language for b in self.blocks if b.kind == BlockKind.BODY)
        return languages.most_common(1)[0][0] if languages else None


def partition(blocks: list[Block]) -> list[_Part]:
    """Split a file into the documents it seems to hold: an attribution line closes an excerpt, a top-level
    markdown heading after text opens a new part (not a chapter heading of a law), and so does a change of
    language."""
    top = min((_markdown_level(b) for b in blocks if b.kind == BlockKind.HEADING and _markdown_level(b)), default=0)
    parts = [_Part()]
    for block in blocks:
        part = parts[-1]
        last = part.blocks[-1] if part.blocks else None
        closed = last is not None and last.kind == BlockKind.ATTRIBUTION and block.kind != BlockKind.ATTRIBUTION
        new_heading = (block.kind == BlockKind.HEADING and part.has_body and top and _markdown_level(block) == top
                       and _opens_document(block.heading))
        new_language = block.kind == BlockKind.BODY and part.has_body and block.language not in (None, part.language)
        if closed or new_heading:
            parts.append(_Part())
        elif new_language:
            trailing = _trailing_headings(part)
            del part.blocks[len(part.blocks) - len(trailing):]
            parts.append(_Part(trailing))
        parts[-1].blocks.append(block)
        if block.kind == BlockKind.ATTRIBUTION:
            parts[-1].attribution = parts[-1].attribution.merge(block.attribution)
    return [p for p in parts if p.has_body]


def _opens_document(heading: str) -> bool:
    """A heading that can start another document in the same file: it names one ("Annex to the letter ...",
    "Joint Statement on ..."); a numbered heading or a chapter of a law does not."""
    return (names_instrument(heading) or bool(ANNEX_OR_LETTER.search(heading))) and not (
        structure.chapter_heading(heading) or structure.article_label(heading) or NUMBERED.match(heading))


def _markdown_level(block: Block) -> int:
    match = MARKDOWN_HEADING.match(block.raw.strip())
    return len(match.group(1)) if match else 0


def _trailing_headings(part: _Part) -> list[Block]:
    trailing: list[Block] = []
    for block in reversed(part.blocks):
        if block.kind == BlockKind.BODY:
            break
        trailing.insert(0, block)
    return trailing


def _add_uncatalogued(file: ReceivedFile, blocks: list[Block], corpus: Corpus) -> None:
    parts = partition(blocks)
    for number, part in enumerate(parts, start=1):
        attribution = part.attribution
        guess = guess_metadata(part.blocks, file.front_matter if number == 1 else {})
        stem = file.path.stem
        fallback = stem if len(parts) == 1 else f"{stem} (part {number})"
        title_zh = attribution.title_zh or guess.title_zh
        title = attribution.title or guess.title or title_zh or fallback
        body = "\n".join(joined(b.text) for b in part.blocks if b.kind == BlockKind.BODY)
        language = detect_language(body)
        existing = next((d for d in corpus.documents if not d.catalogued and _same_title(d, title)), None)
        document = existing or Document(
            id=_unique_id(slug(title) or slug(stem) or "document", corpus),
            title=title, issuer=attribution.issuer or guess.issuer, date=attribution.date or guess.date,
            kind="excerpt" if attribution.title or attribution.title_zh else "document",
            title_zh=title_zh, catalogued=False,
        )
        if existing is None:
            corpus.documents.append(document)
            corpus.guessed.append(GuessedDocument(document.id, file.source, guess, attribution))
        same = next((v for v in document.versions if v.source == file.source and v.language == language), None)
        if same is not None:
            _extend_version(document, same, file, part.blocks, corpus)
        else:
            _add_version(document, file, part.blocks, language, Role.EXCERPT if attribution.title else Role.ORIGINAL, corpus)


def _join_translations(corpus: Corpus, files: dict[str, ReceivedFile]) -> None:
    """An uncatalogued Chinese document and an uncatalogued English one that are one text (pairing.py) become one
    document with both as original versions (which is the translation the text does not say): the English
    document keeps its id and takes the Chinese title as its title_zh."""
    for pair in pairing.translation_pairs(corpus.documents, corpus.passages):
        english, chinese = pair.english, pair.chinese
        [version] = chinese.versions
        file = files[version.source]
        blocks = _blocks_of(version, file)
        corpus.passages = [p for p in corpus.passages if p.version_id != version.id]
        corpus.repairs = [r for r in corpus.repairs if not (r.source == version.source and any(s.start <= r.start < s.end for s in version.spans))]
        corpus.documents.remove(chinese)
        corpus.guessed = [g for g in corpus.guessed if g.document_id != chinese.id]
        english.title_zh = english.title_zh or chinese.title_zh or chinese.title
        english.issuer, english.date = english.issuer or chinese.issuer, english.date or chinese.date
        _add_version(english, file, blocks, version.language, version.role, corpus)
        corpus.warnings.append(f"{version.source}: read as the Chinese version of {english.id} ({pair.aligned_share:.0%} of "
                               f"their passages align); give it a catalog entry of its own if it is another document")


def _extend_version(document: Document, version: Version, file: ReceivedFile, blocks: list[Block], corpus: Corpus) -> None:
    """Another excerpt of a document already seen in this file: rebuild its version over all its blocks."""
    old = [p for p in corpus.passages if p.version_id == version.id]
    corpus.passages = [p for p in corpus.passages if p.version_id != version.id]
    corpus.repairs = [r for r in corpus.repairs if not any(p.start <= r.start < p.end for p in old)]
    all_blocks = sorted({b.first_line: b for b in _blocks_of(version, file) + blocks}.values(), key=lambda b: b.first_line)
    document.versions.remove(version)
    _add_version(document, file, all_blocks, version.language, version.role, corpus)


def _blocks_of(version: Version, file: ReceivedFile) -> list[Block]:
    return [b for b in file.blocks if any(s.start <= b.start < s.end for s in version.spans)]


def _same_title(document: Document, title: str) -> bool:
    key = slug(title) or title
    return key in (slug(document.title) or document.title, slug(document.title_zh) or document.title_zh)


def slug(text: str, limit: int = 60) -> str:
    """Lower-case words joined by dashes, cut at a word boundary within `limit` characters."""
    out = ""
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        if out and len(out) + 1 + len(word) > limit:
            break
        out = f"{out}-{word}" if out else word[:limit]
    return out


def _unique_id(base: str, corpus: Corpus) -> str:
    taken = {d.id for d in corpus.documents}
    return base if base not in taken else next(f"{base}-{n}" for n in range(2, 10_000) if f"{base}-{n}" not in taken)


def _drop_empty(corpus: Corpus) -> None:
    counts = Counter(p.version_id for p in corpus.passages)
    for document in corpus.documents:
        for version in [v for v in document.versions if not counts[v.id]]:
            corpus.warnings.append(f"{version.source}: version {version.id} has no text after cleaning; left out")
            document.versions.remove(version)
    for document in [d for d in corpus.documents if not d.versions]:
        corpus.warnings.append(f"document {document.id} has no text in the corpus; left out")
        corpus.documents.remove(document)
    kept = {v.source for d in corpus.documents for v in d.versions}
    for source in [s for s in corpus.texts if s not in kept]:
        corpus.skipped.append(SkippedFile(source, "no text left after removing boilerplate"))


def guess_file(path: Path) -> tuple[Guess, str]:
    """What the text of one file says about the (first) document it holds, and its language, as the corpus
    would guess them if the catalog did not describe the file. Raises UnreadableFile."""
    result = read_file(path)
    blocks = split_blocks(result.text)
    parts = partition(blocks)
    if not parts:
        raise UnreadableFile("no text left after removing boilerplate")
    body = "\n".join(joined(b.text) for b in parts[0].blocks if b.kind == BlockKind.BODY)
    return guess_metadata(parts[0].blocks, front_matter_of(blocks)), detect_language(body)


def corpus_fingerprint(corpus_dir: Path) -> str:
    """A hash of the catalog, every file's name and bytes, the pipeline version and the bundled tables the
    index depends on (glossary, abbreviations, unscrambling): cheap to compute, so the app can tell whether
    the index was built from the corpus as it is now, by the pipeline as it is now."""
    digest = hashlib.sha256(PIPELINE_VERSION.encode())
    digest.update(tables_digest())
    catalog = corpus_dir / CATALOG_NAME
    for path in ([catalog] if catalog.exists() else []) + corpus_files(corpus_dir, load_catalog(corpus_dir)):
        digest.update(path.relative_to(corpus_dir).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]
