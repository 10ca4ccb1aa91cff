"""A PDF → the text of its pages (pypdf), with warnings for pages that have none."""
from __future__ import annotations

import io
import logging
import re
import warnings as pywarnings

from govsearch.ingest.decoding import UnreadableFile, one_line


def pdf_text(data: bytes) -> tuple[str, list[str]]:
    """The text of each page, pages separated by a blank line; (text, warnings)."""
    if b"%PDF-" not in data[:1024]:
        raise UnreadableFile("broken PDF: no %PDF header (not a PDF file)")
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # pypdf logs every repair it makes; the warnings below say what matters
    try:
        with pywarnings.catch_warnings():
            pywarnings.simplefilter("ignore")
            return _pdf_pages(data)
    except UnreadableFile:
        raise
    except Exception as error:  # pypdf raises many kinds of errors on broken files
        raise UnreadableFile(f"broken PDF: {one_line(error)}") from None
    finally:
        logger.setLevel(level)


def _pdf_pages(data: bytes) -> tuple[str, list[str]]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except DependencyError:
            raise UnreadableFile("encrypted PDF (AES; opening it even without a password needs the cryptography package)") from None
        except Exception:
            raise UnreadableFile("encrypted PDF") from None
        if not opened:
            raise UnreadableFile("encrypted PDF")
    pages, empty, failed, first_error = [], [], [], None
    for number, page in enumerate(reader.pages, start=1):
        try:
            text = page.extract_text() or ""
        except Exception as error:
            failed.append(number)
            first_error = first_error or error
            continue
        text = CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
        text = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
        if text.strip():
            pages.append(text)
        else:
            empty.append(number)
    total = len(empty) + len(failed) + len(pages)
    if not pages:
        if failed:
            raise UnreadableFile(f"broken PDF: {one_line(first_error)}")
        raise UnreadableFile("PDF has no extractable text (scanned?)")
    warnings = []
    if failed:
        warnings.append(f"text extraction failed on {_pages(failed)} of {total} ({one_line(first_error)})")
    if empty:
        warnings.append(f"no extractable text on {_pages(empty)} of {total} (scanned?)")
    return "\n\n".join(pages) + "\n", warnings


CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _pages(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:10])) + (", ..." if len(numbers) > 10 else "")
    return f"page{'s' if len(numbers) > 1 else ''} {shown}"
