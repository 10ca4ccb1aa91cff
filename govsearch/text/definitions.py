"""Definitions: a question that asks what a term means, and the passages that define terms (a definitions
article or appendix, "“X” means …", "X，是指 …"), so the one can be lifted for the other."""
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
