"""Load test: concurrent clients sending mixed English and Chinese queries to the app's /search endpoint.

    python bench/load.py [--clients 50] [--seconds 60] [--warmup 15] [--route plain|gradio] [--heavy-clients 4]

Starts the app on a free loopback port (index built if needed), warms it up with the same clients, then
runs them for a bounded time and prints throughput, latency p50/p99, errors and the server's memory.
Loopback only. --route plain sends GET /search (the JSON route); --route gradio goes through Gradio's
/gradio_api/call/search (submit, then read the event stream).

The queries are composed from topic phrases (one to three topics, a question frame or not), and by default
no query is sent twice: every request is new to the server, so the figures are for real encoding and search
work, not for its query cache. --repeats lets the clients draw queries freely (people do repeat queries).

--heavy-clients N adds N clients sending the longest queries the app takes (2,000 Chinese characters, each
new), measured apart: the figures that matter are the ordinary clients' latency beside them.
"""
from __future__ import annotations

import argparse
import functools
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
sys.path.insert(0, str(ROOT))
from govsearch.retrieval.request import MAX_QUERY_CHARS  # noqa: E402

TOPICS_EN = [
    "military use of AI", "personal privacy", "data security", "the role of the United Nations", "open source",
    "AI literacy", "bias and discrimination", "cybersecurity", "climate change", "developing countries",
    "capacity building", "human oversight", "frontier AI risks", "transparency", "accountability", "intellectual property",
    "terrorism", "children", "employment and jobs", "testing and evaluation", "international cooperation",
    "sustainable development", "misinformation", "the digital divide", "export controls", "human rights",
]
TOPICS_ZH = [
    "发展中国家的代表性", "人工智能对就业的影响", "开源人工智能技术", "伦理审查", "问责机制", "数据跨境流动", "智能向善",
    "测试评估体系", "联合国的作用", "个人隐私", "数据安全", "军事应用", "能力建设", "知识产权", "恐怖主义", "可持续发展",
    "数字鸿沟", "国际合作", "透明度", "人类监督", "虚假信息", "儿童保护", "气候变化", "人权",
]
FRAMES_EN = ["{}", "{} and {}", "What do the declarations say about {}?", "{} in AI governance", "commitments on {}",
             "{}, {} and {}", "how do the declarations treat {} and {}?"]
FRAMES_ZH = ["{}", "{}和{}", "关于{}的规定", "{}方面的承诺", "人工智能治理中的{}", "{}、{}和{}", "各国在{}和{}上的立场"]


def compose_query(rng: random.Random) -> str:
    topics, frames = (TOPICS_ZH, FRAMES_ZH) if rng.random() < 0.5 else (TOPICS_EN, FRAMES_EN)
    frame = rng.choice(frames)
    return frame.format(*rng.sample(topics, frame.count("{}")))


def compose_long_query(rng: random.Random, length: int) -> str:
    """A query of exactly `length` Chinese characters, topic phrases run together (the worst case to encode)."""
    text = ""
    while len(text) < length:
        text += rng.choice(FRAMES_ZH).format(*rng.sample(TOPICS_ZH, 3)) + "，"
    return text[:length]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def call_plain(client: httpx.Client, base: str, query: str) -> None:
    response = client.get(f"{base}search", params={"q": query, "k": 10})
    response.raise_for_status()
    if not isinstance(response.json()["hits"], list):
        raise RuntimeError("no hits list")


def call_gradio(client: httpx.Client, base: str, query: str) -> None:
    """One search through Gradio's HTTP API: submit, then read the result stream."""
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
                if not isinstance(json.loads(line[5:])[0]["hits"], list):
                    raise RuntimeError("no hits list")
                return
    raise RuntimeError("stream ended without a result")


class Run:
    """Clients sending queries back to back until a deadline; latencies, errors and queries recorded."""

    def __init__(self, call, base: str, clients: int, seconds: float, seed: int, sent: set[str] | None,
                 compose=compose_query, pace: float = 0.0):
        self.call, self.base, self.clients, self.seconds, self.seed = call, base, clients, seconds, seed
        self.compose = compose
        self.pace = pace  # seconds from one query's start to the client's next (0: back to back)
        self.sent = sent  # queries already sent (None: repeats allowed)
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.queries: list[str] = []
        self.lock = threading.Lock()

    def client_loop(self, number: int, stop: float) -> None:
        rng = random.Random(self.seed * 1000 + number)
        with httpx.Client(timeout=60) as client:
            while time.time() < stop:
                query = self.next_query(rng)
                started = time.perf_counter()
                try:
                    self.call(client, self.base, query)
                    with self.lock:
                        self.latencies.append(time.perf_counter() - started)
                        self.queries.append(query)
                except Exception as error:  # counted and reported, the run goes on
                    with self.lock:
                        self.errors.append(repr(error)[:160])
                time.sleep(max(0.0, self.pace * rng.uniform(0.5, 1.5) - (time.perf_counter() - started)))

    def next_query(self, rng: random.Random) -> str:
        while True:
            query = self.compose(rng)
            if self.sent is None:
                return query
            with self.lock:
                if query not in self.sent:
                    self.sent.add(query)
                    return query

    def start(self) -> list[threading.Thread]:
        stop = time.time() + self.seconds
        threads = [threading.Thread(target=self.client_loop, args=(i, stop)) for i in range(self.clients)]
        for thread in threads:
            thread.start()
        return threads


