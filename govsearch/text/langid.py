"""Language of a version and of its passages, among the languages the text's script supports.

A text's script decides first: Han characters without kana or hangul are Chinese (never Korean or Japanese),
kana Japanese, hangul Korean. Latin-script text goes to langdetect (seeded, so deterministic), which tells
English from French or Spanish when the text is long enough to tell. A passage takes its version's language
unless its own script clearly says otherwise: a line of numbers, a reference or a short heading is in the
language of the text around it.
"""
from __future__ import annotations

import re
from functools import lru_cache

from govsearch.text.unicode_scripts import CJK_CHAR, LATIN_LETTER, script_language

MIN_CHARS_FOR_LANGDETECT = 40
MIN_PROBABILITY = 0.90
KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")
HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
MIN_OWN_HAN = 12  # a passage needs this many Chinese characters to differ from its version's language ...
MIN_OWN_LATIN = 40  # ... or this many Latin letters


@lru_cache(maxsize=1)
def _factory():
    from langdetect import DetectorFactory

    factory = DetectorFactory()  # our own, seeded: langdetect's global factory is left alone
    from langdetect.detector_factory import PROFILES_DIRECTORY

    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)
    return factory


def detect_language(text: str) -> str:
    """ISO 639-1 code ('en', 'zh', ...); 'und' when the text has no letters."""
    by_script = script_language(text)
    if by_script == "zh" or KANA.search(text) or HANGUL.search(text):
        return _east_asian(text)
    return "und" if by_script is None else _latin(text)


def _east_asian(text: str) -> str:
    han, kana, hangul = len(CJK_CHAR.findall(text)), len(KANA.findall(text)), len(HANGUL.findall(text))
    if hangul > max(han, kana) * 0.5:
        return "ko"
    if kana > 0.05 * (han + kana):
        return "ja"
    return "zh"


def _latin(text: str) -> str:
    """langdetect among the Latin-script languages; English when it cannot tell."""
    if len(LATIN_LETTER.findall(text)) < MIN_CHARS_FOR_LANGDETECT:
        return "en"
    from langdetect.lang_detect_exception import LangDetectException

    try:
        detector = _factory().create()
        detector.append(text)
        candidates = detector.get_probabilities()
    except LangDetectException:
        return "en"
    best = next((c for c in candidates if c.lang not in ("zh-cn", "zh-tw", "ja", "ko")), None)
    return best.lang if best is not None and best.prob >= MIN_PROBABILITY else "en"


def passage_language(text: str, version_language: str) -> str:
    """The version's language, unless the passage is long enough in another script to have its own."""
    script = script_language(text)
    if script is None or version_language == "und":
        return detect_language(text) if version_language == "und" else version_language
    if script == _script_of(version_language):
        return version_language
    enough = len(CJK_CHAR.findall(text)) >= MIN_OWN_HAN if script == "zh" else len(LATIN_LETTER.findall(text)) >= MIN_OWN_LATIN
    return detect_language(text) if enough else version_language


def _script_of(language: str) -> str:
    return "zh" if language in ("zh", "ja", "ko") else "en"
