"""Title, issuer and date of a document no catalog entry describes, found in its text as a person would.

The title is the name of the instrument: a file's own metadata (Markdown front matter), the name an act gives
itself ("may be cited as the ... Act"), a heading or short line near the top, or a name quoted in a headline
(「…指引」, 《…办法》). Lines that are not names are passed over: page chrome, legislative history, publication
labels, decree numbers, running heads, addressees ("MEMORANDUM FOR ..."). Among the rest, the line that names a
kind of instrument (a declaration, act, measures, initiative, statement, 办法, 规定, 宣言, 倡议 ...) wins; then
the higher heading, then the earlier line.

The date is the one the text gives for adoption, signature or issue ("adopted at ... on August 20, 2021",
"2021年11月16日 …审议通过", "Approved: May 14, 2026"); a date the text gives for entry into force or a page
update counts only when nothing better is written. The issuer is the body the text names as adopting or issuing
it ("…等五部门公布", "Adopted at the 30th Meeting of the Standing Committee of ...", "From: Department for ...").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from govsearch.ingest import structure
from govsearch.ingest.boilerplate import DATELINE
from govsearch.ingest.segment import MARKDOWN_HEADING, Block, joined
from govsearch.records import BlockKind, Boilerplate
from govsearch.text.characters import plain_characters
from govsearch.text.dates import dates_in
from govsearch.text.instruments import names_instrument
from govsearch.text.unicode_scripts import script_language

QUOTED_NAME = re.compile(r"[「《『“\"]([^」》』”\"]{4,80})[」》』”\"]")
SHORT_TITLE = re.compile(
    r"(?:may be cited|shall be known|is cited|is known)(?:,? and may be cited,?)?\s+as\s+(?:the\s+)?[\"“']?"
    r"([A-Z][^\"”'.;\n]{3,150}?(?:Act|Law|Code|Regulations?)(?: of \d{4})?)[\"”']?(?=[.,;\s]|$)"
)
# an instrument's number standing for its name: "Executive Order 14110 of October 30, 2023", "Decree No. 790"
IDENTIFIER = re.compile(r"^(executive order|presidential memorandum|proclamation|public law|decree|order)\s+(no\.?\s*)?[\d-]+"
                        r"(\s+of\s+\w+ \d{1,2}, \d{4})?$", re.IGNORECASE)
# a legislative counsel's digest line: "SB 53, Wiener. Artificial intelligence models: large developers."
BILL_DIGEST = re.compile(r"^(?P<bill>(?:SB|AB|HB|SJR|AJR|ACR|SCR|S\.B\.|A\.B\.|H\.B\.)\s*\d+),\s*[A-Z][\w .'’-]{1,40}?\.\s+(?P<topic>[A-Z].{5,150})$")
NOT_A_NAME = [
    re.compile(r"^(the president|title \d+\s*[—–-]+\s*the president|presidential documents|the white house|enrolled|engrossed|chaptered|an act|"
               r"memorandum for\b.*|subject\s*:.*|to\s*:.*|from\s*:.*|contents|table of contents|details|summary)$", re.I),
    re.compile(r"(令|令第)\s*第?[\d一二三四五六七八九十百〇零]+\s*号$|^第[\d一二三四五六七八九十百〇零]+号$"),  # a decree number
    re.compile(r"^(decree|order|notice|circular)\b.{0,80}\bno\.?\s*\d+$", re.I),
    IDENTIFIER,
    re.compile(r"^(no\.|number)\s*\d+", re.I),
    re.compile(r"^[\d\s./:-]+$"),
    re.compile(r"^(\d{1,2}(\.\d{1,2})*|[IVX]{1,5})[.)]?\s+\S"),  # a numbered section heading ("1. Effective date")
]
PREFIX_LABEL = re.compile(r"^(subject|re|title)\s*[:：]\s*", re.IGNORECASE)
ENACTING_ISSUER = [
    re.compile(r"be it enacted by the (.{5,80}?)(?:[:,]|$)", re.I),
    re.compile(r"authority vested in me as (President|Governor)\b", re.I),
    re.compile(r"^we,? the (.{5,100}?),\s", re.I),  # "We, the Leaders of the Group of Seven (G7), ..."
    re.compile(r"the people of the (state of [a-z ]+?) do enact", re.I),
    re.compile(r"^[(（]?\s*(?:adopted|approved|promulgated) (?:at|by) (?:the )?(?:\d+\w* (?:meeting|session) of (?:the )?)?(.{5,120}?)"
               r"(?: on | at |,|[)）]|$)", re.I),
    re.compile(r"^(?:decree|order) of the (.{5,80}?)(?: of the people'?s republic of china)?(?:\s+no\.?\s*\d+)?$", re.I),
    re.compile(r"^resolution adopted by the (general assembly|security council|human rights council)\b", re.I),
    re.compile(r"^(?:the )?(european parliament and the council) of the european union\b", re.I),
]
ZH_ISSUER = [
    re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(.{2,60}?)(?:\d{4}年)?(?:第[\d一二三四五六七八九十百]+次[^\s]{0,12}?会议)?(?:审议)?(?:公布|发布|印发|通过)"),
    re.compile(r"^(.{2,40}?)(?:\d{4}年)?第[\d一二三四五六七八九十百]+次.{0,10}会议(?:审议)?通过"),
]
DATE_GOOD = re.compile(r"\b(adopt|approv|sign|issu|promulgat|publish|enact|dated\b|made at|done at)|"
                       r"通过|通過|公布|发布|發布|印发|印發|函[颁頒]|签署|簽署|发表|發表|审议|審議", re.I)
# dates of entry into force, page updates, and dates in conditions ("procured after April 1, 2020", "prior to")
DATE_BAD = re.compile(r"effect|in force|effective|施行|生效|updated|modified|accessed|更新|retired|supersed|deadline|until|"
                      r"no later|\bafter\b|\bbefore\b|prior to|\bsince\b|以前|以后|之前|之后|起", re.I)
# a preamble clause that cites other instruments: its dates are theirs ("HAVING REGARD to … the Convention … of 14
# December 1960", "Recalling its resolution 77/320 of 25 July 2023", "根据《…》")
CITING_CLAUSE = re.compile(r"^\s*(having regard|recalling|noting|reaffirming|pursuant to|in accordance with|bearing in mind|"
                           r"taking into account|根据|依据|依照)", re.I)
HEAD_BLOCKS = 14  # how far down a file the title is looked for
MIN_TITLE_SCORE = 1.0
MAX_TITLE_WORDS = 30
MAX_TITLE_CHARS = 250


@dataclass
class Guess:
    title: str = ""
    title_zh: str = ""
    issuer: str = ""
    date: str = ""
    reasons: dict[str, str] = field(default_factory=dict)  # what each guess came from, for the build summary


def guess_metadata(blocks: list[Block], front_matter: dict[str, str] | None = None) -> Guess:
    """The title, issuer and date of a document from its blocks (boilerplate included: dates and issuers are
    often in the header lines that are not indexed)."""
    front_matter = front_matter or {}
    guess = Guess()
    title, reason = _title(blocks, front_matter)
    if title:
        if script_language(title) == "zh":
            guess.title_zh = title
        else:
            guess.title = title
        guess.reasons["title"] = reason
    guess.date, guess.reasons["date"] = _date(blocks, front_matter)
    guess.issuer, guess.reasons["issuer"] = _issuer(blocks, front_matter)
    return guess


# --- title -------------------------------------------------------------------------------------------------


@dataclass
class _Candidate:
    text: str
    score: float
    reason: str


LEGAL_BASIS = re.compile(r"(根据|依据|依照|按照|遵照|为贯彻|为落实|pursuant to|under|in accordance with)\s*[《「“\"][^》」”\"]*[》」”\"]", re.I)


def _title(blocks: list[Block], front_matter: dict[str, str]) -> tuple[str, str]:
    candidates: list[_Candidate] = []
    if front_matter.get("title"):
        candidates.append(_Candidate(_clean(front_matter["title"]), 8, "the file's front matter"))
    body_text = " ".join(joined(b.text) for b in blocks if b.kind == BlockKind.BODY)
    if match := SHORT_TITLE.search(body_text):
        candidates.append(_Candidate(_clean(match.group(1)), 7, "the name the text gives itself"))
    head = [b for b in blocks if b.kind in (BlockKind.HEADING, BlockKind.BODY)][:HEAD_BLOCKS]
    for position, block in enumerate(head):
        line = _clean(block.heading or joined(block.text))
        following = head[position + 1] if position + 1 < len(head) else None
        candidates += _line_candidates(block, line, following, position)
    candidates = [c for c in candidates if c.text and not any(p.search(c.text) for p in NOT_A_NAME)
                  and not structure.chapter_heading(c.text)]  # "第二章 基本原則" is a part, not the document's name
    best = max(candidates, key=lambda c: c.score, default=None)
    if best is None or best.score < MIN_TITLE_SCORE:
        return "", ""  # nothing near the top reads as a name: better the file's name than a sentence
    return best.text, best.reason


def _line_candidates(block: Block, line: str, following: Block | None, position: int) -> list[_Candidate]:
    found = []
    level = len(MARKDOWN_HEADING.match(block.raw.strip()).group(1)) if MARKDOWN_HEADING.match(block.raw.strip()) else 0
    base = 2.0 - 0.15 * position + (2.5 if level == 1 else 1.5 if level == 2 else 1.0 if block.kind == BlockKind.HEADING else 0)
    sentence = block.kind == BlockKind.BODY and (re.search(r"[.。!?！？;；:：]$", line) or len(line.split()) > MAX_TITLE_WORDS)
    if re.fullmatch(r"an act", line, re.IGNORECASE) and following is not None:
        act = _act_title(joined(following.text))
        if act:
            found.append(_Candidate(act, base + 4, "the act's title"))
    elif re.match(r"an act (concerning|relating to|to )", line, re.IGNORECASE):
        found.append(_Candidate(_act_title(line[7:]), base + 3, "the act's title"))
    if (digest := BILL_DIGEST.match(line)) is not None:
        found.append(_Candidate(f"{digest['bill']} {digest['topic'].rstrip('.')}", base + 4, "the bill's digest line"))
    if IDENTIFIER.match(line) and following is not None:
        # "Executive Order 14110 of October 30, 2023" over its name: the name, with the number
        name = _clean(following.heading or joined(following.text))
        if 2 < len(name.split()) <= MAX_TITLE_WORDS and not re.search(r"[.:;]$", name) and not IDENTIFIER.match(name):
            number = re.sub(r"\s+of\s+.*$", "", line, flags=re.IGNORECASE)
            found.append(_Candidate(f"{number}: {name}", base + 4, "the instrument's number and name"))
    if (resolution := UN_RESOLUTION.match(line)) is not None:
        # "78/265. Seizing the opportunities …" under "Resolution adopted by the General Assembly on …"
        found.append(_Candidate(f"Resolution {resolution[1]}: {resolution[2].rstrip('.')}", base + 5, "the resolution's number and title"))
    line = PREFIX_LABEL.sub("", line)
    # a headline quotes the name of what it announces; a sentence (an article's "根据《网络安全法》，制定本办法")
    # quotes the law it rests on, which is another document
    for quoted in [] if sentence else QUOTED_NAME.findall(LEGAL_BASIS.sub("", line)):
        if names_instrument(quoted):
            found.append(_Candidate(_clean(quoted), base + 4, "a name quoted in the headline"))
    if 2 <= len(line) <= MAX_TITLE_CHARS and not sentence:  # a sentence is no name (though it may quote one)
        found.append(_Candidate(_title_case(line), base + (3 if names_instrument(line) else 0), "a heading near the top"))
    return found


def _act_title(text: str) -> str:
    """ "CONCERNING THE USE OF ..., AND, IN CONNECTION THEREWITH, ..." → "An Act Concerning the Use of ..." """
    text = re.split(r",?\s+and,? in connection therewith|[.;]", text, maxsplit=1, flags=re.IGNORECASE)[0].strip(" ,")
    if not re.match(r"(concerning|relating to|to |for )", text, re.IGNORECASE) or len(text) > MAX_TITLE_CHARS:
        return ""
    return _title_case("An Act " + text)


UN_RESOLUTION = re.compile(r"^(\d{2,3}/\d{1,4})\.\s+([A-Z].{10,300})$")
ABBREVIATION_IN_BRACKETS = re.compile(r"[(（][A-Z]{2,6}[)）][,.;:]?")
SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with", "from", "into"}


def _title_case(text: str) -> str:
    """A title written in capitals, in title case ("AN ACT CONCERNING THE USE OF" → "An Act Concerning the Use of")."""
    letters = [c for c in text if c.isalpha() and c.isascii()]
    if not letters or sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return text
    out = []
    for i, word in enumerate(text.split(" ")):
        lower = word.lower()
        if ABBREVIATION_IN_BRACKETS.fullmatch(word):
            out.append(word)  # "(EU)", "(AI)": an abbreviation stays one
        elif i and lower in SMALL_WORDS:
            out.append(lower)
        else:
            out.append(re.sub(r"[a-z]", lambda m: m.group().upper(), lower, count=1))  # "(widget" → "(Widget"
    return " ".join(out)


def _clean(text: str) -> str:
    text = plain_characters(text).replace("’", "'").replace("‘", "'")
    text = re.sub(r"\*\*|__|\\", "", text)
    return " ".join(text.split()).strip(" #")


# --- date --------------------------------------------------------------------------------------------------


def _date(blocks: list[Block], front_matter: dict[str, str]) -> tuple[str, str]:
    scored: list[tuple[float, int, int, str, str]] = []
    if front_matter.get("date"):
        for found in dates_in(str(front_matter["date"])):
            scored.append((4.0, -1, 0, found.iso, "the file's front matter"))
    for position, block in enumerate(blocks):
        text = joined(block.text)
        dateline = DATELINE.match(text.strip())
        # a date alone on its line is read with the line above it ("Published" / "29 March 2023", a signature)
        before = joined(blocks[position - 1].text) + " " if dateline and position else ""
        if CITING_CLAUSE.match(text):
            continue  # its dates are those of the instruments it cites
        for found in dates_in(text):
            context = before + text[max(0, found.start - 80): found.end + 40]
            score = 0.0
            if DATE_GOOD.search(context):
                score += 3
            if DATE_BAD.search(before + text[max(0, found.start - 60): found.end + 15]):
                score -= 4
            elif dateline and (position < HEAD_BLOCKS or position >= len(blocks) - 5):
                score += 3.5  # the document's date as printed at its head or under its signature
            if block.kind == BlockKind.BOILERPLATE and block.boilerplate in (Boilerplate.LEGISLATIVE_HISTORY, Boilerplate.PUBLICATION):
                score += 1.5
            if block.kind == BlockKind.HEADING:
                score += 1
            score -= 0.02 * min(position, 100)
            scored.append((score, position, found.start, found.iso, "the text, near “" + context.strip()[:60] + "”"))
    if not scored:
        return "", ""
    *_, iso, reason = max(scored, key=lambda s: (s[0], -s[1], -s[2]))
    return iso, reason


# --- issuer ------------------------------------------------------------------------------------------------


def _issuer(blocks: list[Block], front_matter: dict[str, str]) -> tuple[str, str]:
    for key in ("issuer", "author", "publisher", "organization", "organisation"):
        if front_matter.get(key):
            return _clean(front_matter[key]), "the file's front matter"
    head = blocks[:HEAD_BLOCKS * 2]
    for i, block in enumerate(head):
        text = _clean(joined(block.text))
        if re.fullmatch(r"from\s*[:：]?", text, re.IGNORECASE) and i + 1 < len(head):
            return _clean(joined(head[i + 1].text)), "the page's From: line"
        for pattern in ZH_ISSUER:
            if match := pattern.search(text):
                return match.group(1).strip(" ，,"), "the adoption note"
    for block in blocks:
        text = _clean(joined(block.text))
        for pattern in ENACTING_ISSUER:
            if match := pattern.search(text):
                return _body_name(_strip_article(match.group(1))), "the enacting or adoption clause"
    return "", ""


CROWN = re.compile(r"(king|queen)'?s most excellent majesty", re.I)
UN_ORGANS = re.compile(r"general assembly|security council|human rights council", re.I)


def _body_name(name: str) -> str:
    """An issuing body's name as a reader writes it: "EUROPEAN PARLIAMENT AND THE COUNCIL" → "European Parliament
    and the Council", "General Assembly" (of a UN resolution) → "United Nations General Assembly", the Crown in an
    Act's enacting formula → "Parliament of the United Kingdom"."""
    name = _title_case(name)
    if CROWN.match(name):
        return "Parliament of the United Kingdom"  # "BE IT ENACTED by the King's most Excellent Majesty, … Parliament"
    return f"United Nations {name.title()}" if UN_ORGANS.fullmatch(name) else name


def _strip_article(text: str) -> str:
    return re.sub(r"^the\s+", "", text.strip(" ,.;:"), flags=re.IGNORECASE)