def wait_until_up(base: str, server: subprocess.Popen) -> None:
    deadline = time.time() + 600
    while time.time() < deadline and server.poll() is None:
        try:
            if httpx.get(base, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(1)
    raise SystemExit("the app did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=45,
                        help="seconds of the same load before measuring (fills the bounded caches)")
    parser.add_argument("--route", choices=("plain", "gradio"), default="plain")
    parser.add_argument("--repeats", action="store_true", help="let clients repeat queries (default: every query new)")
    parser.add_argument("--pace", type=float, default=0.0,
                        help="seconds between one client's queries, on average (0: back to back, the most load)")
    parser.add_argument("--heavy-clients", type=int, default=0,
                        help="clients sending maximal Chinese queries beside the ordinary ones (measured apart)")
    parser.add_argument("--index", default=str(ROOT / "index"))
    args = parser.parse_args()
    call = call_plain if args.route == "plain" else call_gradio
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen([sys.executable, "app.py", "--port", str(port), "--index", args.index], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(base, server)
        sent = None if args.repeats else set()
        long_query = functools.partial(compose_long_query, length=MAX_QUERY_CHARS)
        for thread in Run(call, base, args.clients, args.warmup, 1, sent, pace=args.pace).start():
            thread.join()
        run = Run(call, base, args.clients, args.seconds, 2, sent, pace=args.pace)
        heavy = Run(call, base, args.heavy_clients, args.seconds, 3, sent, compose=long_query)
        memory = [(0.0, rss_mb(server.pid), 0)]
        started = time.time()
        threads = heavy.start() + run.start()
        while any(t.is_alive() for t in threads):
            time.sleep(5)
            memory.append((time.time() - started, rss_mb(server.pid), len(run.latencies)))
        elapsed = time.time() - started
        report(args, run, memory, elapsed)
        if args.heavy_clients:
            report_heavy(heavy, elapsed)
        return 0 if not run.errors and not heavy.errors else 1
    finally:
        server.terminate()
        server.wait(timeout=30)


def latency_line(latencies: list[float]) -> str:
    done = np.array(latencies)
    return (f"latency p50 {np.percentile(done, 50) * 1000:.0f} ms, p95 {np.percentile(done, 95) * 1000:.0f} ms, "
            f"p99 {np.percentile(done, 99) * 1000:.0f} ms, max {done.max() * 1000:.0f} ms")


def report_heavy(heavy: Run, elapsed: float) -> None:
    print(f"beside them, {heavy.clients} clients sending {MAX_QUERY_CHARS:,}-character Chinese queries: "
          f"{len(heavy.latencies)} requests ({len(heavy.latencies) / elapsed:.1f}/s), {len(heavy.errors)} errors")
    if heavy.latencies:
        print("their " + latency_line(heavy.latencies))
    if heavy.errors:
        print("first errors:", heavy.errors[:3])


def report(args, run: Run, memory: list[tuple[float, float, int]], elapsed: float) -> None:
    done = np.array(run.latencies)
    pace = f", one query per {args.pace:g} s each" if args.pace else ", back to back"
    print(f"route {args.route}: {args.clients} clients{pace}, {elapsed:.0f} s after {args.warmup:.0f} s of warm-up: "
          f"{len(done)} requests ({len(done) / elapsed:.1f}/s), {len(run.errors)} errors, "
          f"{len(set(run.queries))} distinct queries")
    if len(done):
        print(latency_line(run.latencies))
    print("server memory (s: MB): " + ", ".join(f"{t:.0f}: {m:.0f}" for t, m, _ in memory))
    (_, first, _), (_, last, requests) = memory[0], memory[-1]
    if requests:
        # over the second half: the first seconds still fill the bounded caches
        half = memory[len(memory) // 2]
        later = requests - half[2]
        slope = (last - half[1]) * 1024 / later if later else float("nan")
        print(f"memory {first:.0f} → {last:.0f} MB over {requests} requests; second half {slope:+.1f} kB per request")
    if run.errors:
        print("first errors:", run.errors[:3])


if __name__ == "__main__":
    sys.exit(main())
