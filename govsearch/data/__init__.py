"""Tables shipped with the package, edited by hand: the Chinese–English glossary, English abbreviations and
the unscrambling table for word-substituted Chinese."""
from __future__ import annotations

from importlib import resources


def read_tsv(name: str) -> list[list[str]]:
    """The rows of a bundled tab-separated table (fields stripped), without blank lines and # comments."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return [[field.strip() for field in line.split("\t")] for line in text.splitlines()
            if line.strip() and not line.startswith("#")]
