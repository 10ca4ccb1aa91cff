"""Questions of common shapes and the passages that answer them, so the one can be lifted for the other: what a
term means (a definitions article or appendix, "“X” means …", "X，是指 …"), when something takes effect, closes or
is due (a passage that gives a date: "本办法自2026年7月15日起施行", "closed on 21 June 2023"), and, more narrowly,
when an instrument comes into force (its commencement clause, which every law has in one of a few wordings)."""
from __future__ import annotations

import re

_ASKS = re.compile(r"\b(defin(e|es|ed|ition|itions)|meaning of|what (is|are) meant by|the term|stands? for)\b"
                   r"|定义|定義|含义|含義|是指|指的是|什么是|什麼是|是什么|是什麼|何谓|何謂|用语|用語", re.I)
_DEFINES = re.compile(
    r"[\"“”'‘][^\"“”'’\n]{2,80}[\"”'’]\s*(\([^)]{1,40}\)\s*)?(means|mean|refers? to|has the meaning|includes)\b"
    r"|\b(means|refers to)\b[^.]{0,40}\b(any|a|an|the)\b"
    r"|(，|,)?\s*是指|下列用语的含义|下列用語的含義|本(法|条例|办法|规定)所称|用语含义|術語|术语", re.I)
_DEFINITIONS_HEADING = re.compile(r"\bdefinitions?\b|\binterpretation\b|定义|定義|用语|用語|术语|術語|含义", re.I)


def asks_for_definition(query: str) -> bool:
    return bool(_ASKS.search(query))


def defines(text: str, section: str = "") -> bool:
    """A passage that defines one or more terms, by its wording or its heading."""
    return bool(_DEFINES.search(text) or _DEFINITIONS_HEADING.search(section))


# When something takes effect, closes or is due: a question that asks when, and the passages that give a date.
_ASKS_WHEN = re.compile(r"\b(when|what date|which date|effective date|come into (force|effect)|take effect|takes effect|"
                        r"in force|deadline|until when|by when)\b|何时|何時|什么时候|什麼時候|哪天|哪一天|日期|施行|生效|截止|起算",
                        re.I)
_DATE = re.compile(r"\b(1[89]|20)\d\d\b|\d{4}\s*年\s*\d{1,2}\s*月|\b\d{1,2}\s+(January|February|March|April|May|June|July|"
                   r"August|September|October|November|December)\b|\b(January|February|March|April|May|June|July|August|"
                   r"September|October|November|December)\s+\d{1,2}\b|[〇零一二三四五六七八九]{4}年", re.I)


def asks_when(query: str) -> bool:
    return bool(_ASKS_WHEN.search(query))


def states_date(text: str) -> bool:
    return bool(_DATE.search(text))


# When an instrument takes effect: the question, and the commencement clause that answers it.
_ASKS_COMMENCEMENT = re.compile(r"\b(take|takes|took) effect|\b(come|comes|came|enter|enters|entered) into (force|effect)|"
                                r"\beffective date|\bin force\b|施行|生效", re.I)
_COMMENCEMENT = re.compile(r"自.{0,20}起(施行|生效)|施行日期|\bshall (take effect|come into (force|effect)|enter into force)|"
                           r"\btakes? effect\b|\benters? into force|\bcomes? into (force|effect)|"
                           r"\b(be|is|are|becomes?) effective (on|from|as of)\b|\beffective (as of|on|from) ", re.I)


def asks_commencement(query: str) -> bool:
    return bool(_ASKS_COMMENCEMENT.search(query))


def states_commencement(text: str) -> bool:
    return bool(_COMMENCEMENT.search(text))
