"""Attribution lines that name an excerpt's source, parsed into metadata.

Two styles are recognised, both written after the excerpt they describe:
  由 ISSUER 在 TITLE 发表, DATE
  原则: TITLE, DATE   (optionally followed by)   作者: ISSUER
A TITLE may carry its other-language name in brackets: 人工智能伦理准则(AI Code).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from govsearch.text.dates import parse_date

ISSUED_BY = re.compile(r"^由\s*(?P<issuer>.+?)\s*在\s*(?P<title>.+?)\s*发表\s*[,，]\s*(?P<date>.+?)\s*$")
PRINCIPLE = re.compile(
    r"^(?:原则|文件|来源|出处)\s*[:：]\s*(?P<title>.+?)\s*(?:[,，]\s*(?P<date>[^,，]+(?:,\s*\d{4})?))?\s*$"
)
AUTHOR = re.compile(r"^(?:作者|发布者|发布机构)\s*[:：]\s*(?P<issuer>.+?)\s*$")
BILINGUAL_TITLE = re.compile(r"^(?P<first>[^()（）]+?)\s*[(（](?P<second>[^()（）]+)[)）]\s*$")


@dataclass
class Attribution:
    title: str = ""
    title_zh: str = ""
    issuer: str = ""
    date: str = ""  # ISO 8601 or ""

    def merge(self, other: "Attribution") -> "Attribution":
        return Attribution(
            self.title or other.title,
            self.title_zh or other.title_zh,
            self.issuer or other.issuer,
            self.date or other.date,
        )


def parse_attribution(line: str) -> Attribution | None:
    line = line.strip()
    if match := ISSUED_BY.match(line):
        return _with_title(match["title"], issuer=match["issuer"], date=parse_date(match["date"]) or "")
    if match := PRINCIPLE.match(line):
        date = parse_date(match["date"] or "")
        if not date:  # without a date, "原则: ..." is more likely a principle stated in the text
            return None
        return _with_title(match["title"], date=date or "")
    if match := AUTHOR.match(line):
        return Attribution(issuer=match["issuer"])
    return None


def _with_title(raw_title: str, issuer: str = "", date: str = "") -> Attribution:
    title, title_zh = _split_title(raw_title.strip())
    return Attribution(title=title, title_zh=title_zh, issuer=issuer.strip(), date=date)


def _split_title(raw: str) -> tuple[str, str]:
    """(English title, Chinese title) from a title that may name both."""
    from govsearch.text.unicode_scripts import script_language

    if match := BILINGUAL_TITLE.match(raw):
        first, second = match["first"].strip(), match["second"].strip()
        if script_language(first) == "zh" and script_language(second) == "en":
            return second, first
        if script_language(first) == "en" and script_language(second) == "zh":
            return first, second
    if script_language(raw) == "zh":
        return "", raw
    return raw, ""
