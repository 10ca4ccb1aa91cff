"""python -m eval: the judged sets (seed and wide) → nDCG@10, MRR@10, Recall@5/10 per mode, by language
direction and kind of query, compare accuracy and answer quality; the wide set per split (dev, test).

    python -m eval                           # both sets, default encoder; writes eval/results/latest.{md,json,png}
    python -m eval --json                    # one JSON object: {"sets": {"seed": M, "wide": M}} on stdout
    python -m eval --sets wide               # one set
    python -m eval --encoders ensemble,use,e5   # several encoders side by side
    python -m eval --check-floors            # exit 1 when a floor in eval/floors.json is missed by more than 0.02
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from eval.judgments import load_judgments
from eval.measure import bitext_check, run_set, significance, summarise
from eval.report import chart, lookup, markdown, table, views
from eval.sets import ROOT, SETS

RESULTS = Path(__file__).with_name("results")
FLOORS = Path(__file__).with_name("floors.json")
TOLERANCE = 0.02


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--encoders", default="ensemble", help="comma-separated encoder specs (default: ensemble)")
    parser.add_argument("--sets", default=",".join(SETS), help=f"comma-separated judged sets ({', '.join(SETS)})")
    parser.add_argument("--index-root", type=Path, default=ROOT / ".cache" / "eval-index",
                        help="where the evaluation keeps one index per set and encoder")
    parser.add_argument("--check-floors", action="store_true", help="fail when below the recorded floors")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object instead of tables")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.sets.split(",") if n.strip()]
    unknown = [n for n in names if n not in SETS]
    if unknown:
        parser.error(f"unknown set {unknown[0]!r}; known: {', '.join(SETS)}")

    started = time.time()
    report = {"generated": time.strftime("%Y-%m-%d %H:%M"), "encoders": {}}
    for spec in [s.strip() for s in args.encoders.split(",") if s.strip()]:
        report["encoders"][spec] = evaluate_encoder(spec, names, args.index_root, quiet=args.json)
    report["seconds"] = round(time.time() - started, 1)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    (args.out / "latest.md").write_text(markdown(report), encoding="utf-8")
    chart(report, args.out / "latest.png")
    first = next(iter(report["encoders"].values()))
    if args.json:
        print(json.dumps({"encoder": first["spec"], "sets": first["sets"]}, ensure_ascii=False, indent=1))
    else:
        print(table(report))
        print(f"wrote {args.out / 'latest.md'}, latest.json, latest.png in {report['seconds']} s")
    if args.check_floors:
        return check_floors(report)
    return 0


def evaluate_encoder(spec: str, names: list[str], index_root: Path, quiet: bool = False) -> dict:
    from govsearch.retrieval.opening import ensure_engine

    result = {"spec": spec, "model": None, "sets": {}}
    for name in names:
        judged_set = SETS[name]
        index_dir = index_root / name / spec.replace(":", "_").replace("/", "_")
        engine = ensure_engine(judged_set.corpus, index_dir, spec, progress=not quiet)  # builds when needed
        result["model"] = engine.index.manifest["model"]
        judged = load_judgments(engine.index.passages, judged_set.queries)
        outcomes = run_set(engine, judged)
        documents = len(engine.index.documents)
        summary = summarise(outcomes, documents)
        splits = {split: [o for o in outcomes if o.judged.split == split] for split in ("dev", "test")}
        if splits["test"]:
            summary["splits"] = {split: summarise(members, documents) for split, members in splits.items()}
        summary["significance"] = {label: significance([o for o in outcomes if label == "all" or o.judged.split == label])
                                   for label, _ in views(summary)}
        summary["bitext"] = bitext_check(engine)
        result["sets"][name] = summary
    return result


def check_floors(report: dict) -> int:
    """Every floor in floors.json: {"encoder": spec, "floors": {"seed": {path: floor}, "wide/test": {...}}}."""
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    result = report["encoders"].get(floors["encoder"])
    if result is None:
        print(f"floors are for encoder {floors['encoder']!r}, which was not evaluated", file=sys.stderr)
        return 1
    failed = False
    for where, figures in floors["floors"].items():
        set_name, _, split = where.partition("/")
        if set_name not in result["sets"]:
            print(f"floor set {where}: not evaluated (pass --sets {set_name})", file=sys.stderr)
            failed = True
            continue
        summary = result["sets"][set_name]
        summary = summary["splits"][split] if split else summary
        for path, floor in figures.items():
            value = lookup(summary, path)
            ok = value is not None and value >= floor - TOLERANCE
            failed |= not ok
            print(f"floor {where} {path}: {value if value is None else f'{value:.3f}'} (floor {floor:.3f}) "
                  f"{'ok' if ok else 'BELOW FLOOR'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
