"""Unicode scripts: which characters are Han (Chinese) or Latin, and which script a text is mostly in.
The one definition of the CJK ranges the rest of the code uses."""
from __future__ import annotations

import re

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han ideographs (extension A, unified, compatibility)
CJK_PUNCTUATION = r"\u3000-\u303f\uff00-\uffef"  # CJK symbols and punctuation, full-width forms
CJK_CHAR = re.compile(f"[{CJK}]")
HAS_CJK = CJK_CHAR
LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")


def cjk_ratio(text: str) -> float:
    """Share of CJK characters among letters (CJK + Latin)."""
    cjk = len(CJK_CHAR.findall(text))
    latin = len(LATIN_LETTER.findall(text))
    return cjk / (cjk + latin) if cjk + latin else 0.0


def script_language(text: str) -> str | None:
    """'zh' or 'en' by script alone, or None when the text has no letters."""
    cjk = len(CJK_CHAR.findall(text))
    latin = len(LATIN_LETTER.findall(text))
    if not cjk and not latin:
        return None
    # One CJK character carries about as much as a short English word.
    return "zh" if cjk * 3 >= latin else "en"
