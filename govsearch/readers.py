"""Received files → text: .txt and .md decoded by charset detection, .html reduced to its main text,
.pdf through pypdf. Anything that cannot be read raises UnreadableFile with one line saying why."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")
BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Candidates tried when charset detection is unsure between CJK codecs (short GB text is often taken
# for Big5 or Shift-JIS): the one decoding strictly with the most common CJK characters wins.
CJK_CANDIDATES = ("gb18030", "big5", "shift_jis", "euc_kr")
COMMON_CJK = re.compile(r"[\u4e00-\u9fa5\u3000-\u303f\uff00-\uffef]")


class UnreadableFile(Exception):
    """The file cannot be ingested; str() is the reason, in one line."""


@dataclass(frozen=True)
class ReadResult:
    text: str
    encoding: str
    fmt: str
    warnings: tuple[str, ...] = ()


def read_file(path: Path, max_bytes: int = 20_000_000) -> ReadResult:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFile(f"unsupported file type {suffix or '(none)'}")
    size = path.stat().st_size
    if size > max_bytes:
        raise UnreadableFile(f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit")
    if size == 0:
        raise UnreadableFile("empty file")
    data = path.read_bytes()
    if suffix == ".pdf":
        return ReadResult(_pdf_text(data), "pdf", "pdf")
    text, encoding, warnings = decode_bytes(data)
    if suffix in (".html", ".htm"):
        text = html_main_text(text)
        if not text.strip():
            raise UnreadableFile("HTML page has no main text")
        return ReadResult(text, encoding, "html", tuple(warnings))
    return ReadResult(text, encoding, suffix.lstrip("."), tuple(warnings))


def decode_bytes(data: bytes) -> tuple[str, str, list[str]]:
    if not data.strip(b" \t\r\n\x00"):
        raise UnreadableFile("empty file")
    for bom, codec in BOMS:
        if data.startswith(bom):
            return _finish(_strict(data, codec), codec.removesuffix("-sig"), [])
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _finish(_strict(data, utf16), utf16, [f"no byte-order mark; decoded as {utf16} from its zero bytes"])
    if b"\x00" in data:
        raise UnreadableFile("binary file (contains NUL bytes)")
    try:
        return _finish(data.decode("utf-8"), "utf-8", [])
    except UnicodeDecodeError:
        pass
    try:  # UTF-8 whose only fault is encoded surrogates (text exported by some Windows and Java tools)
        text = data.decode("utf-8", "surrogatepass")
        return _finish(re.sub("[\ud800-\udfff]", "\ufffd", text), "utf-8", ["invalid surrogate characters replaced"])
    except UnicodeDecodeError:
        pass
    if cjk_utf16 := _cjk_utf16(data):
        return _finish(_strict(data, cjk_utf16), cjk_utf16, [f"no byte-order mark; decoded as {cjk_utf16}"])
    codec, confidence = _detect(data)
    text = _strict(data, codec)
    return _finish(text, codec, [f"not UTF-8; decoded as {codec} (charset detection)"])


def _finish(text: str | None, encoding: str, warnings: list[str]) -> tuple[str, str, list[str]]:
    if text is None:
        raise UnreadableFile(f"not decodable as {encoding}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _control_ratio(text) > 0.05:
        raise UnreadableFile("binary file (mostly control characters)")
    if not text.strip():
        raise UnreadableFile("empty file")
    return text, encoding, warnings


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0) / len(sample[0::2])
    odd_zeros = sample[1::2].count(0) / len(sample[1::2])
    if odd_zeros > 0.3 and even_zeros < 0.05:
        return "utf-16-le"
    if even_zeros > 0.3 and odd_zeros < 0.05:
        return "utf-16-be"
    return None


def _cjk_utf16(data: bytes) -> str | None:
    """CJK text in UTF-16 has few zero bytes; tried only after UTF-8 failed (two ASCII bytes also make a
    CJK code point), and accepted when it decodes to mostly common Chinese characters and punctuation."""
    if len(data) % 2:
        return None
    for codec in ("utf-16-le", "utf-16-be"):
        text = _strict(data, codec)
        if text and len(COMMON_CJK.findall(text)) + text.count("\n") + text.count(" ") > 0.9 * len(text):
            return codec
    return None


def _detect(data: bytes) -> tuple[str, float]:
    from charset_normalizer import from_bytes

    results = from_bytes(data)
    best = results.best()
    if best is None:
        raise UnreadableFile("not decodable as text (no character set fits)")
    codec = best.encoding
    if codec.replace("_", "").lower() in {"big5", "shiftjis", "cp932", "euckr", "gb2312", "gbk", "gb18030", "cp949", "big5hkscs", "cp950"}:
        codec = _best_cjk(data, codec)
    return codec, 1.0 - best.chaos


def _best_cjk(data: bytes, detected: str) -> str:
    """Among CJK codecs that decode the bytes strictly, the one giving the most common Chinese text."""
    scored = []
    for codec in dict.fromkeys([detected, *CJK_CANDIDATES]):
        text = _strict(data, codec)
        if text:
            scored.append((len(COMMON_CJK.findall(text)) / max(1, len(text)), codec == detected, codec))
    return max(scored)[2] if scored else detected


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\t\f\v")
    return control / max(1, len(sample))


# --- HTML --------------------------------------------------------------------------------------------

DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button", "template")
CHROME = re.compile(r"(^|[-_ ])(nav|menu|breadcrumbs?|share|social|related|footer|header|sidebar|comments?|advert|ads?|cookie)([-_ ]|$)", re.I)
BLOCKS = {"p", "div", "li", "tr", "section", "article", "main", "blockquote", "pre", "table", "ul", "ol", "dd", "dt", "figcaption"}


def html_main_text(html: str) -> str:
    """The page's main text: paragraphs separated by blank lines, headings as markdown '## ...'."""
    text = _html_tree_text(html)
    fallback = _html_stripped_text(html)
    # libxml2 drops everything nested deeper than its limit: fall back to stripping tags when it lost text
    return fallback if len(fallback.split()) > 2 * len(text.split()) + 20 or (fallback and not text) else text


