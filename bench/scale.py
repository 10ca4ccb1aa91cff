"""Search measured end to end on corpora of 10,000 and 100,000 passages that look like the real ones.

    python bench/scale.py                          # 10k and 100k passages, the default encoder
    python bench/scale.py --sizes 10000 --model use

The corpus is made from the wide and seed corpora's own sentences: each synthetic document (about 100
passages, 1 in 3 in Chinese) is a title, a date, and numbered articles ("Article N." / "第N条") of two to
four sentences drawn from passages of its language, so BM25 sees real vocabulary, jieba real Chinese, the
layout reader real article structure. It is written as files and indexed by the normal build (ingestion,
embedding, FAISS, BM25) with the default encoder (the ensemble embeds ~50 passages/s here since e5 runs on
ONNX Runtime: about 35 minutes for 100k; `--model use` is ~4x faster to build, with the same measured code path).

Figures per size: build time, index load time and resident memory (a fresh process), a hybrid query end to
end (encode, search, fusion, grouping, best sentence, JSON) without and with filters, p50/p95 over the
queries after a warm-up, and compare over 5 topics.
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORK = ROOT / ".cache" / "bench-scale"
PASSAGES_PER_DOCUMENT = 100
QUERIES = [
    "What do the declarations say about military AI?", "发展中国家的代表性?", "personal information protection",
    "人工智能对就业的影响", "role of the United Nations", "算法推荐服务提供者的义务", "human oversight of automated decisions",
    "数据安全和个人信息保护", "facial recognition in public places", "深度合成内容的标识", "impact assessment of AI systems",
    "未成年人网络保护", "transparency and explainability", "人工智能伦理委员会", "national security and AI",
    "跨境数据流动", "generative AI use by public servants", "算法备案", "consumer rights and price discrimination",
    "生成式人工智能服务的安全评估",
]
TOPICS = ["military use of AI", "personal data protection", "人工智能伦理", "algorithmic transparency", "数据跨境"]


def make_corpus(target: int, out: Path, seed: int = 7) -> None:
    """Write about `target` passages of synthetic documents into out/ (skipped when already there)."""
    from govsearch.ingest.corpus import load_corpus
    from govsearch.text.sentences import sentence_spans

    if (out / "done.json").exists() and json.loads((out / "done.json").read_text())["target"] == target:
        return
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.md"):
        old.unlink()
    pools: dict[str, list[str]] = {"en": [], "zh": []}
    for corpus_dir in (ROOT / "eval" / "wide" / "corpus", ROOT / "corpus"):
        for p in load_corpus(corpus_dir).passages:
            pools[p.language] += [p.text[a:b].strip() for a, b in sentence_spans(p.text) if 20 <= b - a <= 400]
    rng = random.Random(seed)
    documents = max(1, target // PASSAGES_PER_DOCUMENT)
    for d in range(documents):
        language = "zh" if d % 3 == 0 else "en"
        year = 2015 + d % 11
        title = " ".join(rng.sample(pools[language], 1)[0].split()[:8])[:60]
        lines = [f"# {'条例' if language == 'zh' else 'Regulation'} {d}: {title}", "",
                 f"{year}年{1 + d % 12}月{1 + d % 28}日" if language == "zh" else f"Adopted {1 + d % 28} March {year}.", ""]
        for n in range(1, PASSAGES_PER_DOCUMENT + 1):
            body = ("" if language == "zh" else " ").join(rng.sample(pools[language], rng.randint(2, 4)))
            lines += [f"第{n}条 {body}" if language == "zh" else f"Article {n}. {body}", ""]
        (out / f"doc{d:05d}.md").write_text("\n".join(lines), encoding="utf-8")
    (out / "done.json").write_text(json.dumps({"target": target}))


def build_index(corpus: Path, index: Path, model: str) -> dict:
    from govsearch.indexing.build import build

    started = time.perf_counter()
    report = build(corpus, index, model, progress=True)
    return {"passages": report.manifest["counts"]["passages"], "documents": report.manifest["counts"]["documents"],
            "groups": report.manifest["counts"]["groups"], "index_type": report.manifest["index_type"],
            "build_s": round(time.perf_counter() - started, 1), "embedded_now": report.embedded_now}


def measure(corpus: Path, index: Path, model: str) -> dict:
    """Run in a fresh process: load time and memory, then query and compare timings."""
    from govsearch.interfaces.serialize import comparison_json, result_json
    from govsearch.retrieval.compare import compare_topics
    from govsearch.retrieval.opening import open_engine
    from govsearch.retrieval.request import CompareRequest, SearchRequest

    started = time.perf_counter()
    engine = open_engine(index, corpus, model)
    load_s = time.perf_counter() - started
    rss_loaded = _rss_mb()
    documents = sorted(engine.index.documents)
    filters = [{}, {"languages": ("en",)}, {"documents": tuple(documents[:20])}, {"year_from": 2018, "year_to": 2021},
               {"languages": ("zh",), "year_from": 2020}]
    for query in QUERIES:  # warm up: models, jieba, the dictionary, caches of sentence tokens
        engine.search(SearchRequest(query=query))
    engine.cached_query_vector.cache_clear()
    timings: dict[str, list[float]] = {"no filter": [], "with filters": []}
    for round_ in range(2):
        for i, query in enumerate(QUERIES):
            chosen = filters[(i + round_) % len(filters)]
            engine.cached_query_vector.cache_clear()  # every query is encoded, as a new one would be
            t = time.perf_counter()
            json.dumps(result_json(engine.search(SearchRequest(query=query, k=10, **chosen))), ensure_ascii=False)
            timings["with filters" if chosen else "no filter"].append((time.perf_counter() - t) * 1000)
    compare_s = []
    for _ in range(3):
        engine.cached_query_vector.cache_clear()
        t = time.perf_counter()
        json.dumps(comparison_json(compare_topics(engine, CompareRequest(topics=TOPICS))), ensure_ascii=False)
        compare_s.append(time.perf_counter() - t)
    return {
        "load_s": round(load_s, 2), "rss_loaded_mb": round(rss_loaded), "rss_end_mb": round(_rss_mb()),
        **{f"query {name} p50_ms": round(float(np.percentile(v, 50)), 1) for name, v in timings.items()},
        **{f"query {name} p95_ms": round(float(np.percentile(v, 95)), 1) for name, v in timings.items()},
        "compare 5 topics s (min, median)": [round(min(compare_s), 2), round(float(np.median(compare_s)), 2)],
    }


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--model", default="default")
    parser.add_argument("--measure-only", nargs=2, metavar=("CORPUS", "INDEX"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_only:
        print(json.dumps(measure(Path(args.measure_only[0]), Path(args.measure_only[1]), args.model)))
        return 0
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        corpus, index = WORK / f"corpus-{size}", WORK / f"index-{size}-{args.model.replace(':', '_')}"
        make_corpus(size, corpus)
        row = {"size": size, **build_index(corpus, index, args.model)}
        for attempt in range(2):  # a fresh process per measurement; the better of two (other jobs share the cores)
            out = subprocess.run([sys.executable, __file__, "--model", args.model, "--measure-only", str(corpus), str(index)],
                                 capture_output=True, text=True, check=True)
            measured = json.loads(out.stdout.strip().splitlines()[-1])
            row[f"run {attempt + 1}"] = measured
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
