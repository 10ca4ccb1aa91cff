"""python -m eval.metadata: the metadata guesser measured against a hand-written catalog, with the catalog hidden.

    python -m eval.metadata                          # the wide corpus (eval/wide/corpus)
    python -m eval.metadata --corpus DIR [--json]

Every file the catalog describes is ingested as if no catalog existed, and the title and date found in its text
are compared with the catalog's: the title with the document's English or Chinese title (whichever language the
guess is in), the date with its date. A title counts as right when, ignoring case, spacing and punctuation, it
is the catalog's title or shares at least 80 % of its words with it (characters, for Chinese). A date is judged
only where the text states the catalog's date; elsewhere the text cannot tell.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDE = ROOT / "eval" / "wide" / "corpus"
TITLE_OVERLAP = 0.8


@dataclass
class FileResult:
    file: str
    document: str
    truth_title: str
    guessed_title: str
    title_right: bool
    truth_date: str
    guessed_date: str
    date_stated: bool  # the text writes the catalog's date somewhere
    date_right: bool
    issuer: str


def evaluate(corpus_dir: Path) -> list[FileResult]:
    from govsearch.ingest.catalog import CATALOG_NAME, load_catalog
    from govsearch.ingest.corpus import load_corpus

    catalog = load_catalog(corpus_dir)
    with tempfile.TemporaryDirectory() as tmp:
        hidden = Path(tmp) / "corpus"
        shutil.copytree(corpus_dir, hidden)
        # the catalog hidden, but not its list of files that are not documents
        (hidden / CATALOG_NAME).write_text(json.dumps({"ignore": list(catalog.ignore)}), encoding="utf-8")
        guessed = load_corpus(hidden)
    by_file = {Path(g.source).name: g for g in guessed.guessed}
    results = []
    for entry in catalog.documents:
        for version in entry.versions:
            guess = by_file.get(Path(version.file).name)
            if guess is None:
                continue
            document = next(d for d in guessed.documents if d.id == guess.document_id)
            title = document.title_zh if _is_chinese(document.title) or not document.title else document.title
            truth = entry.title_zh if _is_chinese(title) and entry.title_zh else entry.title
            text = guessed.texts[guess.source]
            stated = entry.date in {d.iso for d in _dates(text)}
            results.append(FileResult(
                Path(version.file).name, entry.id, truth, title, same_title(title, truth),
                entry.date, document.date, stated, document.date == entry.date, document.issuer,
            ))
    return results


def same_title(guess: str, truth: str) -> bool:
    a, b = _tokens(guess), _tokens(truth)
    if not a or not b:
        return False
    if "".join(a) == "".join(b):
        return True
    common = sum(min(a.count(t), b.count(t)) for t in set(a))
    return common / len(b) >= TITLE_OVERLAP and common / len(a) >= TITLE_OVERLAP


def _tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.findall(r"[a-z0-9]+|[\u3400-\u9fff]", text)


def _is_chinese(text: str) -> bool:
    from govsearch.text.unicode_scripts import script_language

    return script_language(text) == "zh"


def _dates(text: str):
    from govsearch.text.dates import dates_in

    return dates_in(text)


def report(results: list[FileResult]) -> dict:
    titles = sum(r.title_right for r in results)
    stated = [r for r in results if r.date_stated]
    return {
        "files": len(results),
        "titles_right": titles, "title_accuracy": round(titles / max(1, len(results)), 3),
        "dates_stated": len(stated), "dates_right": sum(r.date_right for r in stated),
        "date_accuracy": round(sum(r.date_right for r in stated) / max(1, len(stated)), 3),
        "issuers_found": sum(bool(r.issuer) for r in results),
        "results": [asdict(r) for r in results],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.metadata", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=WIDE)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    summary = report(evaluate(args.corpus))
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
        return 0
    for r in summary["results"]:
        mark = "ok " if r["title_right"] else "XX "
        date = ("ok" if r["date_right"] else "XX") if r["date_stated"] else "--"
        print(f"{mark} date {date} {r['file']}: {r['guessed_title'][:70]!r} (catalog: {r['truth_title'][:50]!r}) "
              f"{r['guessed_date'] or '?'} vs {r['truth_date']}; issuer {r['issuer'][:40]!r}")
    print(f"\ntitles right: {summary['titles_right']}/{summary['files']} ({summary['title_accuracy']:.0%}); "
          f"dates right where the text states them: {summary['dates_right']}/{summary['dates_stated']} "
          f"({summary['date_accuracy']:.0%}); issuer found for {summary['issuers_found']}/{summary['files']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
