"""Search results as Markdown, CSV and JSON, with full citations."""
from __future__ import annotations

import csv
import io
import json

COLUMNS = ["rank", "score", "citation", "title", "issuer", "date", "language", "role", "section", "ordinal",
           "passage_id", "source", "start", "end", "sentence", "text"]


def to_json(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=1)


def to_csv(result: dict) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for hit in result["hits"]:
        writer.writerow(hit)
    return buffer.getvalue()


def to_markdown(result: dict) -> str:
    lines = [f"# Search: {_md(result['query'])}", ""]
    if result.get("answer"):
        lines += [f"**Answer.** {_md(result['answer']['answer'])}", ""]
        lines += [f"[{c['number']}] {_md(c['citation'])}" for c in result["answer"]["citations"]] + [""]
    for hit in result["hits"]:
        lines += [
            f"## {hit['rank']}. {_md(hit['citation'])}", "",
            f"> {_md(hit['text'])}", "",
            f"Source: `{hit['source']}` characters {hit['start']}–{hit['end']} · {hit['role']} · score {hit['score']:.3f}", "",
        ]
    return "\n".join(lines)


def _md(text: str) -> str:
    """Text that Markdown shows literally."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()<>#+-.!|" else ch for ch in text.replace("\n", " "))
