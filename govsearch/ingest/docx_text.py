"""A Word document (.docx) → its text: a paragraph per line with a blank line between, headings as markdown
"## …" lines (as html_text.py writes an HTML page's), table cells as "| … |" rows. Read with the standard
library (a .docx is a zip of XML parts); the main part is refused when it is over MAX_XML_BYTES unpacked or
declares a DOCTYPE (which Word never writes, and which entity-expansion attacks need)."""
from __future__ import annotations

import io
import re
import zipfile
import xml.etree.ElementTree as ElementTree

from govsearch.ingest.decoding import UnreadableFile, one_line

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAIN_PART = "word/document.xml"
STYLES_PART = "word/styles.xml"
MAX_XML_BYTES = 50_000_000
HEADING_STYLE = re.compile(r"^(?:heading|title|标题|標題)\s*(\d?)$", re.IGNORECASE)


def docx_text(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            if MAIN_PART not in package.namelist():
                raise UnreadableFile("not a Word document: no word/document.xml")
            root = _xml_part(package, MAIN_PART)
            styles = _heading_styles(_xml_part(package, STYLES_PART) if STYLES_PART in package.namelist() else None)
    except UnreadableFile:
        raise
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, ElementTree.ParseError) as error:
        raise UnreadableFile(f"broken Word document: {one_line(error)}") from None
    body = root.find(f"{W}body")
    if body is None:
        raise UnreadableFile("broken Word document: no body")
    lines = [line for element in body for line in _element_lines(element, styles)]
    return "\n\n".join(line for line in lines if line.strip()) + "\n"


def _xml_part(package: zipfile.ZipFile, name: str) -> ElementTree.Element:
    """A part of the package, parsed, once its unpacked size and its prologue are checked."""
    info = package.getinfo(name)
    if info.file_size > MAX_XML_BYTES:
        raise UnreadableFile(f"Word document's {name} is {info.file_size:,} bytes unpacked, over the limit")
    xml = package.read(info)
    if b"<!DOCTYPE" in xml[:4096].upper():
        raise UnreadableFile(f"Word document's {name} declares a DOCTYPE (refused: Word never writes one)")
    return ElementTree.fromstring(xml)


def _heading_styles(root: ElementTree.Element | None) -> dict[str, int]:
    """Style id → heading level, from the styles part's names ("heading 1", "Title", "标题 2")."""
    if root is None:
        return {}
    levels = {}
    for style in root.iter(f"{W}style"):
        name = style.find(f"{W}name")
        found = HEADING_STYLE.match(name.get(f"{W}val", "")) if name is not None else None
        if found:
            levels[style.get(f"{W}styleId", "")] = int(found.group(1) or 1)
    return levels


def _element_lines(element: ElementTree.Element, styles: dict[str, int]) -> list[str]:
    if element.tag == f"{W}p":
        return [_paragraph_line(element, styles)]
    if element.tag == f"{W}sdt":  # a content control: its paragraphs are the document's
        content = element.find(f"{W}sdtContent")
        return [line for child in (content if content is not None else []) for line in _element_lines(child, styles)]
    if element.tag == f"{W}tbl":
        return ["\n".join("| " + " | ".join(_cell_text(cell) for cell in row.iter(f"{W}tc")) + " |"
                          for row in element.iter(f"{W}tr"))]
    return []


def _paragraph_line(paragraph: ElementTree.Element, styles: dict[str, int]) -> str:
    text = _text(paragraph)
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    level = styles.get(style.get(f"{W}val", ""), 0) if style is not None else 0
    return f"{'#' * min(level + 1, 6)} {text}" if level and text.strip() else text


def _cell_text(cell: ElementTree.Element) -> str:
    return " ".join(_text(p) for p in cell.iter(f"{W}p")).replace("|", "/").strip()


def _text(paragraph: ElementTree.Element) -> str:
    """A paragraph's runs: text, tabs and breaks as spaces."""
    pieces = []
    for node in paragraph.iter():
        if node.tag == f"{W}t" and node.text:
            pieces.append(node.text)
        elif node.tag in (f"{W}tab", f"{W}br", f"{W}cr"):
            pieces.append(" ")
    return " ".join("".join(pieces).split())
