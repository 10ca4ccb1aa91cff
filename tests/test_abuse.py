"""Faults and abuse found by attacking the running app and the build: each test failed before its fix."""
import logging
import socket
import sqlite3
import threading
import time

import httpx
import numpy as np
import pytest
from conftest import SEEDS, HashEncoder, serve

from govsearch.indexing.build import build
from govsearch.indexing.embed_cache import EmbeddingCache
from govsearch.interfaces.web import exports, guard
from govsearch.retrieval.batching import QueryBatcher
from govsearch.retrieval.engine import Engine
from govsearch.retrieval.request import SearchRequest

# -- the embedding cache is only a cache ----------------------------------------------------------------


def test_a_damaged_embedding_cache_is_moved_aside_and_the_build_embeds_again(tmp_path, corpus, caplog):
    cache = tmp_path / "index" / "cache" / "embeddings.sqlite"
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)  # a header, then garbage
    with caplog.at_level(logging.WARNING, logger="govsearch"):
        report = build(SEEDS, tmp_path / "index", progress=False, corpus=corpus, encoder=HashEncoder())
    assert report.embedded_now == len(corpus.passages)
    assert any(str(cache) in r.getMessage() and "moved aside" in r.getMessage() for r in caplog.records)
    assert len(list(cache.parent.glob("embeddings.sqlite.damaged-*"))) == 1
    again = build(SEEDS, tmp_path / "index", progress=False, corpus=corpus, encoder=HashEncoder())
    assert again.embedded_now == 0  # the new cache works


def test_a_cache_from_another_version_is_moved_aside(tmp_path, caplog):
    path = tmp_path / "embeddings.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE vectors (key TEXT PRIMARY KEY, vector BLOB)")
        db.execute("PRAGMA user_version = 1")
    with caplog.at_level(logging.WARNING, logger="govsearch"):
        cache = EmbeddingCache(path, "fake", 4)
    assert "another version" in caplog.text and str(path) in caplog.text
    cache.put_many(["a"], np.ones((1, 4), dtype=np.float32))
    assert list(cache.get_many(["a", "b"])) == [0]
    cache.close()


# -- the build ----------------------------------------------------------------------------------------------


def test_folders_of_killed_builds_are_removed_by_the_next_build(tmp_path, corpus):
    left = tmp_path / "index" / "builds" / "20260101-000000-dead.partial"
    (left / "bm25").mkdir(parents=True)
    (left / "passages.jsonl").write_text("half a build")
    build(SEEDS, tmp_path / "index", progress=False, corpus=corpus, encoder=HashEncoder())
    assert not left.exists() and not list((tmp_path / "index" / "builds").glob("*.partial"))


def test_a_process_that_resolved_a_build_pruned_under_it_loads_the_live_one(tmp_path, corpus, monkeypatch):
    """Two rebuilds in a row keep only the newest two builds: a process that read CURRENT just before them finds
    its build gone half-way through loading it, and must load the live build instead of failing (found as a rare
    failure of the rebuild-while-searching contract test)."""
    from govsearch.indexing import index_format
    from govsearch.indexing.load import load_index

    index_dir = tmp_path / "index"
    for _ in range(3):
        build(SEEDS, index_dir, progress=False, corpus=corpus, encoder=HashEncoder())
    live = index_format.current_build(index_dir)
    pruned = live.parent / "20000101-000000-pruned"  # what CURRENT named when this process read it
    real = index_format.current_build
    answers = iter([pruned])
    monkeypatch.setattr(index_format, "current_build", lambda folder: next(answers, None) or real(folder))
    assert load_index(index_dir, SEEDS).build_dir == live


# -- the web server -----------------------------------------------------------------------------------------


def test_uploads_are_refused_and_nothing_is_stored(served, tmp_path):
    for route in ("gradio_api/upload", "upload", "gradio_api/upload/"):
        response = httpx.post(served + route, files={"files": ("note.html", b"<script>alert(1)</script>", "text/html")},
                              timeout=30)
        assert response.status_code == 403, route
        assert "no uploads" in response.json()["error"]


def test_the_gradio_api_takes_only_the_query_and_gives_reasons(served):
    def raw_call(*data):
        started = httpx.post(served + "gradio_api/call/search", json={"data": list(data)}, timeout=30)
        assert started.status_code == 200
        return httpx.get(served + f"gradio_api/call/search/{started.json()['event_id']}", timeout=60).text

    assert "event: complete" in raw_call("privacy") and '"hits"' in raw_call("privacy")
    assert "k: input should be a valid integer" in raw_call("privacy", "abc")
    assert "unknown passage language 'notalist'" in raw_call("privacy", 3, "hybrid", "notalist")
    assert "year_from (2025) is after year_to (2020)" in raw_call("privacy", 3, "hybrid", None, None, True, 2025, 2020)
    assert "the query must be text" in raw_call()


def test_one_string_where_a_list_is_expected_is_a_list_of_one(engine):
    one = engine.search(SearchRequest(query="privacy", languages="zh")).hits
    assert one and {h.passage.language for h in one} == {"zh"}


