"""Benchmarks that print figures (not timed tests). Results and the command line go into bench/RESULTS.md.

    python bench/run.py                      # seed corpus + synthetic 10k and 100k
    python bench/run.py --sizes 10000,100000,1000000
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)

QUERIES = [
    "What do the declarations say about military AI?", "发展中国家的代表性?", "personal privacy and data security",
    "人工智能对就业的影响", "role of the United Nations", "开源人工智能技术", "AI literacy and public awareness",
    "伦理审查和问责机制", "cybersecurity and malware", "智能向善", "bias and discrimination in algorithms",
    "测试评估体系",
]


def percentile(values, q):
    return float(np.percentile(values, q)) if values else float("nan")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def seed_corpus(model: str) -> list[str]:
    from govsearch.indexing.build import build
    from govsearch.retrieval.opening import open_engine
    from govsearch.retrieval.request import SearchRequest

    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        report = build(ROOT / "corpus", Path(tmp), model, progress=False)
        seconds = time.perf_counter() - started
        n = report.manifest["counts"]["passages"]
        lines.append(f"- build, empty embedding cache: {n} passages in {seconds:.1f} s = {n / seconds:.1f} passages/s (model {report.manifest['model']})")
        started = time.perf_counter()
        build(ROOT / "corpus", Path(tmp), model, progress=False)
        lines.append(f"- rebuild, warm embedding cache: {time.perf_counter() - started:.2f} s")
        engine = open_engine(Path(tmp), ROOT / "corpus", model)
        for mode in ("hybrid", "dense", "bm25"):
            encode, search, total = [], [], []
            for q in QUERIES:  # warm up: load models, jieba, the dictionary
                engine.search(SearchRequest(query=q, mode=mode))
            for _ in range(5):
                for q in QUERIES:
                    engine.cached_query_vector.cache_clear()
                    timings = engine.search(SearchRequest(query=q, mode=mode)).timings
                    encode.append(timings.get("encode", 0.0))
                    search.append(timings.get("dense", 0.0) + timings.get("bm25", 0.0))
                    total.append(timings["total"])
            lines.append(
                f"- query, {mode}, warm, {len(total)} queries (query-embedding cache off): encode p50 {percentile(encode, 50):.1f} / "
                f"p95 {percentile(encode, 95):.1f} ms; search p50 {percentile(search, 50):.1f} / p95 {percentile(search, 95):.1f} ms; "
                f"total p50 {percentile(total, 50):.1f} / p95 {percentile(total, 95):.1f} ms"
            )
        shutil.copytree(tmp, ROOT / ".cache" / "bench-index", dirs_exist_ok=True)
    cold = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "govsearch", "search", "military use of AI", "--k", "3", "--json",
                        "--index", str(ROOT / ".cache" / "bench-index")], check=True, capture_output=True)
        cold.append(time.perf_counter() - started)
    lines.append(f"- cold start (new process: imports, index load, model load, one hybrid query): "
                 f"median {statistics.median(cold):.2f} s over 3 runs")
    return lines


def clustered(n: int, dim: int, queries: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """n unit vectors around n/500 centres (at least 64), and queries drawn around the same centres."""
    centroids = rng.standard_normal((max(64, n // 500), dim)).astype(np.float32)
    data = centroids[rng.integers(0, len(centroids), n)] + 0.6 * rng.standard_normal((n, dim)).astype(np.float32)
    data /= np.linalg.norm(data, axis=1, keepdims=True)
    q = centroids[rng.integers(0, len(centroids), queries)] + 0.6 * rng.standard_normal((queries, dim)).astype(np.float32)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    return data, q


def synthetic(sizes: list[int], dim: int, queries: int = 200) -> list[str]:
    """Clustered unit vectors (real embeddings are clustered; uniform random ones are an unrealistically
    hard case for approximate search), exact search as ground truth."""
    import faiss

    from govsearch.indexing import dense as vectors

    faiss.omp_set_num_threads(os.cpu_count() or 1)
    lines = []
    rng = np.random.default_rng(0)
    for n in sizes:
        data, q = clustered(n, dim, queries, rng)
        exact = faiss.IndexFlatIP(dim)
        exact.add(data)
        _, truth = exact.search(q, 10)
        kinds = ["flat", "hnsw-sq8", "ivf-sq8"] if n <= 300_000 else ["flat", "ivf-sq8"]
        for kind in kinds:
            started = time.perf_counter()
            index = exact if kind == "flat" else vectors.build_index(data, kind)
            build_s = time.perf_counter() - started
            times, found = [], []
            for row in q:  # one query at a time, as the app asks
                t = time.perf_counter()
                _, ids = vectors.search(index, row[None, :], 10)
                times.append((time.perf_counter() - t) * 1000)
                found.append(ids[0])
            recall = np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth)])
            size_mb = len(faiss.serialize_index(index)) / 1e6
            lines.append(f"- {n:>9,} × {dim}: {kind:<8} build {build_s:6.1f} s, search p50 {percentile(times, 50):6.2f} / "
                         f"p95 {percentile(times, 95):6.2f} ms, recall@10 {recall:.3f}, index {size_mb:7.1f} MB")
            del index
        del exact, data
    lines.append(f"- peak memory of the benchmark process: {peak_rss_mb():.0f} MB")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--model", default="ensemble")
    parser.add_argument("--dim", type=int, default=896, help="vector size of the synthetic indexes (the default ensemble's)")
    parser.add_argument("--skip-seed", action="store_true")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    if not args.skip_seed:
        print("\n## Seed corpus\n")
        for line in seed_corpus(args.model):
            print(line, flush=True)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if sizes:
        print("\n## Vector search on synthetic indexes\n")
        for line in synthetic(sizes, args.dim):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
