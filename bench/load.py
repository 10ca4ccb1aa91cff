"""Load test: concurrent clients sending mixed English and Chinese queries to the app's /search endpoint.

    python bench/load.py [--clients 50] [--seconds 60]

Starts the app on a free loopback port (index built if needed), runs the clients for a bounded time,
and prints throughput, latency p50/p99, errors and the server's memory over the run. Loopback only.
"""
from __future__ import annotations

import argparse
import json
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [
    "military use of AI", "发展中国家的代表性", "personal privacy and data security", "人工智能对就业的影响",
    "role of the United Nations", "开源人工智能技术", "AI literacy", "伦理审查和问责机制", "cybersecurity and malware",
    "智能向善", "bias and discrimination", "测试评估体系", "open source", "联合国的作用", "climate change", "数据跨境流动",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def call(client: httpx.Client, base: str, query: str) -> None:
    """One /search request through Gradio's HTTP API: submit, then read the result stream."""
    response = client.post(f"{base}gradio_api/call/search", json={"data": [query, 10, "hybrid", None, None, True, None, None]})
    response.raise_for_status()
    event = response.json()["event_id"]
    with client.stream("GET", f"{base}gradio_api/call/search/{event}") as stream:
        kind = None
        for line in stream.iter_lines():
            if line.startswith("event:"):
                kind = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and kind in ("complete", "error"):
                if kind == "error":
                    raise RuntimeError(line)
                hits = json.loads(line[5:])[0]["hits"]
                if not isinstance(hits, list):
                    raise RuntimeError("no hits list")
                return
    raise RuntimeError("stream ended without a result")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--index", default=str(ROOT / "index"))
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen([sys.executable, "app.py", "--port", str(port), "--index", args.index], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 600
        while time.time() < deadline:
            try:
                if httpx.get(base, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(1)
        call(httpx.Client(timeout=60), base, "warm up")
        latencies, errors, memory = [], [], [(0.0, rss_mb(server.pid))]
        lock = threading.Lock()
        stop = time.time() + args.seconds

        def client_loop(seed: int):
            rng = random.Random(seed)
            with httpx.Client(timeout=60) as client:
                while time.time() < stop:
                    started = time.perf_counter()
                    try:
                        call(client, base, rng.choice(QUERIES))
                        with lock:
                            latencies.append(time.perf_counter() - started)
                    except Exception as error:  # counted and reported, the run goes on
                        with lock:
                            errors.append(repr(error)[:120])

        threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(args.clients)]
        started = time.time()
        for thread in threads:
            thread.start()
        while any(t.is_alive() for t in threads):
            time.sleep(5)
            memory.append((time.time() - started, rss_mb(server.pid)))
        elapsed = time.time() - started
        done = np.array(latencies)
        print(f"{args.clients} clients, {elapsed:.0f} s: {len(done)} requests ({len(done) / elapsed:.1f}/s), "
              f"{len(errors)} errors")
        if len(done):
            print(f"latency p50 {np.percentile(done, 50) * 1000:.0f} ms, p99 {np.percentile(done, 99) * 1000:.0f} ms, "
                  f"max {done.max() * 1000:.0f} ms")
        print("server memory (s, MB): " + ", ".join(f"{t:.0f}: {m:.0f}" for t, m in memory))
        if errors:
            print("first errors:", errors[:3])
        return 0 if not errors else 1
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
