"""The numbering of legal texts: articles and sections that label the text they number, and the chapter and
part headings above them.

    第四条 …            → 第四条           Article 12 / Art. 12 …   → Art. 12
    Sec. 4.2. / SECTION 4 → Sec. 4.2 / Sec. 4     § 22602 / 22602. …      → § 22602
    6-1-1701. Definitions → § 6-1-1701           1.2.1This directive …   → 1.2.1
    第一章 总则 / Chapter I General Provisions / PART 17 / CHAPTER 25.1. AI Models → headings (sections)

A text with at least MIN_ARTICLES numbered articles is laid out as law: its passages are built per article
(passages.py), and list items and continuation paragraphs stay with the article they belong to. An article
may carry its title run in with its text ("Sec. 3.  Promoting AI Capabilities.  (a) To preserve …",
"6-1-1701. Definitions. AS USED IN …"): run_in_title reads it.
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
    # 第四条, and as Taiwan writes it, 第 4 條 (label without the spaces)
    (re.compile(rf"^第\s*([{ZH_NUMERAL}\d]+)\s*[条條](?:之\s*[{ZH_NUMERAL}\d]+)?"), lambda m: re.sub(r"\s+", "", m.group(0))),
    (re.compile(rf"^(?:Article|ARTICLE|Art\.)\s*(\d+[A-Za-z]?(?:\.\d+)*){_AFTER}\.?"), lambda m: f"Art. {m.group(1)}"),
    (re.compile(rf"^(?:Section|SECTION|Sec\.|SEC\.)\s*(\d+[A-Za-z]?(?:\.\d+)*){_AFTER}\.?"), lambda m: f"Sec. {m.group(1)}"),
    (re.compile(rf"^§+\s*(\d+(?:[.-]\d+)*[A-Za-z]?){_AFTER}\.?"), lambda m: f"§ {m.group(1)}"),
    # statute section numbers: 6-1-1701. (Colorado), 22602. or 11547.6.1. (California codes); not a year ("2025.")
    (re.compile(r"^(\d+(?:-\d+)+(?:\.\d+)*|(?!(?:19|20)\d\d\.(?:\s|$))\d{4,6}(?:\.\d+)*)\.(?=\s|$)"), lambda m: f"§ {m.group(1)}"),
    # clause numbers: 1.2.1 (needs two levels; a lone "6." is a list item or a heading)
    (re.compile(r"^(\d{1,2}(?:\.\d{1,3}){1,4})\.?(?=\s|[A-Z]|$)"), lambda m: m.group(1)),
]
BOLD_MARKS = re.compile(r"\*\*|__")  # Markdown bold ("**Article 1.**")
HEADING = re.compile(
    rf"^(?:第\s*[{ZH_NUMERAL}\d]+\s*[章节编節編](?:\s|$)|"
    r"(?:Chapter|CHAPTER|Part|PART|Title|TITLE|Division|DIVISION|Subchapter|SUBCHAPTER|Subtitle|SUBTITLE)\s+"
    r"(?:[IVXLC]+|\d+(?:\.\d+)?[A-Z]?)\b(?![.,]?\s*\d)(?:[.:]?\s+\S.*|[.:]?)$)"
)
HEADING_NUMBER_ONLY = re.compile(
    rf"^(?:第\s*[{ZH_NUMERAL}\d]+\s*[章节编節編]|(?:Chapter|CHAPTER|Part|PART|Title|TITLE|Division|DIVISION)\s+(?:[IVXLC]+|\d+(?:\.\d+)?[A-Z]?))[.:]?$"
)


def _plain(text: str) -> str:
    """The text without markdown's bold markers ("**Article 5.** The …", "**Chapter II: …**"), stripped."""
    return BOLD_MARKS.sub("", text).strip()


def _label_match(text: str) -> tuple[re.Match, object] | None:
    """The first article pattern that text (already stripped) starts with: (its match, its label writer)."""
    for pattern, label in _ARTICLES:
        if match := pattern.match(text):
            return match, label
    return None


