"""Queries encoded together from several threads: each caller gets its own vector, failures reach every caller."""
import threading
import time
import zlib

import numpy as np
import pytest

from govsearch.retrieval.batching import QueryBatcher


def vector_of(text: str) -> np.ndarray:
    return np.random.default_rng(zlib.crc32(text.encode())).standard_normal(8).astype(np.float32)


class SlowEncoder:
    """Deterministic vectors per text; slow enough that concurrent callers pile up behind a batch."""

    def __init__(self):
        self.batches: list[list[str]] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.batches.append(list(texts))
        time.sleep(0.02)
        if any("boom" in t for t in texts):
            raise ValueError("encoder failed on purpose")
        return np.vstack([vector_of(t) for t in texts])


def encode_concurrently(batcher: QueryBatcher, texts: list[str]) -> dict[str, object]:
    results: dict[str, object] = {}
    start = threading.Barrier(len(texts))

    def worker(text):
        start.wait()
        try:
            results[text] = batcher.encode(text)
        except Exception as error:
            results[text] = error

    threads = [threading.Thread(target=worker, args=(t,)) for t in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_each_caller_gets_its_own_vector_and_batches_form():
    encoder = SlowEncoder()
    texts = [f"query number {i}" for i in range(40)]
    results = encode_concurrently(QueryBatcher(encoder, max_batch=16), texts)
    for text in texts:
        np.testing.assert_array_equal(results[text], vector_of(text))
    sizes = [len(b) for b in encoder.batches]
    assert sum(sizes) == 40 and max(sizes) > 1 and max(sizes) <= 16
    assert len(encoder.batches) < 40


def test_a_lone_query_is_encoded_alone():
    encoder = SlowEncoder()
    batcher = QueryBatcher(encoder)
    np.testing.assert_array_equal(batcher.encode("alone"), vector_of("alone"))
    np.testing.assert_array_equal(batcher.encode("again"), vector_of("again"))
    assert encoder.batches == [["alone"], ["again"]]


def test_a_failure_reaches_its_batch_and_the_worker_goes_on():
    encoder = SlowEncoder()
    batcher = QueryBatcher(encoder)
    with pytest.raises(ValueError, match="on purpose"):
        batcher.encode("boom")
    np.testing.assert_array_equal(batcher.encode("fine"), vector_of("fine"))


def test_a_short_answer_from_the_encoder_is_an_error_not_a_hang():
    batcher = QueryBatcher(lambda texts: np.zeros((len(texts) - 1, 8), dtype=np.float32))
    with pytest.raises(RuntimeError, match="0 vectors for 1"):
        batcher.encode("anything")


def test_concurrent_searches_match_sequential_ones(engine):
    """An engine shared by threads (as the web app does) answers each query as it would alone (that the real
    encoders give the same vector batched and alone is the encoder contract's test)."""
    from govsearch.retrieval.engine import Engine
    from govsearch.retrieval.request import SearchRequest

    queries = ["military use of AI", "发展中国家的代表性", "personal data protection", "人工智能对就业的影响",
               "role of the United Nations", "开源", "AI literacy and education", "数据跨境流动"] * 2
    alone = {q: [h.passage.id for h in engine.search(SearchRequest(query=q, k=5)).hits] for q in queries}
    shared = Engine(engine.index, engine.encoder)  # a fresh engine: nothing cached, every query encoded
    results: dict[int, list[str]] = {}

    def worker(i):
        results[i] = [h.passage.id for h in shared.search(SearchRequest(query=queries[i], k=5)).hits]

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(queries))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [results[i] for i in range(len(queries))] == [alone[q] for q in queries]
