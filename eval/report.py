"""The evaluation report as a console table, Markdown (results/latest.md) and a chart (results/latest.png)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from eval.measure import DIRECTIONS, METRICS, MODES
from eval.sets import SETS

# What the wide set's held-out split should reach (issue 14); CI's floors (floors.json) are what it does reach.
TARGETS = {
    "modes.hybrid.recall@5": 0.90, "modes.hybrid.ndcg@10": 0.80,
    "directions.en->zh-only.recall@5": 0.85, "directions.zh->en-only.recall@5": 0.85,
    "compare_accuracy": 0.90,
    "answers.first citation relevant": 0.80, "answers.nothing found when uncovered": 0.80,
}


def lookup(summary: dict, path: str):
    """A figure of a set summary by its dotted path ("modes.hybrid.ndcg@10"); keys may hold dots of their own
    only in their last part."""
    node = summary
    parts = path.split(".")
    while parts:
        for size in range(len(parts), 0, -1):  # longest key first: "first citation relevant" has no dots, "ndcg@10" none
            key = ".".join(parts[:size])
            if isinstance(node, dict) and key in node:
                node, parts = node[key], parts[size:]
                break
        else:
            return None
    return node


def views(set_result: dict) -> list[tuple[str, dict]]:
    """(label, summary) to show for a set: the held-out split first when there is one."""
    splits = set_result.get("splits") or {}
    return [(f"{name}", splits[name]) for name in ("test", "dev") if name in splits] + [("all", set_result)]


def table(report: dict) -> str:
    lines = []
    for spec, result in report["encoders"].items():
        lines.append(f"encoder {spec} ({result['model']})")
        for set_name, set_result in result["sets"].items():
            for label, s in views(set_result):
                lines.append(f"  {set_name}/{label}: {s['queries']} queries ({s['judged']} judged, {s['not_addressed']} uncovered), "
                             f"{s['documents']} documents")
                for mode in MODES:
                    m = s["modes"][mode]
                    lines.append(f"    {mode:<7} nDCG@10 {m['ndcg@10']:.3f}  MRR@10 {m['mrr@10']:.3f}  R@5 {m['recall@5']:.3f}  "
                                 f"R@10 {m['recall@10']:.3f}  hit@5 {m['hit@5']:.3f}")
                directions = "  ".join(f"{k} R@5 {_fmt(v.get('recall@5'))} hit@5 {_fmt(v.get('hit@5'))} (n={v['n']})"
                                       for k, v in s["directions"].items())
                lines.append(f"    hybrid  {directions}")
                answers = s["answers"]
                lines.append(f"    compare accuracy {_fmt(s['compare_accuracy'])} ({s['compare']['pairs']} pairs)  "
                             f"answers: first citation relevant {_fmt(answers['first citation relevant'])}, "
                             f"nothing found when uncovered {_fmt(answers['nothing found when uncovered'])}")
        lines.append("")
    return "\n".join(lines)


def markdown(report: dict) -> str:
    out = ["# Retrieval evaluation", "",
           f"Generated {report['generated']} by `python -m eval` in {report['seconds']} s. Relevance is judged per "
           "statement (version group): a hit is one statement, shown in its best version.", ""]
    for spec, result in report["encoders"].items():
        out += [f"## Encoder `{spec}` ({result['model']})", ""]
        for set_name, set_result in result["sets"].items():
            out += _set_markdown(set_name, set_result)
    return "\n".join(out)


def _set_markdown(name: str, result: dict) -> list[str]:
    shown = views(result)
    out = [f"### Set `{name}`: {SETS[name].note}", "",
           f"{result['queries']} queries ({result['languages']['en']} English, {result['languages']['zh']} Chinese), "
           f"{result['judged']} with judged statements, {result['not_addressed']} about topics no document covers; "
           f"{result['documents']} documents.", "",
           "hit@5: a statement that answers the query (grade 2) is in the first 5. Recall@5 counts every judged statement "
           f"(grades 1 and 2); with {result['judged']} queries judged this way the best possible Recall@5 is "
           f"{_fmt(result['best possible recall@5'])}.", "",
           "| split | mode | nDCG@10 | MRR@10 | Recall@5 | Recall@10 | hit@5 | p50 ms |", "|---|---|---|---|---|---|---|---|"]
    for label, s in shown:
        for mode in MODES:
            m = s["modes"][mode]
            out.append(f"| {label} ({s['judged']}) | {mode} | {m['ndcg@10']:.3f} | {m['mrr@10']:.3f} | {m['recall@5']:.3f} | "
                       f"{m['recall@10']:.3f} | {m['hit@5']:.3f} | {s['latency_ms'][mode]['p50']} |")
    out += ["", "Hybrid Recall@5 / hit@5 by where the answers are (n):", "",
            "| split | " + " | ".join(DIRECTIONS) + " |", "|---|" + "---|" * len(DIRECTIONS)]
    for label, s in shown:
        out.append(f"| {label} | " + " | ".join(f"{_fmt(v.get('recall@5'))} / {_fmt(v.get('hit@5'))} ({v['n']})"
                                                 for v in s["directions"].values()) + " |")
    kinds = sorted({kind for _, s in shown for kind in s["kinds"]})
    if len(kinds) > 1:
        out += ["", "Hybrid Recall@5 / hit@5 by kind of query (n):", "", "| split | " + " | ".join(kinds) + " |", "|---|" + "---|" * len(kinds)]
        for label, s in shown:
            out.append(f"| {label} | " + " | ".join(
                f"{_fmt(s['kinds'][k]['recall@5'])} / {_fmt(s['kinds'][k]['hit@5'])} ({s['kinds'][k]['n']})"
                if k in s["kinds"] else "–" for k in kinds) + " |")
    out += ["", "| split | compare accuracy (pairs; false addressed / missed) | answer's first citation relevant | "
                "\"nothing found\" for uncovered topics |", "|---|---|---|---|"]
    for label, s in shown:
        c, a = s["compare"], s["answers"]
        out.append(f"| {label} | {_fmt(s['compare_accuracy'])} ({c['pairs']}; {c['false addressed']} / {c['missed']}) | "
                   f"{_fmt(a['first citation relevant'])} ({a['answerable']}) | {_fmt(a['nothing found when uncovered'])} ({a['uncovered']}) |")
    out += ["", f"Paired t-test p-values on nDCG@10 ({shown[0][0]}): {result.get('significance', {}).get(shown[0][0])}", ""]
    if result.get("bitext"):
        out += [f"Bitext check (parallel versions, is each passage's nearest neighbour its translation): {result['bitext']}", ""]
    if "test" in (result.get("splits") or {}):
        test = result["splits"]["test"]
        out += ["Targets on the held-out split:", ""]
        for path, target in TARGETS.items():
            value = lookup(test, path)
            mark = "✓" if value is not None and value >= target else "✗"
            out.append(f"- {path} {_fmt(value)} (target {target:.2f}) {mark}")
        out.append("")
    return out


def _fmt(value) -> str:
    return "n/a" if value is None or (isinstance(value, float) and np.isnan(value)) else f"{value:.3f}"


def chart(report: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [(spec, name, result["sets"][name]) for spec, result in report["encoders"].items() for name in result["sets"]]
    fig, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 3.6), squeeze=False)
    for ax, (spec, name, set_result) in zip(axes[0], panels):
        label, summary = views(set_result)[0]
        x = np.arange(len(METRICS))
        for i, mode in enumerate(MODES):
            ax.bar(x + (i - 1) * 0.27, [summary["modes"][mode][m] for m in METRICS], 0.27, label=mode)
        ax.set_xticks(x, METRICS)
        ax.set_ylim(0, 1)
        ax.set_title(f"{spec} · {name}/{label}")
        ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
