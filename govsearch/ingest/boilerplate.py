"""Recognise web-page chrome, news leads, editor lines and UN document headers.

Each rule describes a kind of boilerplate, not a particular file: a breadcrumb, a byline with a time
stamp, a wire-service dateline lead, a UN distribution header and the agenda-item titles under it.
"""
from __future__ import annotations

import re

from govsearch.records import Boilerplate

WEB_CHROME = [
    re.compile(r"^(home|首页|主页)\s*(>>|>|»|›)", re.I),
    re.compile(
        r"^(photos?|videos?|related (stories|news|articles|reading)|more|share|print|e-?mail|comments?|"
        r"back to top|top|close|menu|subscribe|advertisement|相关新闻|相关阅读|相关报道|分享到?|打印|关闭)\s*[:：]?$",
        re.I,
    ),
    re.compile(r"^\(?\s*(web\s+)?editors?\s*[:：].*\)?$", re.I),
    re.compile(r"^[(（]?\s*(责任编辑|编辑|来源|作者单位)\s*[:：].*$"),
    re.compile(r"^(copyright|©|all rights reserved)", re.I),
    re.compile(r"^full text\s*[:：]", re.I),
]
# "(Xinhua) 10:56, July 05, 2024": a source and a time stamp, nothing else.
BYLINE = re.compile(r"^\(?[\w .'’&-]{2,40}\)?\s+\d{1,2}:\d{2}\b.{0,30}\d{4}$")
NEWS_LEAD = [
    # "SHANGHAI, July 4 (Xinhua) -- ..." (a wire-service dateline)
    re.compile(r"^[A-Z][A-Z .'-]{2,40},\s+\w+\.?\s+\d{1,2}\s*\([^)]{2,40}\)\s*(--|—|–)"),
    re.compile(r"^the following is (the )?(full )?(text|transcript)\b.*[:：]$", re.I),
    re.compile(r"^(以下为|以下是).{0,30}(全文|原文)[:：]?$"),
    re.compile(r"^新华社.{0,20}\d+月\d+日电"),
]
UN_HEADER_START = re.compile(r"^distr\.?\s*:\s*(general|limited|restricted)", re.I)
UN_HEADER_LINE = [
    re.compile(r"^distr\.?\s*:", re.I),
    re.compile(r"^original\s*:\s*\w+", re.I),
    re.compile(r"^[A-Z][a-z]+(-[a-z]+)?\s+session\b"),
    re.compile(r"^agenda items?\b", re.I),
    re.compile(r"^(A|S|E|A/C\.\d)/\d+/[\w./-]+$"),
    re.compile(r"^(general assembly|security council|united nations)$", re.I),
    re.compile(r"^\*?\d{2}-\d{5}\s*\(\w\)\*?$|^\*\d{7}\*$|^please recycle$", re.I),
]
TERMINAL = re.compile(r"[.!?。！？:：;；]$")


def web_chrome(line: str) -> bool:
    line = line.strip()
    return any(p.search(line) for p in WEB_CHROME) or bool(BYLINE.match(line))


def news_lead(line: str) -> bool:
    return any(p.search(line.strip()) for p in NEWS_LEAD)


def un_header_line(line: str) -> bool:
    return any(p.search(line.strip()) for p in UN_HEADER_LINE)


def classify(lines: list[str], is_heading: list[bool]) -> list[Boilerplate | None]:
    """For each paragraph: the kind of boilerplate it is, or None.

    UN headers are a block: from a "Distr.:" line, every short unpunctuated line (the agenda-item
    titles) is header until the first heading or sentence.
    """
    kinds: list[Boilerplate | None] = []
    in_un_header = False
    for line, heading in zip(lines, is_heading):
        text = line.strip()
        if UN_HEADER_START.search(text):
            in_un_header = True
        if in_un_header and (heading or TERMINAL.search(text)) and not un_header_line(text):
            in_un_header = False
        if in_un_header or un_header_line(text):
            kinds.append(Boilerplate.UN_HEADER)
        elif web_chrome(text):
            kinds.append(Boilerplate.WEB)
        elif news_lead(text):
            kinds.append(Boilerplate.NEWS_LEAD)
        else:
            kinds.append(None)
    return kinds
