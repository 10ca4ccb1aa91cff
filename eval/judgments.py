"""Judged queries: loaded from queries.yaml, anchors resolved to version groups at run time."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from govsearch.text.unicode_scripts import CJK, HAS_CJK

SPACE_IN_CHINESE = re.compile(f"(?<=[{CJK}，、。；：])\\s+(?=[{CJK}])")

QUERIES = Path(__file__).with_name("queries.yaml")


class JudgmentError(ValueError):
    """An anchor no longer resolves to a passage: the judgments need updating."""


@dataclass
class Judged:
    id: str
    query: str
    kind: str
    language: str  # of the query
    relevant: dict[str, int] = field(default_factory=dict)  # group → grade
    addressed: set[str] = field(default_factory=set)  # documents with a grade-2 statement
    related: set[str] = field(default_factory=set)  # documents with any judged statement
    pair: str = ""  # "zh→en-only", "en→zh-only" or "same-language" (or "none" for unaddressed topics)
    split: str = "dev"  # "test": held out, no parameter is chosen on it


def _norm(text: str) -> str:
    """Case and spacing ignored; a space inside Chinese (a line wrap in the received file) is no space."""
    return SPACE_IN_CHINESE.sub("", " ".join(text.casefold().split()))


def load_judgments(passages, path: Path = QUERIES) -> list[Judged]:
    """Resolve every anchor against the passages; raise JudgmentError listing every one that fails."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["queries"]
    by_doc: dict[str, list] = {}
    for p in passages:
        by_doc.setdefault(p.document_id, []).append(p)
    group_languages: dict[str, set[str]] = {}
    for p in passages:
        group_languages.setdefault(p.group, set()).add(p.language)
    problems, judged = [], []
    for row in raw:
        language = "zh" if HAS_CJK.search(row["query"]) else "en"
        item = Judged(row["id"], row["query"], row["kind"], language, split=row.get("split", "dev"))
        if item.split not in ("dev", "test"):
            problems.append(f"{row['id']}: split {item.split!r} is neither dev nor test")
        for rel in row.get("relevant") or []:
            anchor = _norm(rel["anchor"])
            groups = {p.group for p in by_doc.get(rel["doc"], []) if anchor in _norm(p.text)}
            if not groups:
                problems.append(f"{row['id']}: anchor {rel['anchor']!r} is in no passage of {rel['doc']}")
                continue
            for group in groups:
                item.relevant[group] = max(item.relevant.get(group, 0), int(rel["grade"]))
            item.related.add(rel["doc"])
            if rel["grade"] >= 2:
                item.addressed.add(rel["doc"])
        if item.relevant:
            languages = set().union(*(group_languages[g] for g in item.relevant))
            other = "en" if language == "zh" else "zh"
            item.pair = f"{language}→{other}-only" if language not in languages else "same-language"
        else:
            item.pair = "none"
        judged.append(item)
    if problems:
        raise JudgmentError("judgments no longer resolve:\n  " + "\n  ".join(problems))
    return judged