@pytest.mark.parametrize("params, message", [
    ({"q": "privacy", "year_from": 2025, "year_to": 2020}, "year_from (2025) is after year_to (2020)"),
    ({"q": "privacy", "doc": "no-such-document"}, "unknown document 'no-such-document'"),
    ({"q": "privacy", "lang": "xx"}, "unknown passage language 'xx'; known: en, zh"),
    ({"q": "privacy", "role": "boss"}, "role 'boss' is not one of"),
])
def test_impossible_filters_get_400_with_the_reason(served, params, message):
    response = httpx.get(served + "search", params=params, timeout=30)
    assert response.status_code == 400 and message in response.json()["error"]


def test_repeated_wrong_passwords_are_slowed_down(engine):
    app, _, url = serve(engine, password="s3cret")
    try:
        anonymous = httpx.get(url + "search", params={"q": "privacy"}, timeout=30)  # a first request, no guess
        assert anonymous.status_code == 401
        for attempt in range(guard.FREE_FAILURES + 1):
            assert httpx.get(url + "search", params={"q": "privacy"}, auth=("govsearch", "guess"), timeout=30).status_code == 401
            if attempt < guard.FREE_FAILURES:
                assert httpx.get(url, timeout=30).status_code == 200  # the login page does not reset the count
        slowed = httpx.get(url + "search", params={"q": "privacy"}, auth=("govsearch", "s3cret"), timeout=30)
        assert slowed.status_code == 429 and int(slowed.headers["retry-after"]) >= 1
        time.sleep(int(slowed.headers["retry-after"]) + 0.2)
        assert httpx.get(url + "search", params={"q": "privacy"}, auth=("govsearch", "s3cret"), timeout=30).status_code == 200
        for _ in range(guard.FREE_FAILURES + 1):  # Gradio's login form counts too
            httpx.post(url + "login", data={"username": "govsearch", "password": "guess"}, timeout=30)
        assert httpx.post(url + "login", data={"username": "govsearch", "password": "s3cret"}, timeout=30).status_code == 429
    finally:
        app.close()


def test_a_client_that_trickles_its_headers_is_cut_off(served, monkeypatch):
    monkeypatch.setattr(guard, "HEADER_TIMEOUT", 0.5)
    host, port = served.removeprefix("http://").rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(b"GET /search?q=privacy HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
        time.sleep(1.5)
        assert connection.recv(1024) == b""  # closed by the server
    with socket.create_connection((host, int(port)), timeout=10) as connection:  # a prompt client is served
        connection.sendall(b"GET /search?q=privacy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert connection.recv(64).startswith(b"HTTP/1.1 200")


# -- exports --------------------------------------------------------------------------------------------------


def test_starting_the_app_leaves_no_export_folder_and_exports_never_share_a_file(engine, tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    app, site, _ = serve(engine)
    try:
        assert not list(tmp_path.glob("govsearch-exports-*"))
    finally:
        app.close()
    folder = exports.ExportFolder()
    result = site.search(SearchRequest(query="privacy", k=2))
    paths = []
    threads = [threading.Thread(target=lambda: paths.append(folder.write(result, "csv"))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(paths)) == 8 and all(p.read_text(encoding="utf-8").startswith("rank,") for p in paths)
    assert len(list(tmp_path.glob("govsearch-exports-*"))) == 1


# -- long queries -------------------------------------------------------------------------------------------


class ShortSightedEncoder(HashEncoder):
    """The fake encoder, reading at most 12 whitespace tokens (or characters of Chinese) of a query."""

    max_tokens = 12

    def __init__(self):
        super().__init__()
        self.seen: list[str] = []

    def token_count(self, text: str, query: bool = False) -> int:
        return sum(len(word) if not word.isascii() else 1 for word in text.split())

    def encode_queries(self, texts, batch_size=32, progress=False):
        self.seen.extend(texts)
        return super().encode_queries(texts, batch_size, progress)


def test_a_long_query_is_cut_to_what_the_model_reads_with_a_note(engine):
    encoder = ShortSightedEncoder()
    short_sighted = Engine(engine.index, encoder)
    query = "personal data privacy protection " * 10
    result = short_sighted.search(SearchRequest(query=query))
    assert encoder.seen and all(encoder.token_count(text) <= 12 for text in encoder.seen)
    assert " ".join(query.split()[:12]) in encoder.seen  # the query as cut (its translation is embedded too)
    assert len(result.notes) == 1 and "12 tokens" in result.notes[0] and result.hits
    assert short_sighted.search(SearchRequest(query="personal data privacy")).notes == []
    assert short_sighted.search(SearchRequest(query=query, mode="bm25")).notes == []


def test_heavy_queries_do_not_hold_ordinary_ones_hostage():
    release = threading.Event()
    encoded: list[str] = []

    def encode(texts):
        if any(len(text) > 20 for text in texts):
            release.wait(30)  # a long query, still being encoded
        encoded.extend(texts)
        return np.zeros((len(texts), 2), dtype=np.float32)

    batcher = QueryBatcher(encode, heavy_tokens=20, heavy_budget=40)
    heavy = [threading.Thread(target=batcher.encode, args=("长" * 30 + str(i),)) for i in range(4)]
    for thread in heavy:
        thread.start()
    ordinary = threading.Thread(target=batcher.encode, args=("ordinary",))
    ordinary.start()
    ordinary.join(10)
    assert not ordinary.is_alive() and encoded == ["ordinary"]  # answered while every long query still waits
    release.set()
    for thread in heavy:
        thread.join(10)
    assert len(encoded) == 5
