"""An HTML page → its main text, one paragraph per block element, headings as markdown lines."""
from __future__ import annotations

import re

from govsearch.ingest.decoding import UnreadableFile, one_line
from govsearch.text.unicode_scripts import CJK, CJK_PUNCTUATION

DROP_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "math", "button", "select", "template", "head", "title", "canvas", "object", "embed", "audio", "video", "map", "dialog"}
CHROME_WORDS = r"nav|navbar|navigation|menu|menubar|submenu|breadcrumbs?|crumbs?|share|sharing|social|related|sidebar|cookies?|advert|ads|pagination|pager|skip|toolbar|footer"
CHROME_TOKEN = re.compile(rf"^(?:{CHROME_WORDS})(?:[-_].*)?$|^.*[-_](?:{CHROME_WORDS})$", re.IGNORECASE)
HEADER_TOKEN = re.compile(r"^(?:header|masthead|banner)(?:[-_].*)?$|^.*[-_](?:header|masthead|banner)$", re.IGNORECASE)
CHROME_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"}
BLOCK_TAGS = {
    "html", "body", "main", "article", "section", "div", "p", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody",
    "tfoot", "tr", "caption", "blockquote", "pre", "figure", "figcaption", "address", "details", "summary", "hr", "center",
    "fieldset", "legend", "h1", "h2", "h3", "h4", "h5", "h6",
}
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
LINK_LIST_TAGS = {"ul", "ol", "div", "section", "table", "tbody", "td", "p", "span", "dl"}
MIN_LINKS = 3
LINK_DENSITY = 0.8
MAX_LINK_LIST_CHARS = 5000
CELLS = {"td", "th"}
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
CJK_CHARS = CJK + CJK_PUNCTUATION
CJK_BREAK = re.compile(rf"(?<=[{CJK_CHARS}])[ \t]*\n\s*(?=[{CJK_CHARS}])")
_BR = None  # a line break among the collected text pieces


# Hand-written rather than a library: trafilatura 2.3.1 and readability-lxml 0.8.4.1 were tried on the wide
# corpus's HTML pages (eval/README.md): both lose the heading levels that become passage sections, readability
# kept 6k of the Canadian directive's 23k characters and 0.6k of the GOV.UK page's 3.9k, and trafilatura gave
# the Taiwanese page's navigation instead of its ten points, and nothing for a saved page without <html>.
def html_main_text(html: str) -> str:
    """The page's main text: one paragraph per block element, separated by blank lines, headings as
    markdown ("## Heading" for <h2>). Navigation, scripts, forms, headers, footers and elements whose
    class or id name a menu, breadcrumbs, sharing or related links are left out; <main> (or a single
    <article>) is preferred to the whole body. Traversal is iterative, so deep nesting cannot hit
    Python's recursion limit, and markup nested deeper than libxml2's parser accepts is flattened first."""
    import lxml.html
    from lxml import etree

    html = XML_DECLARATION.sub("", html, count=1)  # lxml refuses str input that declares an encoding
    if not html.strip():
        return ""
    parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
        if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
            # libxml2 stops at 2,048 levels of nesting (even with huge_tree) and drops the rest of the
            # page: parse again with the tags nested deeper than MAX_DEPTH removed, their text kept.
            root = lxml.html.document_fromstring(_flatten(html, MAX_DEPTH), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        if "empty" in str(error).lower():
            return ""
        raise UnreadableFile(f"broken HTML: {one_line(error)}") from None
    body = root.find("body")
    region = _main_region(root) if body is not None else root
    _drop_chrome(region)
    text = _render(region)
    if not text.strip() and region is not root:
        _drop_chrome(root)
        text = _render(root)
    return text


MAX_DEPTH = 1000
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "keygen"}


def _flatten(html: str, limit: int) -> str:
    """The markup with every tag nested deeper than `limit` left out (block tags there become <br>),
    everything else as written. Streams through the standard library's tokenizer: no depth limit."""
    from html.parser import HTMLParser

    out: list[str] = []
    stack: list[str] = []

    class Flattener(HTMLParser):
        def handle_starttag(self, tag, attrs):
            deep = len(stack) >= limit
            if tag not in VOID_TAGS:
                stack.append(tag)
            if not deep:
                out.append(self.get_starttag_text() or "")
            elif tag in BLOCK_TAGS or tag == "br":
                out.append("<br>")

        def handle_startendtag(self, tag, attrs):
            if len(stack) < limit:
                out.append(self.get_starttag_text() or "")
            elif tag in BLOCK_TAGS or tag == "br":
                out.append("<br>")

        def handle_endtag(self, tag):
            if tag not in stack:
                if len(stack) < limit:
                    out.append(f"</{tag}>")
                return
            while stack:
                open_tag = stack.pop()
                if len(stack) < limit:
                    out.append(f"</{open_tag}>")
                elif open_tag in BLOCK_TAGS:
                    out.append("<br>")
                if open_tag == tag:
                    break

        def handle_data(self, data):
            out.append(data)

        def handle_entityref(self, name):
            out.append(f"&{name};")

        def handle_charref(self, name):
            out.append(f"&#{name};")

        def handle_comment(self, data):
            pass

        def handle_decl(self, decl):
            out.append(f"<!{decl}>")

    flattener = Flattener(convert_charrefs=False)
    flattener.feed(html)
    flattener.close()
    return "".join(out)


