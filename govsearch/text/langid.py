"""Language of a passage: langdetect, seeded so it is deterministic, with a script-based fallback."""
from __future__ import annotations

from functools import lru_cache

from govsearch.text.unicode_scripts import cjk_ratio, script_language

MIN_CHARS_FOR_LANGDETECT = 40
MIN_PROBABILITY = 0.90


@lru_cache(maxsize=1)
def _factory():
    from langdetect import DetectorFactory

    factory = DetectorFactory()  # our own, seeded: langdetect's global factory is left alone
    from langdetect.detector_factory import PROFILES_DIRECTORY

    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)
    return factory


def detect_language(text: str) -> str:
    """ISO 639-1 code ('en', 'zh', ...); 'und' when the text has no letters.

    Short or mixed-script text goes by script: langdetect is unreliable on a heading or a line
    that mixes a Chinese title with an English name.
    """
    by_script = script_language(text)
    if by_script is None:
        return "und"
    ratio = cjk_ratio(text)
    if len(text.strip()) < MIN_CHARS_FOR_LANGDETECT or 0.15 < ratio < 0.85:
        return by_script
    from langdetect.lang_detect_exception import LangDetectException

    try:
        detector = _factory().create()
        detector.append(text)
        best = detector.get_probabilities()[0]
    except LangDetectException:
        return by_script
    code = "zh" if best.lang.startswith("zh") else best.lang
    return code if best.prob >= MIN_PROBABILITY else by_script
