"""Search results as Markdown, CSV and JSON, with full citations."""
from __future__ import annotations

import atexit
import csv
import io
import json
import shutil
import tempfile
import threading
from pathlib import Path

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


WRITERS = {"md": to_markdown, "csv": to_csv, "json": to_json}
KEPT_EXPORTS = 200  # newest export files kept on disk (Gradio serves each from its own cache once handed over)


class ExportFolder:
    """Export files, each in its own folder (two sessions exporting at once never share a file), under one
    temporary folder made at the first export and removed when the process exits."""

    def __init__(self):
        self._root: Path | None = None
        self._lock = threading.Lock()

    def write(self, result: dict, fmt: str) -> Path:
        with self._lock:
            if self._root is None:
                self._root = Path(tempfile.mkdtemp(prefix="govsearch-exports-"))
                atexit.register(shutil.rmtree, self._root, True)
            self._prune()
            folder = Path(tempfile.mkdtemp(dir=self._root))
        path = folder / f"govsearch-results.{fmt}"
        path.write_text(WRITERS[fmt](result), encoding="utf-8")
        return path

    @property
    def root(self) -> Path | None:
        return self._root

    def _prune(self) -> None:
        folders = sorted(self._root.iterdir(), key=lambda p: p.stat().st_mtime)
        for old in folders[: max(0, len(folders) - KEPT_EXPORTS + 1)]:
            shutil.rmtree(old, ignore_errors=True)
