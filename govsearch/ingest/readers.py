"""Received files → text.

.txt and .md are decoded (decoding.py) and otherwise left exactly as received, except that line endings become
"\\n": character offsets into the text are citations into the received file. .html/.htm are decoded the same
way and reduced to their main text (html_text.py), with headings as markdown "## ..." lines; .pdf goes through
pypdf page by page (pdf_text.py); .docx is unpacked to its paragraphs, headings and tables (docx_text.py). Anything that cannot be read raises UnreadableFile, whose str() is one line
saying why; no other exception escapes for bad content.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from govsearch.ingest.decoding import UnreadableFile, declared_charset, decode_bytes
from govsearch.ingest.docx_text import docx_text
from govsearch.ingest.html_text import html_main_text
from govsearch.ingest.pdf_text import pdf_text

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")


@dataclass(frozen=True)
class ReadResult:
    text: str  # decoded text, line endings "\n"; for .txt/.md otherwise exactly the file's characters (a BOM is not one)
    # the Python codec that decodes the file's bytes to `text` (before line endings are normalised): "utf-8",
    # "utf-8-sig" (UTF-8 with BOM), "utf-16"/"utf-32" (with BOM), "utf-16-le"/"utf-16-be" (without), "gb18030",
    # "big5", "cp1252", ...; "pdf" for PDFs, "docx" for Word documents
    encoding: str
    fmt: str  # "txt" | "md" | "html" | "pdf" | "docx"
    warnings: tuple[str, ...] = ()


def read_file(path: Path, max_bytes: int = 20_000_000) -> ReadResult:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFile(f"unsupported file type {suffix or '(no suffix)'}")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise UnreadableFile(f"file is {_size(size)}, over the {_size(max_bytes)} limit")
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableFile(f"cannot read the file ({error.strerror or error.__class__.__name__})") from None
    if len(data) > max_bytes:  # grew since stat()
        raise UnreadableFile(f"file is {_size(len(data))}, over the {_size(max_bytes)} limit")
    if not data:
        raise UnreadableFile("empty file")
    if suffix == ".pdf":
        text, warnings = pdf_text(data)
        return ReadResult(text, "pdf", "pdf", tuple(warnings))
    if suffix == ".docx":
        return ReadResult(docx_text(data), "docx", "docx")
    if suffix in (".html", ".htm"):
        text, encoding, warnings = decode_bytes(data, declared=declared_charset(data))
        text = html_main_text(text)
        if not text.strip():
            raise UnreadableFile("HTML page has no main text")
        return ReadResult(text, encoding, "html", tuple(warnings))
    text, encoding, warnings = decode_bytes(data)
    return ReadResult(text, encoding, suffix[1:], tuple(warnings))


def _size(n: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"
