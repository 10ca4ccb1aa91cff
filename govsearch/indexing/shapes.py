"""What the question-shape lifts need of each passage (retrieval/fusion.py): whether it defines terms, whether it
gives a date or says when the instrument takes effect, and which parts of an instrument it belongs to. Found once
when the index is built and stored with it: reading them off 100,000 passages with the regular expressions of
text/definitions.py and text/references.py took ~8 s of every start."""
from __future__ import annotations

from dataclasses import dataclass, field

from govsearch.records import Passage
from govsearch.text.definitions import defines, states_commencement, states_date
from govsearch.text.references import passage_references


@dataclass
class PassageShapes:
    defining: list[int] = field(default_factory=list)  # positions of passages that define terms
    dated: list[int] = field(default_factory=list)  # positions of passages that give a date
    commencing: list[int] = field(default_factory=list)  # positions of passages that say when the instrument takes effect
    parts: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # (kind, number) → positions

    @classmethod
    def of(cls, passages: list[Passage]) -> PassageShapes:
        shapes = cls()
        for i, p in enumerate(passages):
            if defines(p.text, p.section):
                shapes.defining.append(i)
            if states_date(p.text):
                shapes.dated.append(i)
            if states_commencement(p.text):
                shapes.commencing.append(i)
            for reference in passage_references(p.article, p.section):
                shapes.parts.setdefault(reference, []).append(i)
        return shapes

    def as_json(self) -> dict:
        return {"defining": self.defining, "dated": self.dated, "commencing": self.commencing,
                "parts": [[kind, number, positions] for (kind, number), positions in self.parts.items()]}

    @classmethod
    def from_json(cls, row: dict) -> PassageShapes:
        return cls(list(row["defining"]), list(row["dated"]), list(row["commencing"]),
                   {(kind, number): list(positions) for kind, number, positions in row["parts"]})
