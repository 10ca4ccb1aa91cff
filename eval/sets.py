"""The judged sets: a corpus and the queries judged on it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@dataclass(frozen=True)
class EvalSet:
    name: str
    corpus: Path
    queries: Path
    note: str


SETS = {
    "seed": EvalSet("seed", ROOT / "corpus", HERE / "queries.yaml",
                    "the 5 seed files (7 declarations, 92 passages); every parameter was first chosen on these queries"),
    "wide": EvalSet("wide", HERE / "wide" / "corpus", HERE / "wide" / "queries.yaml",
                    "15 real AI-governance texts nobody tuned for; queries written before any tuning, a third held out (test)"),
}
