"""Recognise web-page chrome, news leads, editor lines, UN document headers, legislative history and
publication labels.

Each rule describes a kind of boilerplate, not a particular file: a breadcrumb, a byline with a time
stamp, a wire-service dateline lead, a UN distribution header and the agenda-item titles under it, the
amendment record above a bill, a page's view counter or print button, a publisher's document-type label.
"""
from __future__ import annotations

import re

from govsearch.records import Boilerplate

WEB_CHROME = [
    re.compile(r"^(home|首页|主页)\s*(>>|>|»|›)", re.I),
    re.compile(
        r"^(photos?|videos?|related (stories|news|articles|reading)|more|share|print|e-?mail|comments?|"
        r"back to top|top|close|menu|subscribe|advertisement|相关(新闻|阅读|报道|稿件|链接|文章)|相關(新聞|閱讀|報導|稿件|連結|文章)|"
        r"分享到?|打印|关闭)\s*[:：]?$",
        re.I,
    ),
    re.compile(r"^\(?\s*(web\s+)?editors?\s*[:：].*\)?$", re.I),
    re.compile(r"^[(（]?\s*(责任编辑|编辑|来源|作者单位)\s*[:：].*$"),
    re.compile(r"^(copyright|©|all rights reserved)", re.I),
    re.compile(r"^full text\s*[:：]", re.I),
    # buttons, links and labels of a page's furniture, alone on their line
    re.compile(
        r"^(expand all|collapse all|skip to (main )?content|print this page|share this page|see all updates|"
        r"order a copy|request an accessible format\.?|is this page useful\??|report a problem with this page|"
        r"cookies on [\w.]+|accept (additional|all) cookies|reject (additional|all) cookies|view cookies|"
        r"回上一頁|回上一页|返回(顶部|首页)?|列印|打印本页|关闭窗口|檔案下載|附件下载|相关附件|字号\s*[:：]?.{0,8}|"
        r"中文|English|简体|繁體|繁体|\[?(pdf|docx?|odt|xlsx?|html?)\]?)"
        r"(\s*(expand all|collapse all|列印|打印|关闭))*\s*$",
        re.I,
    ),
    # counters and page dates: "點閱次數：9365", "更新日期：2024-01-31", "Updated: 2021-12-29", "下載 3288 次"
    re.compile(r"^(點閱次數|点阅次数|瀏覽次數|浏览次数|阅读次数|閱讀次數|访问量|浏览量|更新日期|發布日期|发布日期|"
               r"updated|last updated|published|date published)\s*[:：]?\s*[\d\-/年月日.: ]*$", re.I),
    re.compile(r"^(下載|下载)\s*\d+\s*次$"),
    # a Chinese page's date and time over the text, with its source: "2023年07月13日 17:00  来源： 中国网信网"
    re.compile(r"^\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}\s*日?\s*(\d{1,2}:\d{2}(:\d{2})?)?\s*(来源|來源|作者|发布|發布)\s*[:：]"),
    re.compile(r"^(【[^】]{1,6}】\s*){1,6}$|^(\[\s*[^\]]{1,12}\s*\]\s*){2,6}$"),  # 【打印】【关闭】, [Print] [Close]
    re.compile(r"^this file may not be suitable for users of assistive technology\.?$", re.I),
    # a blog's sharing, tagging and comment furniture under a post
    re.compile(r"^(share this|like this|related( posts| articles)?|leave a (reply|comment)|cancel reply|like loading|"
               r"loading)\s*[:：.…]*$", re.I),
    re.compile(r"^(twitter|facebook|linkedin|reddit|whatsapp|telegram|weibo|wechat|微信|微博|qq空间)$", re.I),  # not "X": a numeral
    re.compile(r"^(posted in|filed under|tagged)\s+\S.{0,200}$|^(tags|categories)\s*[:：]\s*\S.{0,200}$", re.I),
    re.compile(r"^your email address will not be published", re.I),
    re.compile(r"^if you use assistive technology .{0,200}(format|technology you use)\.?$", re.I),
    re.compile(r"^(pdf|html|odt|docx?)\s*,\s*[\d.]+\s*[km]b(\s*,\s*\d+\s*pages?)?$", re.I),
    re.compile(r"^[<‹«]?\s*(\d+\s+){1,}\d+\s*[>›»]?$|^[<‹«]\s*\d+(\s+\d+)*$|^\d+(\s+\d+)*\s*[>›»]$"),  # pagination
    re.compile(r"^\w{1,6}ICP[备備]\s*\d+"),
    # a Chinese site's foot: its copyright, sponsor and registration lines ("版权所有：中国政府网 | 京ICP备05070218号")
    re.compile(r"^(版权所有|版權所有|主办单位|主辦單位|承办单位|承辦單位|网站标识码|網站標識碼)\s*[:：]?|^.{0,60}ICP[备備证證]\s*\d"),
    re.compile(r"^(https?://)?(www\.)?([a-z0-9-]+\.)+[a-z]{2,24}(/\S*)?$", re.I),  # a bare address: a link ("No.790" is none)
]
# A publisher's labels for the kind of page or document, its catalogue references and licence lines.
PUBLICATION = [
    re.compile(r"^(policy paper|press release|news story|guidance|research and analysis|consultation outcome|"
               r"speech|statements? and releases|presidential actions|briefing room|white paper|from)\s*[:：]?$", re.I),
    re.compile(r"^ref\s*[:：]\s*(isbn|e\d{6,}|cp \d+)", re.I),
    re.compile(r"^(this publication is|published|licensed)\s+(licensed\s+)?under the (terms of the )?open government licen[cs]e", re.I),
    re.compile(r"^(all content is available under the open government licen[cs]e|ogl$)", re.I),  # GOV.UK's page foot
    re.compile(r"^(isbn|issn)[\s:]+[\d-]{9,}", re.I),
    re.compile(r"^\[?fr doc\.\s*[\d-]+", re.I),
    re.compile(r"^billing code [\w-]+$", re.I),
    # a decree's number over the text it promulgates: "令" / "第15号", "国家互联网信息办公室令 第15号"
    re.compile(r"^(\S{0,60}令)?\s*[(（]?\s*第\s*[\d一二三四五六七八九十百〇零]+\s*号\s*[)）]?$|^令$"),
    # a page's own date label, month spelled out, and the link beside it: "Published 29 March 2023", "Last updated:
    # March 29, 2023", "Last updated 3 August 2023 show all updates"
    re.compile(r"^(first published|published|last updated|updated|date published|publication date)\s*[:：]?\s*(on\s+)?"
               r"(\d{1,2}\s+[a-z]{3,9}\.?,?\s+\d{4}|[a-z]{3,9}\.?\s+\d{1,2},?\s+\d{4})\.?(\s+(show|see|view) all updates|"
               r"\s+by\s+[\w .'’-]{1,60})?$", re.I),  # "Published on July 13, 2023 by Jane Doe" too
    re.compile(r"^capital letters .{0,80}indicate new material", re.I),
    # a bill's digest key and the tabs of its page: "Vote: majority   Appropriation: no   Fiscal Committee: yes …"
    re.compile(r"^vote\s*:\s*\S+.{0,40}\bappropriation\s*:", re.I),
    re.compile(r"^(digest key|bill information|bill status|bill history|bill votes|bill analysis|"
               r"today's law as amended|compare versions)$", re.I),
]
# The record of a bill's passage above or below its text: amendments, readings, sponsors, chaptering.
LEGISLATIVE_HISTORY = [
    re.compile(r"^(amended|corrected)\s+(in|by)\s+(senate|assembly|house)\b", re.I),
    re.compile(r"^(passed|adopted)\s+(the|by the)\s+(senate|assembly|house)\b", re.I),
    re.compile(r"^\[?\s*(approved by (the )?governor|filed with (the )?secretary of state|chaptered by secretary of state|"
               r"vetoed by (the )?governor|became law without (the )?governor)", re.I),
    re.compile(r"^(introduced by|by)\s+(senators?|assembly\s*members?|assemblymembers?|representatives?|reps?\.|"
               r"senator\(s\)|representative\(s\))\b", re.I),
    re.compile(r"^also\s+(senators?|representatives?|senator\(s\)|representative\(s\))\b", re.I),
    re.compile(r"^\(?(principal )?co-?authors?\s*[:：(]", re.I),
    re.compile(r"^(california|colorado|new york|state) legislature\b.{0,40}(session)?$", re.I),
    re.compile(r"^\d{4}[–-]\d{2,4}\s+regular session$", re.I),
    re.compile(r"^(enrolled|engrossed|chaptered)(\s+(bill|version))?(\s+\w+ \d{1,2}, \d{4})?$", re.I),
    re.compile(r"^(senate|assembly|house) bill (no\.\s*)?[\d-]+$", re.I),
    # a bill page's title: "SB-53 Artificial intelligence models: large developers. (2025-2026)"
    re.compile(r"^(SB|AB|HB|SJR|AJR|ACR|SCR|HR|SR)-\d+\s.{3,200}\(\d{4}\s*[–-]\s*\d{4}\)$"),
    re.compile(r"^approved\s*[:：]\s*\w+ \d{1,2}, \d{4}\.?$", re.I),
    re.compile(r"^(one hundred|[a-z]+-[a-z]+) \w+ congress of the united states of america$", re.I),
    re.compile(r"^at the (first|second) session$", re.I),
    re.compile(r"^begun and held at the city of washington", re.I),
    # adoption and promulgation notes above a law: "2021年11月16日 …室务会议审议通过", "(Adopted at the … on August 20, 2021)"
    re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*.{0,80}(通过|公布|发布|印发|施行|修订|修正)$"),
    re.compile(r"^[(（]?\s*(adopted|promulgated|approved|revised|amended) (at|by|on) .{0,160}\d{4}\s*[)）]?\.?$", re.I),
]
# A line that is nothing but a date ("29 March 2023", "September 24, 2024", "2021年8月20日"): a dateline.
DATELINE = re.compile(
    r"^\(?\s*(\d{1,2}\s+[A-Z][a-z]+\.?\s+\d{4}|[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|"
    r"\d{4}-\d{2}-\d{2})\s*\)?[.,]?(\s*[—–-]\s*see all updates)?$",
    re.I,
)
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
UN_SYMBOL = re.compile(r"^(A|S|E|A/C\.\d)(/RES)?/\d+/[\w./-]+$")  # a UN document symbol: A/RES/78/265
UN_HEADER_LINE = [
    re.compile(r"^distr\.?\s*:", re.I),
    re.compile(r"^original\s*:\s*\w+", re.I),
    re.compile(r"^[A-Z][a-z]+(-[a-z]+)?\s+session\b"),
    re.compile(r"^agenda items?\b", re.I),
    UN_SYMBOL,
    re.compile(r"^(general assembly|security council|united nations)$", re.I),
    re.compile(r"^\*?\d{2}-\d{5}\s*\(\w\)\*?$|^\*\d{7}\*$|^please recycle$", re.I),
]
TERMINAL = re.compile(r"[.!?。！？:：;；]$")
FROM_LABEL = re.compile(r"^from\s*[:：]?$", re.I)
MAX_PUBLISHER_WORDS = 20