def after_label(text: str) -> str:
    """What follows the article label text starts with ("Article 5: Prohibited Practices" → ": Prohibited
    Practices"), or all of text when it starts with none."""
    text = _plain(text)
    found = _label_match(text)
    return text[found[0].end():] if found else text


def article_label(text: str) -> str | None:
    """The label of the article or section that text starts with ("第四条", "Art. 12", "Sec. 4.2", "§ 22602")."""
    found = _label_match(_plain(text))
    return found[1](found[0]) if found else None


# A run-in title: a short phrase after the label, ended by a full stop and followed by an enumerator ("(a)",
# "(1)"), a capital, the first subsection's number ("Sec. 4.  Ensuring Safety.  4.1.  Developing …") or nothing;
# at most RUN_IN_WORDS words, and no sentence punctuation inside.
RUN_IN = re.compile(r"^\s*([A-Z][^.;:!?()\[\]\n]{1,160}?)\.(?:\s+(?=\(|[A-Z0-9])|\s*$)")
RUN_IN_WORDS = 14
RUN_IN_ALONE_WORDS = 8  # a phrase without a verb that is all its paragraph holds, in any case
MAX_STOPPED_HEADING_WORDS = 5  # "4.2 Transparency." is a heading; a longer phrase ending in a full stop is a clause
VERB = re.compile(r"\b(?:shall|must|may|will|is|are|be|was|were|has|have)\b")  # a sentence, not a title


def run_in_title(text: str) -> str | None:
    """The title an article's first paragraph runs in after its label ("Policy", "Protecting United States AI
    from Foreign Intelligence Threats"), or None. A phrase counts as a title when it is in title case (most of
    its longer words capitalised), or when the text goes on with an enumerator "(a)" or in capitals while the
    phrase is not: "6-1-1702. Developer responsibilities - documentation. (1) ON AND AFTER …". A sentence
    ("Sec. 5. The Secretary shall report. The report …") is not a title."""
    text = _plain(text)
    found = _label_match(text)
    if not found:
        return None
    match = found[0]
    rest = text[match.end():]
    if not (match.group(0).endswith(".") or rest.lstrip(" ").startswith(".")):
        return None  # "Article 64 These Regulations shall …": the text runs on from the number, no title
    rest = rest.lstrip(" .:")
    found = RUN_IN.match(rest)
    if not found:
        return None
    title = " ".join(found.group(1).split())
    words = title.split()
    if len(words) > RUN_IN_WORDS or VERB.search(title):
        return None
    long_words = [w for w in words if len(w) >= 4 and w[0].isalpha()]
    title_case = bool(long_words) and sum(w[0].isupper() for w in long_words) >= 0.75 * len(long_words)
    after = rest[found.end():]
    if not after:  # the paragraph is the label and the title alone ("6-1-1703. Deployer record keeping."), its text follows
        short_phrase = len(words) <= RUN_IN_ALONE_WORDS and not re.search(r"[,\"“”]", title)  # not 'In this Act, "x" means y.'
        return title if title_case or short_phrase else None
    shouted = after[:40].upper() == after[:40] and not title.isupper()
    return title if title_case or after.startswith("(") or shouted else None


SEQUENCE_STEP = 3  # the next article of a kind is numbered at most this far after the last


def in_sequence(labels: list[str | None]) -> list[str | None]:
    """The labels with those that break their kind's numbering taken out: a wrapped line that starts with a
    reference ("SEC. 1951 ET SEQ.; …" between "SECTION 1." and "SECTION 2.") is text, not an article."""
    numbered = [(i, _kind_and_number(label)) for i, label in enumerate(labels) if label is not None]
    numbered = [(i, kind, n) for i, (kind, n) in numbered if n is not None]
    out = list(labels)
    for k, (i, kind, n) in enumerate(numbered):
        before = next((m for _, kd, m in reversed(numbered[:k]) if kd == kind), None)
        after = next((m for _, kd, m in numbered[k + 1:] if kd == kind), None)
        if before is not None and after is not None and before < after <= before + SEQUENCE_STEP and not before <= n <= after:
            out[i] = None
    return out


