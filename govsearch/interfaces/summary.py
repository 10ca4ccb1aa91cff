"""Readable renderings of the corpus: the summary printed after a build and the CLI tables."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from govsearch.ingest.corpus import Corpus
from govsearch.records import RepairKind


def table(rows: list[list[str]], headers: list[str]) -> str:
    """Aligned columns; East Asian characters count two columns wide (tabulate measures them with wcwidth)."""
    from tabulate import tabulate

    return tabulate(rows, headers, tablefmt="simple", disable_numparse=True)


def clip(text: str, width: int) -> str:
    """text cut to `width` display columns, with an ellipsis when cut."""
    from wcwidth import wcwidth

    out, used = "", 0
    for ch in text:
        w = max(0, wcwidth(ch))
        if used + w > width - 1:
            return out + "…"
        out, used = out + ch, used + w
    return out


def corpus_summary(corpus: Corpus) -> str:
    counts = Counter(p.version_id for p in corpus.passages)
    rows = [
        [v.id, v.language, v.role, str(counts[v.id]), v.source]
        for d in corpus.documents for v in d.versions
    ]
    repairs = Counter(r.kind for r in corpus.repairs)
    junk = Counter(r.before for r in corpus.repairs if r.kind == RepairKind.JUNK)
    languages = Counter(p.language for p in corpus.passages)
    lines = [
        f"Corpus: {len(corpus.documents)} documents, {len(rows)} versions, {len(corpus.passages)} passages "
        f"(fingerprint {corpus.fingerprint})",
        "",
        table(rows, ["version", "lang", "role", "passages", "source"]),
        "",
        "Languages: " + ", ".join(f"{lang} {n}" for lang, n in languages.most_common()),
        "Repairs: " + (", ".join(f"{kind} {n}" for kind, n in sorted(repairs.items())) or "none"),
        "Junk removed: " + (", ".join(f"{token!r} ×{n}" for token, n in junk.most_common()) or "none"),
        "Groups: " + f"{len({p.group for p in corpus.passages})} distinct statements",
    ]
    if corpus.skipped:
        lines.append("Files skipped:")
        lines += [f"  {s.source}: {s.reason}" for s in corpus.skipped]
    else:
        lines.append("Files skipped: none")
    if corpus.warnings:
        lines.append("Warnings:")
        lines += [f"  {w}" for w in corpus.warnings]
    if corpus.guessed:
        lines += ["", "Found without a catalog entry (metadata guessed from the text; fix a guess once with the command shown):"]
        lines += [line for guessed in corpus.guessed for line in _guessed(corpus, guessed)]
    return "\n".join(lines)


def _guessed(corpus: Corpus, guessed) -> list[str]:
    document = next((d for d in corpus.documents if d.id == guessed.document_id), None)
    if document is None:
        return []
    reasons = guessed.guess.reasons
    what = [f"title {document.title!r}" + (f" ({reasons['title']})" if reasons.get("title") else " (the file name: no title found)"),
            f"issuer {document.issuer!r}" if document.issuer else "issuer unknown",
            f"date {document.date}" if document.date else "date unknown"]
    options = [f'--title "{document.title}"'] + ([f'--issuer "{document.issuer}"'] if document.issuer else ['--issuer "..."']) \
        + ([f"--date {document.date}"] if document.date else ["--date YYYY-MM-DD"])
    folder = Path(guessed.source).parent.as_posix()
    return [f"  {guessed.source}: {', '.join(what)}",
            f"    python -m govsearch add {guessed.source} --corpus {folder} {' '.join(options)}"]


def documents_table(corpus: Corpus) -> str:
    counts = Counter(p.version_id for p in corpus.passages)
    rows = []
    for d in corpus.documents:
        versions = ", ".join(f"{v.language}/{v.role} ({counts[v.id]})" for v in d.versions)
        rows.append([d.id, clip(d.title, 48), clip(d.issuer, 32), d.date or "?", versions])
    return table(rows, ["id", "title", "issuer", "date", "versions (passages)"])


def passages_table(corpus: Corpus) -> str:
    rows = [
        [p.id, p.language, str(p.ordinal), clip(p.section, 20), f"{p.start}-{p.end}", clip(p.text, 60)]
        for p in corpus.passages
    ]
    return table(rows, ["id", "lang", "§", "section", "span", "text"])