def web_chrome(line: str) -> bool:
    line = line.strip()
    return any(p.search(line) for p in WEB_CHROME) or bool(BYLINE.match(line))


def publication_label(line: str) -> bool:
    return page_label(line) or bool(DATELINE.match(line.strip()))


def page_label(line: str) -> bool:
    """A line that is a label of the page, whatever stands around it: web chrome or a publisher's label ("Published
    21 May 2024"), not a bare date (which a UN header's column may end with)."""
    line = line.strip()
    return any(p.search(line) for p in PUBLICATION) or web_chrome(line)


def legislative_history(line: str) -> bool:
    return any(p.search(line.strip()) for p in LEGISLATIVE_HISTORY)


def news_lead(line: str) -> bool:
    return any(p.search(line.strip()) for p in NEWS_LEAD)


def un_header_line(line: str) -> bool:
    return any(p.search(line.strip()) for p in UN_HEADER_LINE)


UN_HEADER_DATE = re.compile(r"^\d{1,2}\s+[A-Z][a-z]+\s+\d{4}$")
COLUMN_GAP = re.compile(r"\s{3,}|\t")


def un_header_grid(raw: str) -> bool:
    """A UN header printed in two columns ("United Nations        A/RES/78/265" / "General Assembly        Distr.:
    General" / "                1 April 2024"): every cell of every line is a header item or a date."""
    cells = [c for line in raw.split("\n") for c in COLUMN_GAP.split(line.strip()) if c.strip()]
    return (len(cells) >= 3 and any(UN_HEADER_START.search(c) or UN_SYMBOL.match(c) for c in cells)
            and all(un_header_line(c) or UN_HEADER_DATE.match(c) for c in cells))


