"""Dates as people write them in declarations and laws, to ISO 8601.

"Aug 30, 2019", "23 October 2023", "2023-10-18", "2023年10月18日", "二〇二三年十月十八日", and the Minguo
calendar of Taiwanese texts ("112年10月3日", "民國112年10月3日": year 112 is 2023).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
MONTH_ABBR = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
_M = f"(?:{MONTHS}|{MONTH_ABBR})\\.?"
ZH_DIGITS = "〇零一二三四五六七八九十"
ZH_VALUE = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
DATE_IN_TEXT = re.compile(
    rf"\b{_M}\s+\d{{1,2}}(?:st|nd|rd|th)?\s*,?\s+\d{{4}}\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_M}\s*,?\s+\d{{4}}\b"
    r"|(?:民[國国]\s*)?\d{2,4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    rf"|[{ZH_DIGITS}]{{4}}年[{ZH_DIGITS}]{{1,2}}月[{ZH_DIGITS}]{{1,3}}日"
    r"|\b\d{4}-\d{2}-\d{2}\b",
    re.IGNORECASE,
)
FORMATS = ("%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d")
MINGUO_OFFSET = 1911


@dataclass(frozen=True)
class FoundDate:
    iso: str
    start: int  # where it is written in the text searched
    end: int


def parse_date(text: str) -> str | None:
    """ISO date for one written date, else None."""
    text = text.strip()
    if match := re.fullmatch(r"(民[國国]\s*)?(\d{2,4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", text):
        year = int(match[2])
        if year < 1000:  # a Minguo year (only Taiwanese texts write years this way)
            year += MINGUO_OFFSET
        return _iso(year, int(match[3]), int(match[4]))
    if match := re.fullmatch(rf"([{ZH_DIGITS}]{{4}})年([{ZH_DIGITS}]{{1,2}})月([{ZH_DIGITS}]{{1,3}})日", text):
        year = int("".join(str(ZH_VALUE[ch]) for ch in match[1]))
        return _iso(year, _zh_number(match[2]), _zh_number(match[3]))
    cleaned = re.sub(r"(?<=\d)(st|nd|rd|th)\b|\bof\b|[,.]", " ", text, flags=re.IGNORECASE)
    cleaned = re.sub(r"\bSept\b", "Sep", cleaned, flags=re.IGNORECASE)
    cleaned = " ".join(cleaned.split())
    for fmt in FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def dates_in(text: str) -> list[FoundDate]:
    """Every date written in text, in order."""
    found = []
    for match in DATE_IN_TEXT.finditer(text):
        if parsed := parse_date(match.group()):
            found.append(FoundDate(parsed, match.start(), match.end()))
    return found


def first_date(text: str) -> str | None:
    """The first date stated in text, as ISO 8601."""
    found = dates_in(text)
    return found[0].iso if found else None


def _zh_number(text: str) -> int:
    """十 → 10, 十八 → 18, 二十 → 20, 二十三 → 23, 八 → 8."""
    if "十" not in text:
        return int("".join(str(ZH_VALUE[ch]) for ch in text))
    tens, _, ones = text.partition("十")
    return (ZH_VALUE[tens] if tens else 1) * 10 + (ZH_VALUE[ones] if ones else 0)


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
