"""Dates as people write them in declarations, to ISO 8601."""
from __future__ import annotations

import re
from datetime import date, datetime

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
MONTH_ABBR = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
_M = f"(?:{MONTHS}|{MONTH_ABBR})\\.?"
DATE_IN_TEXT = re.compile(
    rf"\b{_M}\s+\d{{1,2}},?\s+\d{{4}}\b"
    rf"|\b\d{{1,2}}\s+{_M}\s+\d{{4}}\b"
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|\b\d{4}-\d{2}-\d{2}\b",
    re.IGNORECASE,
)
FORMATS = ("%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d")


def parse_date(text: str) -> str | None:
    """ISO date for one written date ("Aug 30, 2019", "23 October 2023", "2023年10月18日"), else None."""
    text = text.strip()
    if match := re.fullmatch(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", text):
        return _iso(*map(int, match.groups()))
    cleaned = re.sub(r"[,.]", " ", text)
    cleaned = re.sub(r"\bSept\b", "Sep", cleaned, flags=re.IGNORECASE)
    cleaned = " ".join(cleaned.split())
    for fmt in FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def first_date(text: str) -> str | None:
    """The first date stated in text, as ISO 8601."""
    for match in DATE_IN_TEXT.finditer(text):
        if parsed := parse_date(match.group()):
            return parsed
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