def _html_stripped_text(html: str) -> str:
    """Markup stripped without parsing: scripts and styles out, block tags as paragraph breaks."""
    import html as html_lib

    html = re.sub(r"(?is)<(script|style|noscript|template|svg)\b.*?(</\1\s*>|$)", " ", html)
    html = re.sub(r"(?is)<!--.*?(-->|$)", " ", html)
    html = re.sub(r"(?i)</?(p|div|li|tr|h[1-6]|br|section|article|table|ul|ol|blockquote)\b[^>]*>", "\n\n", html)
    text = html_lib.unescape(re.sub(r"<[^>]*>", " ", html))
    paragraphs = [" ".join(block.split()) for block in re.split(r"\n\s*\n", text)]
    kept = [p for p in paragraphs if p]
    return "\n\n".join(kept) + ("\n" if kept else "")


def _html_tree_text(html: str) -> str:
    import lxml.html

    try:
        # huge_tree: libxml2 otherwise stops at 256 levels of nesting and drops everything deeper
        root = lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True))
    except Exception:  # lxml's ParserError and friends on hostile markup
        return ""
    for element in list(root.iter(*DROP_TAGS)):
        _drop(element)
    for element in [e for e in root.iter() if isinstance(e.tag, str) and CHROME.search(f"{e.get('class', '')} {e.get('id', '')}")]:
        if element.getparent() is not None and element.tag not in ("html", "body", "main", "article"):
            _drop(element)
    main = next(iter(root.iter("main")), None)
    if main is None:
        main = next(iter(root.iter("article")), None)
    if main is None:
        main = root
    lines: list[str] = []
    current: list[str] = []

    def flush():
        text = " ".join("".join(current).split())
        if text:
            lines.append(text)
        current.clear()

    # iterwalk is iterative: deeply nested markup cannot exhaust the recursion limit.
    from lxml import etree

    for action, element in etree.iterwalk(main, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if action == "start":
            if tag in BLOCKS or re.fullmatch(r"h[1-6]", tag) or tag == "br":
                flush()
            if element.text and tag not in DROP_TAGS:
                current.append(element.text)
        else:
            if re.fullmatch(r"h[1-6]", tag):
                text = " ".join("".join(current).split())
                current.clear()
                if text:
                    lines.append(f"{'#' * max(2, int(tag[1]))} {text}")
            elif tag in BLOCKS:
                flush()
            if element.tail and element is not main:
                current.append(element.tail)
    flush()
    return "\n\n".join(lines) + ("\n" if lines else "")


def _drop(element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


# --- PDF ---------------------------------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    import io
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise UnreadableFile("encrypted PDF")
            except UnreadableFile:
                raise
            except Exception:
                raise UnreadableFile("encrypted PDF") from None
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except UnreadableFile:
        raise
    except Exception as error:  # pypdf raises many kinds of errors on broken files
        raise UnreadableFile(f"broken PDF: {error.__class__.__name__}: {str(error)[:100]}") from None
    text = "\n\n".join(p for p in pages if p)
    if not text.strip():
        raise UnreadableFile("PDF has no extractable text (scanned?)")
    return text.replace("\r\n", "\n") + "\n"
