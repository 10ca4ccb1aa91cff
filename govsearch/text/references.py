"""References to parts of an instrument ("Article 24", "Sec. 4.2", "§ 6-1-1702", "第二十四条", "附录B",
"Chapter III") read from a question, and the same read from a passage's article label and section heading,
so that a question asking for a part can be matched to the passages of that part.

A reference is (kind, number): kind "article" for the numbered unit a text is cut into (article, section,
clause, 条; a dotted 节 number such as 第4.2节 is a section too), "chapter" for the units that group them
(chapter, part, 章, 编, an undotted 节), "appendix" for appendices, annexes and schedules (附录, 附件);
numbers in Arabic digits (Chinese and Roman numerals converted), letters lower-cased.
"""
from __future__ import annotations

import re

Reference = tuple[str, str]

_KINDS = {
    "article": "article", "art": "article", "arts": "article", "section": "article", "sec": "article",
    "§": "article", "§§": "article", "clause": "article", "rule": "article", "paragraph": "article", "para": "article",
    "chapter": "chapter", "part": "chapter", "title": "chapter",
    "appendix": "appendix", "annex": "appendix", "schedule": "appendix",
}
_NUMBER = r"(?:\d+(?:[.\-]\d+)*(?:\.?[a-z](?![a-z]))?|[ivxlc]+(?![a-z])|[a-z](?![a-z]))"
_LATIN = re.compile(rf"(?<![a-z])({'|'.join(sorted(map(re.escape, _KINDS), key=len, reverse=True))})\.?\s*({_NUMBER})", re.I)
_HAN_NUMERAL = "零〇一二两三四五六七八九十百千"
_CHINESE = re.compile(rf"第\s*([{_HAN_NUMERAL}\d.]+)\s*(条|條|款|章|编|編|节|節|部分)")
_CHINESE_APPENDIX = re.compile(r"(附录|附錄|附件|附表)\s*([A-Za-z\d一二三四五六七八九十]+)")
_STATUTE = re.compile(r"(?<![\d-])(\d+-\d+-\d+)(?![\d-])")  # "6-1-1702": a section of a code, as US statutes number them
_LEADING_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)*)\.?\s+\S")  # a heading "2. Authorities", "4.2 Scope"

_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def chinese_number(text: str) -> int | None:
    """二十四 → 24, 一百零三 → 103, 十 → 10; None when text is not a Chinese numeral."""
    if not text or any(c not in _DIGITS and c not in _UNITS for c in text):
        return None
    total, digit = 0, 0
    for c in text:
        if c in _DIGITS:
            digit = _DIGITS[c]
        else:
            total += (digit or 1) * _UNITS[c]
            digit = 0
    return total + digit


def roman_number(text: str) -> int | None:
    values = [_ROMAN.get(c) for c in text.lower()]
    if not values or None in values:
        return None
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _number(raw: str) -> str:
    raw = raw.strip().lower().rstrip(".")
    if raw and raw[0] in _HAN_NUMERAL:
        value = chinese_number(raw)
        return str(value) if value is not None else raw
    if re.fullmatch(r"[ivxlc]+", raw) and raw not in ("c", "l"):  # "c" and "l" are more often letters
        value = roman_number(raw)
        return str(value) if value is not None else raw
    return raw


def references(text: str) -> set[Reference]:
    """Every reference a text makes (a question, an article label, a section heading)."""
    found: set[Reference] = set()
    for kind, number in _LATIN.findall(text):
        found.add((_KINDS[kind.lower()], _number(number)))
    for number, unit in _CHINESE.findall(text):
        value = _number(number)
        if unit in ("条", "條", "款"):
            found.add(("article", value))
        elif unit in ("节", "節") and "." in value:
            found.add(("article", value))
        else:
            found.add(("chapter", value))
    for _, number in _CHINESE_APPENDIX.findall(text):
        found.add(("appendix", _number(number)))
    for number in _STATUTE.findall(text):
        found.add(("article", number))
    return found


def passage_references(article: str, section: str) -> set[Reference]:
    """The parts a passage belongs to: its article label ("第二十四条", "Art. 4", "4.2") and what its section
    heading numbers ("第三章 …", "Appendix B - …", "2. Authorities")."""
    found = references(article) | references(section)
    bare = article.strip().lstrip("§").strip()
    if re.fullmatch(r"\d+(?:[.\-]\d+)*[a-z]?", bare):
        found.add(("article", bare))
    leading = _LEADING_NUMBER.match(section)
    if leading:
        found.add(("article", leading.group(1)))
    return found


def matches(asked: Reference, held: Reference) -> bool:
    """A passage of section 4.2.1 is part of section 4.2; of article 24, not of article 2."""
    kind, number = asked
    held_kind, held_number = held
    return kind == held_kind and (held_number == number or held_number.startswith(number + "."))