def _main_region(root):
    mains = [e for e in root.iter("main")] or root.xpath("//*[@role='main']")
    mains = [m for m in mains if _text_len(m)]
    if mains:
        return max(mains, key=_text_len)
    articles = [a for a in root.iter("article") if not any(p.tag == "article" for p in a.iterancestors())]
    articles = [a for a in articles if _text_len(a)]
    if len(articles) == 1:
        return articles[0]
    return root.find("body") if root.find("body") is not None else root


def _text_len(element) -> int:
    return sum(len(t.strip()) for t in element.itertext())


def _is_chrome(element, region) -> bool:
    tag = element.tag
    if element is region or tag in ("html", "body", "main", "article"):
        return False
    if tag == "header":  # the site's header is chrome; an article's or main's own header holds its title
        return not (_has_heading(element) and any(a.tag in ("article", "main", "section") for a in element.iterancestors()))
    if tag in DROP_TAGS:
        return True
    if element.get("hidden") is not None or element.get("aria-hidden", "").lower() == "true":
        return True
    if element.get("role", "").lower() in CHROME_ROLES:
        return True
    names = f"{element.get('class', '')} {element.get('id', '')}".split()
    if any(HEADER_TOKEN.match(n) for n in names):  # "site-header" is chrome; "entry-header" holds a title
        return not _has_heading(element)
    if tag in LINK_LIST_TAGS and _link_list(element):
        return True
    if not any(CHROME_TOKEN.match(n) for n in names):
        return False
    # a class like "with-sidebar" on the content wrapper: never drop what holds the main heading or text
    return not any(True for _ in element.iter("h1", "main", "article"))


def _link_list(element) -> bool:
    """A list or box of links with little else: related stories, pagination, a site map. Nearly all of its
    text is link text (the link density measure of boilerplate removal, as in boilerpipe and readability)."""
    links = element.findall(".//a")
    if len(links) < MIN_LINKS:
        return False
    total = _text_len(element)
    if not total or total > MAX_LINK_LIST_CHARS or any(True for _ in element.iter("h1")):
        return False
    linked = sum(len(t.strip()) for a in links for t in a.itertext())
    return linked >= LINK_DENSITY * total


def _has_heading(element) -> bool:
    return any(True for _ in element.iter(*HEADINGS))


def _drop_chrome(region) -> None:
    from lxml import etree

    doomed = []
    walker = etree.iterwalk(region, events=("start",))
    for _, element in walker:
        if isinstance(element.tag, str) and _is_chrome(element, region):
            doomed.append(element)
            walker.skip_subtree()
    for element in doomed:
        _drop(element)


def _drop(element) -> None:
    """Remove an element but keep the text that follows it."""
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


def _render(region) -> str:
    from lxml import etree

    paragraphs: list[str] = []
    pieces: list[str | None] = []
    heading_level = 0  # inside a heading: nested blocks and line breaks stay on its line
    heading_depth = 0
    pre_depth = 0

    def flush() -> None:
        paragraphs.extend(_paragraphs(pieces))
        pieces.clear()

    def add(text: str | None) -> None:
        if not text:
            return
        if pre_depth and not heading_depth:
            lines = text.split("\n")
            for k, line in enumerate(lines):
                if k:
                    pieces.append(_BR)
                pieces.append(line)
        else:
            pieces.append(text)

    for event, element in etree.iterwalk(region, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else None
        if event == "start":
            if tag is None:
                continue
            if tag in HEADINGS and not heading_depth:
                flush()
                heading_level = HEADINGS[tag]
            if tag in HEADINGS:
                heading_depth += 1
            elif heading_depth:
                if tag == "br" or tag in BLOCK_TAGS:
                    pieces.append(" ")
            elif tag == "br":
                pieces.append(_BR)
            elif tag in BLOCK_TAGS:
                flush()
            elif tag in CELLS:
                pieces.append(" ")
            if tag == "pre":
                pre_depth += 1
            add(element.text)
        else:
            if tag in HEADINGS:
                heading_depth -= 1
                if not heading_depth:
                    title = _collapse("".join(p or " " for p in pieces))
                    pieces.clear()
                    if title:
                        paragraphs.append(f"{'#' * heading_level} {title}")
            elif tag in BLOCK_TAGS and not heading_depth:
                flush()
            elif tag in CELLS:
                pieces.append(" ")
            if tag == "pre":
                pre_depth -= 1
            if element is not region:
                add(element.tail)
    flush()
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""


def _paragraphs(pieces: list[str | None]) -> list[str]:
    """Collected pieces → paragraphs: line breaks split lines, an empty line (<br><br>) splits paragraphs."""
    out, lines, line = [], [], []
    for piece in [*pieces, _BR]:
        if piece is not _BR:
            line.append(piece)
            continue
        text = _collapse("".join(line))
        line = []
        if text:
            lines.append(text)
        elif lines:
            out.append("\n".join(lines))
            lines = []
    if lines:
        out.append("\n".join(lines))
    return out


def _collapse(text: str) -> str:
    """Whitespace as a browser shows it; a source line break between Chinese characters is no space."""
    return " ".join(CJK_BREAK.sub("", text.translate(INVISIBLE)).split())


INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\ufeff"))  # soft hyphen, zero-width space, BOM
