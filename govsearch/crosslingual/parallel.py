"""Whether a Chinese and an English paragraph translate each other, by dictionary overlap (version linking)."""
from __future__ import annotations

from functools import lru_cache

from govsearch.crosslingual.dictionary import renderings
from govsearch.text.analysis import TOKEN, ZH_STOPWORDS, en_tokens, zh_cut
from govsearch.text.unicode_scripts import HAS_CJK

PREFIX = 6  # English words this long or longer also match on their first PREFIX letters


@lru_cache(maxsize=50_000)
def _rendering_tokens(word: str) -> tuple[frozenset, ...]:
    """Each rendering of a Chinese word as its set of analysed English tokens."""
    return tuple(dict.fromkeys(s for s in (frozenset(en_tokens(g)) for g in renderings(word)) if s))


@lru_cache(maxsize=4096)
def _zh_units(zh: str) -> tuple[tuple[frozenset, ...], ...]:
    """The content words of a Chinese text (with repeats) as their renderings; Latin words render as
    themselves, words without any rendering are left out."""
    units = []
    for w in zh_cut(zh):
        if HAS_CJK.search(w):
            if w not in ZH_STOPWORDS:
                found = _rendering_tokens(w)
                if found:
                    units.append(found)
        elif TOKEN.fullmatch(w.lower()):
            units += [(frozenset([t]),) for t in en_tokens(w)]
    return tuple(units)


@lru_cache(maxsize=4096)
def _en_vocabulary(en: str) -> tuple[frozenset, frozenset]:
    """An English text's analysed words, and the PREFIX-letter beginnings of its longer ones."""
    tokens = frozenset(en_tokens(en))
    return tokens, frozenset(t[:PREFIX] for t in tokens if len(t) >= PREFIX)


def translation_score(zh: str, en: str) -> float:
    """Share of the Chinese text's content words (with repeats) having a rendering whose words all occur in
    the English text, in [0, 1]. English words are compared after en_tokens; words of six or more letters
    also match on their first six (governance ~ govern, representation ~ representative)."""
    if not zh or not en:
        return 0.0
    units = _zh_units(zh)
    if not units:
        return 0.0
    tokens, prefixes = _en_vocabulary(en)
    if not tokens:
        return 0.0

    def present(token: str) -> bool:
        return token in tokens or (len(token) >= PREFIX and token[:PREFIX] in prefixes)

    hits = sum(any(all(present(t) for t in rendering) for rendering in unit) for unit in units)
    return hits / len(units)


