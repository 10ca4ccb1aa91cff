"""The numbering of legal texts: articles and sections that label the text they number, and the chapter and
part headings above them.

    第四条 …            → 第四条           Article 12 / Art. 12 …   → Art. 12
    Sec. 4.2. / SECTION 4 → Sec. 4.2 / Sec. 4     § 22602 / 22602. …      → § 22602
    6-1-1701. Definitions → § 6-1-1701           1.2.1This directive …   → 1.2.1
    第一章 总则 / Chapter I General Provisions / PART 17 / TITLE 2   → headings (sections)

A text with at least MIN_ARTICLES numbered articles is laid out as law: its passages are built per article
(passages.py), and list items and continuation paragraphs stay with the article they belong to.
"""
from __future__ import annotations

import re

ZH_NUMERAL = "一二三四五六七八九十百千零〇两"
MIN_ARTICLES = 3

# What may follow a number that starts an article: the end, a title or the text (a capital, a Chinese character,
# an opening bracket or quote), or a full stop or colon. Not a comma: "Article 29, paragraphs 2 and 3 of ..."
# at the start of a wrapped line is a reference, not an article.
_AFTER = r"(?=\s*$|\s+[A-Z\u3400-\u9fff(（\"“]|[.:]\s|[.:]$)"
# (pattern, how the label is written); the pattern matches at the start of a block
_ARTICLES = [
    (re.compile(rf"^第([{ZH_NUMERAL}\d]+)条(?:之[{ZH_NUMERAL}\d]+)?"), lambda m: m.group(0)),
    (re.compile(rf"^(?:Article|ARTICLE|Art\.)\s*(\d+[A-Za-z]?(?:\.\d+)*){_AFTER}\.?"), lambda m: f"Art. {m.group(1)}"),
    (re.compile(rf"^(?:Section|SECTION|Sec\.|SEC\.)\s*(\d+[A-Za-z]?(?:\.\d+)*){_AFTER}\.?"), lambda m: f"Sec. {m.group(1)}"),
    (re.compile(rf"^§+\s*(\d+(?:[.-]\d+)*[A-Za-z]?){_AFTER}\.?"), lambda m: f"§ {m.group(1)}"),
    # statute section numbers: 6-1-1701. (Colorado), 22602. or 11547.6.1. (California codes); not a year ("2025.")
    (re.compile(r"^(\d+(?:-\d+)+(?:\.\d+)*|(?!(?:19|20)\d\d\.(?:\s|$))\d{4,6}(?:\.\d+)*)\.(?=\s|$)"), lambda m: f"§ {m.group(1)}"),
    # clause numbers: 1.2.1 (needs two levels; a lone "6." is a list item or a heading)
    (re.compile(r"^(\d{1,2}(?:\.\d{1,3}){1,4})\.?(?=\s|[A-Z]|$)"), lambda m: m.group(1)),
]
HEADING = re.compile(
    rf"^(?:第[{ZH_NUMERAL}\d]+[章节编](?:\s|$)|"
    r"(?:Chapter|CHAPTER|Part|PART|Title|TITLE|Division|DIVISION|Subchapter|SUBCHAPTER|Subtitle|SUBTITLE)\s+"
    r"(?:[IVXLC]+|\d+[A-Z]?)\b(?![.,]?\s*\d)(?:[.:]?\s+\S.*|[.:]?)$)"
)
HEADING_NUMBER_ONLY = re.compile(
    rf"^(?:第[{ZH_NUMERAL}\d]+[章节编]|(?:Chapter|CHAPTER|Part|PART|Title|TITLE|Division|DIVISION)\s+(?:[IVXLC]+|\d+[A-Z]?))[.:]?$"
)


def article_label(text: str) -> str | None:
    """The label of the article or section that text starts with ("第四条", "Art. 12", "Sec. 4.2", "§ 22602")."""
    text = text.lstrip()
    for pattern, label in _ARTICLES:
        if match := pattern.match(text):
            return label(match)
    return None


def label_only(text: str) -> bool:
    """True when the text is nothing but an article or section number ("22602.", "Sec. 4.", "第四条")."""
    text = text.strip()
    for pattern, _ in _ARTICLES:
        if (match := pattern.match(text)) and not text[match.end():].strip(" .:："):
            return True
    return False


def label_heading(text: str, following: str) -> bool:
    """A numbered heading over numbered articles: "Section 1 General Rules" above "Article 13 ..." (a short
    title after the number, and the next paragraph starts an article or a chapter of its own)."""
    text = text.strip()
    for pattern, _ in _ARTICLES:
        if match := pattern.match(text):
            rest = text[match.end():].strip(" .:：")
            return (0 < len(rest.split()) <= 15 and not re.search(r"[.!?。；;：:,，]", rest)
                    and (article_label(following) is not None or chapter_heading(following)))
    return False


def chapter_heading(text: str) -> bool:
    """A chapter, section, part or title heading of a law ("第一章 总则", "Chapter I General Provisions"): the
    number and at most a short title, not a sentence ("PART 17 DOES NOT APPLY TO ANY SUCH VIOLATION.")."""
    text = text.strip()
    if len(text) > 120 or not HEADING.match(text) or re.search(r"[.;,:，；。]$", text) and not HEADING_NUMBER_ONLY.match(text):
        return False
    return len(text.split()) <= 14


def heading_without_title(text: str) -> bool:
    """A chapter or part number standing alone ("Chapter I", "第一章"): its title is the next line."""
    return bool(HEADING_NUMBER_ONLY.match(text.strip()))


def is_legal(texts: list[str]) -> bool:
    """Whether paragraphs are laid out as law: enough of them start with an article or section number."""
    return sum(article_label(t) is not None for t in texts) >= MIN_ARTICLES