def classify(lines: list[str], is_heading: list[bool], raws: list[str] | None = None) -> list[Boilerplate | None]:
    """For each paragraph (lines: joined to one line; raws, when given: as received): the kind of boilerplate it
    is, or None.

    UN headers are a block: from a "Distr.:" line, every short unpunctuated line (the agenda-item
    titles) is header until the first heading or sentence.
    """
    kinds: list[Boilerplate | None] = []
    in_un_header = False
    for i, (line, heading, raw) in enumerate(zip(lines, is_heading, raws or lines)):
        text = line.strip()
        if i and FROM_LABEL.match(lines[i - 1].strip()) and not TERMINAL.search(text) and len(text.split()) <= MAX_PUBLISHER_WORDS:
            kinds.append(Boilerplate.PUBLICATION)  # the publisher a page's "From:" label names (metadata reads it)
            continue
        if UN_HEADER_START.search(text):
            in_un_header = True
        if in_un_header and (heading or TERMINAL.search(text)) and not un_header_line(text):
            in_un_header = False
        if in_un_header or un_header_line(text) or un_header_grid(raw):
            kinds.append(Boilerplate.UN_HEADER)
        elif web_chrome(text):
            kinds.append(Boilerplate.WEB)
        elif news_lead(text):
            kinds.append(Boilerplate.NEWS_LEAD)
        elif legislative_history(text):
            kinds.append(Boilerplate.LEGISLATIVE_HISTORY)
        elif publication_label(text):
            kinds.append(Boilerplate.PUBLICATION)
        else:
            kinds.append(None)
    return kinds
