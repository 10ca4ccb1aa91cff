"""One judged set on one engine: every query run once per mode, compared and asked; figures for any subset.

Everything is computed per query first (QueryOutcome), so the whole set and each split are summed from the
same runs.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from eval.judgments import Judged

METRICS = ["ndcg@10", "mrr@10", "recall@5", "recall@10", "hit@5"]
# hit@5: a statement that answers the query (grade 2) is among the first 5 ("found the right passage in the top 5").
# recall@5 counts every judged statement (grades 1 and 2): a query with 8 of them cannot reach 1.
MODES = ["hybrid", "dense", "bm25"]
DIRECTIONS = {"en->zh-only": "en→zh-only", "zh->en-only": "zh→en-only", "same-language": "same-language"}


@dataclass
class QueryOutcome:
    judged: Judged
    metrics: dict[str, dict[str, float]] = field(default_factory=dict)  # mode → metric → value (judged queries)
    compare_pairs: list[tuple[bool, bool]] = field(default_factory=list)  # (truth, decided) per scored document
    answer_right: bool = False  # first citation relevant; for an uncovered topic, "nothing found"
    latency_ms: dict[str, float] = field(default_factory=dict)


def run_set(engine, judged: list[Judged]) -> list[QueryOutcome]:
    from ranx import Qrels, Run, evaluate

    outcomes = {j.id: QueryOutcome(j) for j in judged}
    scored = [j for j in judged if j.relevant]
    qrels = Qrels({j.id: dict(j.relevant) for j in scored})
    for mode in MODES:
        run = {}
        for j in scored:
            hits, took = _search(engine, j.query, mode)
            run[j.id] = hits or {"__none__": 0.0}
            outcomes[j.id].latency_ms[mode] = took
        ranx_metrics = [m for m in METRICS if m != "hit@5"]
        values = evaluate(qrels, Run(run, name=mode), ranx_metrics, return_mean=False)
        for j in scored:
            top5 = sorted(run[j.id], key=run[j.id].get, reverse=True)[:5]
            outcomes[j.id].metrics.setdefault(mode, {})["hit@5"] = float(any(j.relevant.get(g, 0) >= 2 for g in top5))
        for metric in ranx_metrics:
            for j, value in zip(scored, values[metric]):
                outcomes[j.id].metrics.setdefault(mode, {})[metric] = float(value)
    for j in judged:
        outcomes[j.id].compare_pairs = _compare(engine, j)
        outcomes[j.id].answer_right = _answer_right(engine, j)
    return list(outcomes.values())


def _search(engine, query: str, mode: str) -> tuple[dict[str, float], float]:
    from govsearch.retrieval.request import SearchRequest

    result = engine.search(SearchRequest(query=query, k=10, mode=mode))
    return {h.passage.group: float(len(result.hits) - h.rank + 1) for h in result.hits}, result.timings["total"]


def _compare(engine, j: Judged) -> list[tuple[bool, bool]]:
    """Addressed or not, per document, against the judgments; documents with only grade-1 statements skipped."""
    from govsearch.retrieval.compare import compare_topics
    from govsearch.retrieval.request import CompareRequest

    result = compare_topics(engine, CompareRequest(topics=[j.query]))
    return [(row.document_id in j.addressed, row.addressed) for row in result.documents
            if row.document_id in j.addressed or row.document_id not in j.related]


def _answer_right(engine, j: Judged) -> bool:
    from govsearch.retrieval.answer import ask
    from govsearch.retrieval.request import AskRequest

    answer = ask(engine, AskRequest(question=j.query, generate=False))
    if not j.relevant:
        return not answer.found
    if not answer.found or not answer.citations:
        return False
    group = engine.index.passages[engine.index.positions[answer.citations[0].passage_id]].group
    return group in j.relevant


def summarise(outcomes: list[QueryOutcome], documents: int) -> dict:
    """The figures of a set (or a split of it): the JSON shape `python -m eval --json` prints per set."""
    scored = [o for o in outcomes if o.judged.relevant]
    uncovered = [o for o in outcomes if not o.judged.relevant]
    summary = {
        "queries": len(outcomes), "judged": len(scored), "not_addressed": len(uncovered), "documents": documents,
        "languages": {"en": sum(o.judged.language == "en" for o in outcomes), "zh": sum(o.judged.language == "zh" for o in outcomes)},
        "modes": {mode: _means(scored, mode) for mode in MODES},
        "best possible recall@5": round(float(np.mean([min(5, len(o.judged.relevant)) / len(o.judged.relevant) for o in scored])), 4)
        if scored else None,
        "directions": {},
        "kinds": {},
    }
    for key, pair in DIRECTIONS.items():
        members = [o for o in scored if o.judged.pair == pair]
        summary["directions"][key] = {"n": len(members), **({
            "recall@5": _mean(members, "hybrid", "recall@5"), "hit@5": _mean(members, "hybrid", "hit@5"),
            "ndcg@10": _mean(members, "hybrid", "ndcg@10"),
            "dense recall@5": _mean(members, "dense", "recall@5"), "bm25 recall@5": _mean(members, "bm25", "recall@5"),
        } if members else {})}
    for kind in sorted({o.judged.kind for o in scored}):
        members = [o for o in scored if o.judged.kind == kind]
        summary["kinds"][kind] = {"n": len(members), "recall@5": _mean(members, "hybrid", "recall@5"),
                                  "hit@5": _mean(members, "hybrid", "hit@5"),
                                  "ndcg@10": _mean(members, "hybrid", "ndcg@10")}
    pairs = [pair for o in outcomes for pair in o.compare_pairs]
    summary["compare_accuracy"] = round(float(np.mean([truth == decided for truth, decided in pairs])), 4) if pairs else None
    summary["compare"] = {
        "pairs": len(pairs), "addressed": sum(truth for truth, _ in pairs),
        "false addressed": sum(decided and not truth for truth, decided in pairs),
        "missed": sum(truth and not decided for truth, decided in pairs),
    }
    summary["answers"] = {
        "first citation relevant": _share([o.answer_right for o in scored]), "answerable": len(scored),
        "nothing found when uncovered": _share([o.answer_right for o in uncovered]), "uncovered": len(uncovered),
    }
    summary["latency_ms"] = {mode: {"p50": _percentile(scored, mode, 50), "p95": _percentile(scored, mode, 95)} for mode in MODES}
    return summary


def _means(outcomes: list[QueryOutcome], mode: str) -> dict[str, float]:
    return {metric: _mean(outcomes, mode, metric) for metric in METRICS}


def _mean(outcomes: list[QueryOutcome], mode: str, metric: str) -> float:
    return round(float(np.mean([o.metrics[mode][metric] for o in outcomes])), 4) if outcomes else float("nan")


def _share(flags: list[bool]) -> float | None:
    return round(float(np.mean(flags)), 4) if flags else None


def _percentile(outcomes: list[QueryOutcome], mode: str, q: int) -> float:
    return round(float(np.percentile([o.latency_ms[mode] for o in outcomes], q)), 2) if outcomes else float("nan")


def significance(outcomes: list[QueryOutcome]) -> dict[str, float]:
    """Paired t-test p-values on nDCG@10 between the modes."""
    from scipy.stats import ttest_rel

    scored = [o for o in outcomes if o.judged.relevant]
    out = {}
    for i, a in enumerate(MODES):
        for b in MODES[i + 1:]:
            x = [o.metrics[a]["ndcg@10"] for o in scored]
            y = [o.metrics[b]["ndcg@10"] for o in scored]
            out[f"{a} vs {b}"] = round(float(ttest_rel(x, y).pvalue), 4) if len(scored) > 1 and x != y else 1.0
    return out


def bitext_check(engine) -> dict:
    """For documents held in two languages with passages that correspond one to one (same count): is each
    passage's nearest neighbour among the other version's passages its own translation?"""
    by_version: dict[str, list] = {}
    for p in engine.index.passages:
        by_version.setdefault(p.version_id, []).append(p)
    hits = {"zh→en": [], "en→zh": []}
    for document in engine.index.documents.values():
        zh = [by_version[v.id] for v in document.versions if v.language == "zh" and v.id in by_version]
        en = [by_version[v.id] for v in document.versions if v.language == "en" and v.id in by_version]
        pair = next(((z, e) for z in zh for e in en if len(z) == len(e) > 1), None)
        if pair is None or engine.encoder is None:
            continue
        Z = engine.encoder.encode_passages([p.text for p in pair[0]])
        E = engine.encoder.encode_passages([p.text for p in pair[1]])
        S = Z @ E.T
        truth = np.arange(len(pair[0]))
        hits["zh→en"] += list(S.argmax(1) == truth)
        hits["en→zh"] += list(S.argmax(0) == truth)
    if not hits["zh→en"]:
        return {}
    return {"pairs": len(hits["zh→en"]), **{f"{k} P@1": round(float(np.mean(v)), 4) for k, v in hits.items()}}