def label_number(label: str) -> str:
    """An article label's number: "Sec. 4.2" → "4.2", "§ 6-1-1701" → "6-1-1701"."""
    return label.rsplit(" ", 1)[-1]


def label_kind(label: str) -> str:
    """How an article label numbers: "Sec. 4" → "Sec.", "§ 22602" → "§", "第四条" → "条", "4.2.1" → ""."""
    if label.startswith("第"):
        return label[-1]
    return label.rsplit(" ", 1)[0] if " " in label else ""


def _kind_and_number(label: str) -> tuple[str, int | None]:
    """("Sec.", 4) for "Sec. 4.2"; the number is None when the label has no whole leading number ("§ 6-1-1701")."""
    top = label_number(label).split(".")[0]
    return label_kind(label), int(top) if top.isdigit() else None


def heads_sub_articles(text: str, following: str) -> bool:
    """An article that is only its label and title, above the first of its numbered sub-articles: "Sec. 4.
    Ensuring Safety." then "4.1. Developing Guidelines. (a) …" heads section 4 like a heading."""
    if not run_in_title(text) or RUN_IN.sub("", after_label(text).lstrip(" .:"), count=1).strip():
        return False  # no title, or text after it
    number, below = _number_of(text), _number_of(following)
    return bool(number and below and below.startswith(number + "."))


def _number_of(text: str) -> str:
    """The number of the article text starts with ("Sec. 4.2" → "4.2"), or ""."""
    label = article_label(text)
    return label_number(label) if label else ""


def title_below_label(raw: str) -> str | None:
    """The title on the line under an article's number, as the EU prints its laws ("Article 5" / "Prohibited AI
    practices" / "1. The following …"): a short phrase, no sentence, or None."""
    lines = [line.strip() for line in raw.split("\n") if line.strip()]
    if len(lines) < 2 or not label_only(lines[0]):
        return None
    title = lines[1]
    if len(title.split()) > RUN_IN_WORDS or re.search(r"[.;:。；：]$", title) or VERB.search(title) or not title[0].isupper():
        return None
    return title


def label_only(text: str) -> bool:
    """True when the text is nothing but an article or section number ("22602.", "Sec. 4.", "第四条")."""
    text = _plain(text)
    for pattern, _ in _ARTICLES:
        if (match := pattern.match(text)) and not text[match.end():].strip(" .:："):
            return True
    return False


def label_heading(text: str, following: str) -> bool:
    """A numbered heading over numbered articles: "Section 1 General Rules" above "Article 13 ..." (a short
    title after the number, not a sentence, and the next paragraph starts an article or a chapter of its own):
    "2.1. Each agency shall keep a record." or "6.1.2 Applying the requirements prescribed in Appendix C." above
    the next clause is a clause."""
    text = _plain(text)
    found = _label_match(text)
    if not found:
        return False
    rest = text[found[0].end():].strip(" .:：")
    sentence = VERB.search(rest) or text.endswith(".") and len(rest.split()) > MAX_STOPPED_HEADING_WORDS
    return (0 < len(rest.split()) <= 15 and not re.search(r"[.!?。；;：:,，]", rest) and not sentence
            and (article_label(following) is not None or chapter_heading(following)))


def chapter_heading(text: str) -> bool:
    """A chapter, section, part or title heading of a law ("第一章 总则", "Chapter I General Provisions"): the
    number and at most a short title, not a sentence ("PART 17 DOES NOT APPLY TO ANY SUCH VIOLATION.")."""
    text = _plain(text)
    if len(text) > 120 or not HEADING.match(text) or re.search(r"[.;,:，；。]$", text) and not HEADING_NUMBER_ONLY.match(text):
        return False
    return len(text.split()) <= 14


def heading_without_title(text: str) -> bool:
    """A chapter or part number standing alone ("Chapter I", "第一章"): its title is the next line."""
    return bool(HEADING_NUMBER_ONLY.match(_plain(text)))


def is_legal(texts: list[str]) -> bool:
    """Whether paragraphs are laid out as law: enough of them start with an article or section number."""
    return sum(article_label(t) is not None for t in texts) >= MIN_ARTICLES
