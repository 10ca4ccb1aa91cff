"""Plain characters for the typographic forms PDFs and web pages hand over: ligatures ("ﬁ" for "fi", which split
"artiﬁcial" into two words a search never meets), soft hyphens and zero-width characters inside words, no-break
spaces, and full-width Latin letters and digits in Chinese text ("ＡＩ", "２０２３年"). Chinese full-width
punctuation and the ideographic space stay as they are."""
from __future__ import annotations

_TABLE = {
    **{ord(k): v for k, v in {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                              "\ufb05": "st", "\ufb06": "st"}.items()},
    **{ord(ch): "" for ch in "\u00ad\u200b\u200c\u200d\u2060\ufeff"},
    **{ord(ch): " " for ch in "\u00a0\u2007\u202f"},
    **{0xFF10 + i: chr(0x30 + i) for i in range(10)},  # ０-９
    **{0xFF21 + i: chr(0x41 + i) for i in range(26)},  # Ａ-Ｚ
    **{0xFF41 + i: chr(0x61 + i) for i in range(26)},  # ａ-ｚ
}


def plain_characters(text: str) -> str:
    return text.translate(_TABLE)
