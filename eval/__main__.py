"""python -m eval: judged bilingual queries → nDCG@10, MRR@10, Recall@5/10 for every mode and encoder.

    python -m eval                      # every encoder, every mode; writes eval/results/latest.{md,json,png}
    python -m eval --encoders ensemble  # just one encoder
    python -m eval --check-floors       # exit 1 when a floor in eval/floors.json is missed by more than 0.02
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from eval.judgments import load_judgments

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).with_name("results")
FLOORS = Path(__file__).with_name("floors.json")
METRICS = ["ndcg@10", "mrr@10", "recall@5", "recall@10"]
MODES = ["hybrid", "dense", "bm25"]
TOLERANCE = 0.02


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--encoders", default="ensemble,use,e5", help="comma-separated encoder specs")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--index-root", type=Path, default=ROOT / ".cache" / "eval-index",
                        help="where the evaluation keeps one index per encoder")
    parser.add_argument("--check-floors", action="store_true", help="fail when below the recorded floors")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    started = time.time()
    report = {"encoders": {}, "queries": None, "generated": time.strftime("%Y-%m-%d %H:%M")}
    for spec in [s.strip() for s in args.encoders.split(",") if s.strip()]:
        report["encoders"][spec] = evaluate_encoder(spec, args.corpus, args.index_root / spec.replace(":", "_").replace("/", "_"))
        report["queries"] = report["encoders"][spec].pop("query_counts")
    report["seconds"] = round(time.time() - started, 1)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    (args.out / "latest.md").write_text(markdown(report), encoding="utf-8")
    chart(report, args.out / "latest.png")
    print(table(report))
    print(f"\nwrote {args.out / 'latest.md'}, latest.json, latest.png in {report['seconds']} s")
    if args.check_floors:
        return check_floors(report)
    return 0


def evaluate_encoder(spec: str, corpus_dir: Path, index_dir: Path) -> dict:
    from ranx import Qrels, Run, compare, evaluate

    from govsearch.retrieval.opening import ensure_engine

    engine = ensure_engine(corpus_dir, index_dir, spec, progress=False)  # builds when the model changes
    judged = load_judgments(engine.index.passages)
    scored = [j for j in judged if j.relevant]
    qrels = Qrels({j.id: dict(j.relevant) for j in scored})
    runs, per_query = {}, {}
    timings = {}
    for mode in MODES:
        run, took = run_mode(engine, scored, mode)
        runs[mode] = Run(run, name=mode)
        timings[mode] = took
        per_query[mode] = evaluate(qrels, runs[mode], METRICS, return_mean=False)
    result = {"model": engine.index.manifest["model"], "modes": {}, "breakdown": {}, "latency_ms": timings}
    for mode in MODES:
        result["modes"][mode] = {m: round(float(np.mean(per_query[mode][m])), 4) for m in METRICS}
        result["breakdown"][mode] = breakdown(scored, per_query[mode])
    significance = compare(qrels, runs=list(runs.values()), metrics=["ndcg@10"], stat_test="student", max_p=0.05)
    result["significance"] = significance_table(significance)
    result["bitext"] = bitext_check(engine)
    result["compare"] = compare_accuracy(engine, judged)
    result["query_counts"] = {
        "total": len(judged), "judged": len(scored), "en": sum(j.language == "en" for j in judged),
        "zh": sum(j.language == "zh" for j in judged), "not_addressed": sum(not j.relevant for j in judged),
        "pairs": {pair: sum(j.pair == pair for j in scored) for pair in ("same-language", "zh→en-only", "en→zh-only")},
    }
    return result


def run_mode(engine, judged, mode: str) -> tuple[dict, dict]:
    from govsearch.retrieval.request import SearchRequest

    run, times = {}, []
    for j in judged:
        result = engine.search(SearchRequest(query=j.query, k=10, mode=mode))
        times.append(result.timings["total"])
        hits = {h.passage.group: float(len(result.hits) - h.rank + 1) for h in result.hits}
        run[j.id] = hits or {"__none__": 0.0}
    return run, {"p50": round(float(np.percentile(times, 50)), 2), "p95": round(float(np.percentile(times, 95)), 2)}


def breakdown(judged, scores: dict) -> dict:
    ids = [j.id for j in judged]
    index = {qid: i for i, qid in enumerate(scores[METRICS[0]].keys())} if isinstance(scores[METRICS[0]], dict) else {q: i for i, q in enumerate(ids)}
    groups = {
        "en queries": [j for j in judged if j.language == "en"],
        "zh queries": [j for j in judged if j.language == "zh"],
        "same-language": [j for j in judged if j.pair == "same-language"],
        "zh→en-only": [j for j in judged if j.pair == "zh→en-only"],
        "en→zh-only": [j for j in judged if j.pair == "en→zh-only"],
    }
    out = {}
    for name, members in groups.items():
        if not members:
            out[name] = None
            continue
        out[name] = {"queries": len(members)}
        for metric in METRICS:
            values = np.asarray(scores[metric])
            out[name][metric] = round(float(np.mean([values[index[j.id]] for j in members])), 4)
    return out


def significance_table(report) -> dict:
    """p-values of the paired t-test on nDCG@10 between modes."""
    raw = report.to_dict()
    out = {}
    for a in raw.get("model_names", []):
        for b in raw.get("model_names", []):
            if a < b:
                p = raw[a]["comparisons"][b]["ndcg@10"] if "comparisons" in raw[a] else None
                out[f"{a} vs {b}"] = None if p is None else round(float(p), 4)
    return out


def bitext_check(engine) -> dict:
    """The Initiative's Chinese and official English paragraphs: is each one's nearest neighbour its translation?"""
    passages = engine.index.passages
    zh = [p for p in passages if p.version_id == "gaigi.orig.zh"]
    en = [p for p in passages if p.version_id == "gaigi.official.en"]
    if not zh or len(zh) != len(en) or engine.encoder is None:
        return {}
    Z = engine.encoder.encode_passages([p.text for p in zh])
    E = engine.encoder.encode_passages([p.text for p in en])
    S = Z @ E.T
    truth = np.arange(len(zh))
    return {"pairs": len(zh), "zh→en P@1": round(float(np.mean(S.argmax(1) == truth)), 4),
            "en→zh P@1": round(float(np.mean(S.argmax(0) == truth)), 4)}


def compare_accuracy(engine, judged) -> dict:
    """Addressed / not addressed per (topic, document), against the judgments; grade-1-only pairs skipped."""
    try:
        from govsearch.retrieval.compare import compare_topics
        from govsearch.retrieval.request import CompareRequest
    except ImportError:
        return {}
    correct = total = false_pos = false_neg = 0
    for j in judged:
        result = compare_topics(engine, CompareRequest(topics=[j.query]))
        for row in result.documents:
            truth = row.document_id in j.addressed
            if not truth and row.document_id in j.related:
                continue
            total += 1
            correct += row.addressed == truth
            false_pos += row.addressed and not truth
            false_neg += truth and not row.addressed
    return {"pairs": total, "accuracy": round(correct / max(1, total), 4), "false addressed": false_pos, "missed": false_neg}


def table(report) -> str:
    lines = []
    for spec, result in report["encoders"].items():
        lines.append(f"encoder {spec} ({result['model']})")
        for mode in MODES:
            m = result["modes"][mode]
            zh_en = (result["breakdown"][mode].get("zh→en-only") or {}).get("recall@5")
            lines.append(f"{mode:<7} nDCG@10 {m['ndcg@10']:.3f}  MRR@10 {m['mrr@10']:.3f}  R@5 {m['recall@5']:.3f}  "
                         f"R@10 {m['recall@10']:.3f}  zh→en-only R@5 {zh_en if zh_en is not None else 'n/a'}  "
                         f"p50 {result['latency_ms'][mode]['p50']} ms")
        if result.get("bitext"):
            lines.append(f"bitext  {result['bitext']}")
        if result.get("compare"):
            lines.append(f"compare {result['compare']}")
        lines.append("")
    return "\n".join(lines)


def markdown(report) -> str:
    q = report["queries"]
    out = [
        "# Retrieval evaluation", "",
        f"Generated {report['generated']} by `python -m eval` in {report['seconds']} s.",
        f"{q['total']} judged queries ({q['en']} English, {q['zh']} Chinese); {q['judged']} with relevant statements "
        f"({q['pairs']}), {q['not_addressed']} about topics no declaration covers (used for the compare accuracy).",
        "Relevance is judged per statement (version group): a hit is one statement, shown in its best version.", "",
    ]
    for spec, result in report["encoders"].items():
        out += [f"## Encoder `{spec}` ({result['model']})", "", "| mode | nDCG@10 | MRR@10 | Recall@5 | Recall@10 | p50 ms |", "|---|---|---|---|---|---|"]
        for mode in MODES:
            m = result["modes"][mode]
            out.append(f"| {mode} | {m['ndcg@10']:.3f} | {m['mrr@10']:.3f} | {m['recall@5']:.3f} | {m['recall@10']:.3f} | {result['latency_ms'][mode]['p50']} |")
        out += ["", "By query language and language pair (nDCG@10 / Recall@5):", "", "| mode | " + " | ".join(result["breakdown"]["hybrid"]) + " |",
                "|---|" + "---|" * len(result["breakdown"]["hybrid"])]
        for mode in MODES:
            cells = []
            for name, value in result["breakdown"][mode].items():
                cells.append("n/a" if value is None else f"{value['ndcg@10']:.3f} / {value['recall@5']:.3f} (n={value['queries']})")
            out.append(f"| {mode} | " + " | ".join(cells) + " |")
        out += ["", f"Paired t-test p-values on nDCG@10: {result['significance']}", "",
                f"Bitext check (Initiative, Chinese vs official English paragraphs): {result['bitext']}", "",
                f"Compare, addressed vs not addressed per (topic, document): {result['compare'] or 'n/a'}", ""]
    out += ["en→zh-only is n/a on the seed corpus: every Chinese statement in it also exists in English.", ""]
    return "\n".join(out)


def chart(report, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    specs = list(report["encoders"])
    fig, axes = plt.subplots(1, len(specs), figsize=(5 * len(specs), 3.6), squeeze=False)
    for ax, spec in zip(axes[0], specs):
        result = report["encoders"][spec]
        x = np.arange(len(METRICS))
        for i, mode in enumerate(MODES):
            ax.bar(x + (i - 1) * 0.27, [result["modes"][mode][m] for m in METRICS], 0.27, label=mode)
        ax.set_xticks(x, METRICS)
        ax.set_ylim(0, 1)
        ax.set_title(spec)
        ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def check_floors(report) -> int:
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    result = report["encoders"].get(floors["encoder"])
    if result is None:
        print(f"floors are for encoder {floors['encoder']!r}, which was not evaluated", file=sys.stderr)
        return 1
    measured = {
        "hybrid nDCG@10": result["modes"]["hybrid"]["ndcg@10"],
        "hybrid zh→en-only Recall@5": (result["breakdown"]["hybrid"].get("zh→en-only") or {}).get("recall@5", 0.0),
    }
    failed = False
    for name, floor in floors["floors"].items():
        value = measured[name]
        ok = value >= floor - TOLERANCE
        failed |= not ok
        print(f"floor {name}: {value:.3f} (floor {floor:.3f}) {'ok' if ok else 'BELOW FLOOR'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
