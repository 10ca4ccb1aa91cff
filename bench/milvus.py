"""Milvus Lite against FAISS, through govsearch's own vector stores: build time, query latency and recall@10
(against exact search) on synthetic clustered vectors, unfiltered and filtered; and, with --two-apps, two app
processes serving one Milvus store through `milvus-lite server`. Figures go into bench/RESULTS.md by hand.

    python bench/milvus.py --sizes 10000,100000
    python bench/milvus.py --sizes '' --two-apps
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.chdir(ROOT)

from run import QUERIES, clustered, peak_rss_mb, percentile  # noqa: E402 - bench/run.py, beside this file

from govsearch.indexing.stores import FAISS, MILVUS, Allowed, PassageColumns, StoreConfig, store_for  # noqa: E402
from govsearch.indexing.stores.base import BuildIdentity, LanguageVectors  # noqa: E402
from govsearch.records import Role  # noqa: E402
from govsearch.retrieval.request import Filters  # noqa: E402

# a filter as people use it: no unofficial translations, documents from 2015 on (a third of the synthetic rows pass)
FILTER = Filters(unofficial=False, year_from=2015)
ROLES = np.array([str(Role.ORIGINAL), str(Role.OFFICIAL_TRANSLATION), str(Role.UNOFFICIAL_TRANSLATION)], dtype=object)


class OtherLoad:
    """Cores used by other processes while a block ran (all busy CPU time less this process's), from /proc."""

    def __enter__(self):
        self.started = (time.monotonic(), _busy_ticks(), _own_ticks())
        return self

    def __exit__(self, *_):
        wall, busy, own = (now - then for now, then in zip((time.monotonic(), _busy_ticks(), _own_ticks()), self.started))
        self.cores = max(0.0, (busy - own) / os.sysconf("SC_CLK_TCK") / max(wall, 1e-9))


def _busy_ticks() -> int:
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return sum(fields) - fields[3] - fields[4]  # all but idle and iowait


def _own_ticks() -> int:
    fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime


def columns_for(n: int, rng) -> PassageColumns:
    return PassageColumns(
        document=np.array([f"doc{i // 50}" for i in range(n)], dtype=object),
        language=np.array(["en"] * n, dtype=object),
        role=ROLES[rng.integers(0, len(ROLES), n)],
        issuer=np.array([f"issuer {i % 7}" for i in range(n)], dtype=object),
        year=rng.integers(2005, 2025, n).astype(np.int32),
    )


def mask_of(columns: PassageColumns) -> np.ndarray:
    return (columns.role != str(Role.UNOFFICIAL_TRANSLATION)) & (columns.year >= FILTER.year_from)


def exact_top10(data: np.ndarray, queries: np.ndarray, allowed: np.ndarray | None) -> list[set[int]]:
    scores = queries @ data.T
    if allowed is not None:
        scores[:, ~allowed] = -np.inf
    return [set(np.argpartition(-row, 10)[:10].tolist()) for row in scores]


def measure(store_kind: str, index_type: str, data, queries, columns, truth, truth_filtered, folder: Path) -> dict:
    n, dim = data.shape
    config = StoreConfig(MILVUS, str(folder / "vectors.db")) if store_kind == MILVUS else StoreConfig(FAISS)
    identity = BuildIdentity("synthetic", dim, f"bench-{n}", n)
    build_dir = folder / "build"
    build_dir.mkdir(parents=True, exist_ok=True)
    with OtherLoad() as load:
        started = time.perf_counter()
        store = store_for(config)
        record = store.write(build_dir, [LanguageVectors("en", np.arange(n), data)], columns, index_type, identity)
        store.publish(record)
        searcher = store.open(build_dir, record, ["en"], identity, "rebuild")
        build_s = time.perf_counter() - started
        allowed = Allowed(mask_of(columns), FILTER)
        figures = {"store": store_kind, "index": index_type, "rows": n, "build_s": build_s}
        for name, only, expected in (("all", None, truth), ("filtered", allowed, truth_filtered)):
            searcher.search("en", queries[0], 10, only)  # warm up
            times, recalls = [], []
            for q, want in zip(queries, expected):
                t = time.perf_counter()
                found = searcher.search("en", q, 10, only)
                times.append((time.perf_counter() - t) * 1000)
                recalls.append(len({p for p, _ in found} & want) / 10)
            figures[name] = {"p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95), "recall": float(np.mean(recalls))}
    figures["others_cores"] = load.cores
    figures["disk_mb"] = _disk_mb(folder)
    if store_kind == MILVUS:
        from govsearch.indexing.stores.milvus_connection import close_clients, connect

        connect(config.uri).drop_collection(record.collection)
        close_clients()
    shutil.rmtree(folder, ignore_errors=True)
    return figures


def _disk_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def synthetic(sizes: list[int], dim: int, queries: int, kinds: list[str]) -> list[dict]:
    rng = np.random.default_rng(0)
    results = []
    for n in sizes:
        data, q = clustered(n, dim, queries, rng)
        columns = columns_for(n, rng)
        truth, truth_filtered = exact_top10(data, q, None), exact_top10(data, q, mask_of(columns))
        print(f"{n:,} × {dim}: filter lets {mask_of(columns).mean():.0%} of the rows through", flush=True)
        for kind in kinds:
            for store_kind in (FAISS, MILVUS):
                with tempfile.TemporaryDirectory(prefix="govsearch-bench-") as tmp:
                    figures = measure(store_kind, kind, data, q, columns, truth, truth_filtered, Path(tmp))
                results.append(figures)
                print(line(figures), flush=True)
        del data, q
    return results


def line(f: dict) -> str:
    store = "FAISS" if f["store"] == FAISS else "Milvus Lite"
    return (f"| {f['rows']:,} | {store} | {f['index']} | {f['build_s']:.1f} s | {f['all']['p50_ms']:.2f} / {f['all']['p95_ms']:.2f} ms | "
            f"{f['all']['recall']:.3f} | {f['filtered']['p50_ms']:.2f} / {f['filtered']['p95_ms']:.2f} ms | "
            f"{f['filtered']['recall']:.3f} | {f['disk_mb']:.0f} MB | {f['others_cores']:.2f} |")


# -- two app processes, one Milvus store -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, seconds: float, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process {process.args[:3]} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port} after {seconds:.0f} s")


def two_apps(model: str) -> list[str]:
    """Build the seed corpus into a `milvus-lite server`, start two app.py on it, ask both the same queries."""
    processes: list[subprocess.Popen] = []
    lines = []
    with tempfile.TemporaryDirectory(prefix="govsearch-two-apps-") as tmp:
        try:
            port = free_port()
            server = subprocess.Popen([sys.executable, "-m", "milvus_lite", "server", "--data-dir", f"{tmp}/served.db",
                                       "--host", "127.0.0.1", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            processes.append(server)
            wait_for(port, 60, server)
            uri = f"http://127.0.0.1:{port}"
            store = ["--store", "milvus", "--milvus-uri", uri]
            subprocess.run([sys.executable, "build_index.py", "--index", f"{tmp}/index", "--model", model, "--quiet", *store],
                           check=True, capture_output=True)
            app_ports = [free_port(), free_port()]
            for app_port in app_ports:
                processes.append(subprocess.Popen([sys.executable, "app.py", "--index", f"{tmp}/index", "--port", str(app_port), *store],
                                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            for app_port, app in zip(app_ports, processes[1:]):
                wait_for(app_port, 180, app)
            asked = [{"q": q} for q in QUERIES] + [{"q": q, "lang": "zh", "unofficial": "false", "year_from": "2023"} for q in QUERIES]
            answers = [[_hits(app_port, params) for params in asked] for app_port in app_ports]
            same = sum(a == b for a, b in zip(*answers))
            lines.append(f"- two app.py processes on one `milvus-lite server` ({uri}): {same} of {len(asked)} searches "
                         f"answered identically (hits, scores, versions; {len(QUERIES)} queries, unfiltered and filtered)")
        finally:
            for process in reversed(processes):
                process.terminate()
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    process.kill()
    return lines


def _hits(port: int, params: dict) -> list:
    url = f"http://127.0.0.1:{port}/search?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=60) as answer:
        return json.loads(answer.read())["hits"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--dim", type=int, default=896, help="vector size (the default ensemble's)")
    parser.add_argument("--queries", type=int, default=200, help="queries per configuration, one at a time")
    parser.add_argument("--index-types", default="flat,hnsw-sq8")
    parser.add_argument("--two-apps", action="store_true", help="also: two app processes on one milvus-lite server")
    parser.add_argument("--model", default="ensemble", help="encoder for --two-apps")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; load average at start "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    results = []
    if sizes:
        print("\n| rows | store | index | build | search p50 / p95 | recall@10 | filtered p50 / p95 | filtered recall@10 | "
              "on disk | others' cores |\n|---|---|---|---|---|---|---|---|---|---|", flush=True)
        results = synthetic(sizes, args.dim, args.queries, args.index_types.split(","))
        print(f"\npeak memory of the benchmark process (Milvus Lite runs inside it): {peak_rss_mb():.0f} MB", flush=True)
    if args.two_apps:
        print()
        for text in two_apps(args.model):
            print(text, flush=True)
    print(f"load average at end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
