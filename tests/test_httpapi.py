"""The plain JSON routes (/search, /compare, /ask) of the running app: answers, refusals, auth, busy."""
import threading

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govsearch.retrieval.request import SearchRequest


def test_get_search_answers_like_the_engine(served, engine):
    response = httpx.get(served + "search", params={"q": "military use of AI", "k": 5}, timeout=60)
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    body = response.json()
    expected = [h.passage.id for h in engine.search(SearchRequest(query="military use of AI", k=5)).hits]
    assert [h["passage_id"] for h in body["hits"]] == expected
    assert body["hits"][0]["citation"].startswith("Global AI Governance Initiative")


def test_post_search_with_filters(served):
    response = httpx.post(served + "search", json={"q": "数据安全", "k": 4, "lang": ["en"], "unofficial": False}, timeout=60)
    hits = response.json()["hits"]
    assert response.status_code == 200 and hits
    assert all(h["language"] == "en" and h["role"] != "unofficial translation" for h in hits)
    repeated = httpx.get(served + "search", params=[("q", "privacy"), ("lang", "zh"), ("k", "3")], timeout=60).json()
    assert repeated["hits"] and all(h["language"] == "zh" for h in repeated["hits"])
    issuer = "World AI Conference and High-Level Meeting on Global AI Governance"
    by_issuer = httpx.get(served + "search", params={"q": "cooperation", "issuer": issuer}, timeout=60).json()["hits"]
    assert by_issuer and all(h["issuer"] == issuer for h in by_issuer)
    annex = httpx.post(served + "search", json={"q": "人工智能治理", "role": ["annex"]}, timeout=60).json()["hits"]
    assert annex and all(h["role"] == "annex" for h in annex)


@pytest.mark.parametrize("params, status, message", [
    ({"q": ""}, 400, "empty"),
    ({"q": "   \t "}, 400, "empty"),
    ({"q": "x", "k": 0}, 400, "k must be"),
    ({"q": "x", "k": 1000}, 400, "k must be"),
    ({"q": "x", "mode": "magic"}, 400, "not one of"),
    ({"q": "x", "k": "ten"}, 422, "integer"),
    ({}, 422, "q"),
])
def test_bad_search_requests_are_refused_with_a_reason(served, params, status, message):
    response = httpx.get(served + "search", params=params, timeout=60)
    assert response.status_code == status
    assert message in response.text


def test_an_overlong_query_is_refused_whole(served):
    response = httpx.post(served + "search", json={"q": "人工智能" * 1_000}, timeout=60)
    assert response.status_code == 400 and "4,000 characters" in response.json()["error"]
    response = httpx.post(served + "search", content=b"{not json", headers={"content-type": "application/json"}, timeout=60)
    assert response.status_code == 422


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.one_of(
    st.text(max_size=200),
    st.sampled_from(["\x00\x01", "🤖 AI 🤖", "الذكاء الاصطناعي", "<script>alert(1)</script>", "**bold** [x](javascript:1)",
                     "'; DROP TABLE passages; --", "\u202eevil\u202c", "a\u200bb\ufeff", "人工智能" * 500]),
))
def test_any_query_to_the_endpoint_gets_hits_or_a_reason(served, query):
    response = httpx.post(served + "search", json={"q": query, "k": 3}, timeout=60)
    assert response.status_code in (200, 400), response.text[:200]
    body = response.json()
    if response.status_code == 200:
        assert all(0 <= h["score"] <= 1 and h["citation"] for h in body["hits"])
    else:
        assert body["error"]


def test_a_body_over_the_limit_is_refused_before_it_is_read(served):
    response = httpx.post(served + "search", json={"q": "人工智能" * 25_000}, timeout=60)
    assert response.status_code == 413 and "64 kB" in response.json()["error"]
    chunked = httpx.post(served + "search", content=iter([b'{"q": "', b"x" * 70_000, b'"}']),
                         headers={"content-type": "application/json"}, timeout=60)
    assert chunked.status_code == 413


def test_compare_and_ask_routes(served):
    compared = httpx.get(served + "compare", params=[("topic", "military use of AI"), ("topic", "data privacy")], timeout=60)
    assert compared.status_code == 200 and len(compared.json()["matrix"]["topics"]) == 2
    assert httpx.post(served + "compare", json={"topic": []}, timeout=60).status_code == 400
    answered = httpx.post(served + "ask", json={"q": "How should personal data be protected?"}, timeout=60).json()
    assert answered["found"] and "[1]" in answered["answer"]
    assert httpx.get(served + "ask", params={"q": "Who won the football World Cup?"}, timeout=60).json()["found"] is False


def test_concurrent_requests_are_all_answered_correctly(served):
    queries = ["military use of AI", "发展中国家的代表性", "open source", "人工智能对就业的影响", "AI literacy", "联合国的作用"] * 4
    expected = {q: httpx.get(served + "search", params={"q": q, "k": 3}, timeout=60).json()["hits"] for q in set(queries)}
    answers: dict[int, list] = {}

    def worker(i):
        answers[i] = httpx.get(served + "search", params={"q": queries[i], "k": 3}, timeout=60).json()["hits"]

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(queries))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(answers[i] == expected[q] for i, q in enumerate(queries))


def test_password_protects_the_routes(engine):
    from conftest import free_port

    from govsearch.interfaces.web.app import create_app, launch
    from govsearch.interfaces.web.site import Site

    site = Site(engine)
    app = create_app(site)
    _, url, _ = launch(app, site, "127.0.0.1", free_port(), password="s3cret", prevent_thread_lock=True)
    try:
        refused = httpx.get(url + "search", params={"q": "privacy"}, timeout=60)
        assert refused.status_code == 401 and "hits" not in refused.text
        wrong = httpx.get(url + "search", params={"q": "privacy"}, auth=("govsearch", "guess"), timeout=60)
        assert wrong.status_code == 401
        allowed = httpx.get(url + "search", params={"q": "privacy"}, auth=("govsearch", "s3cret"), timeout=60)
        assert allowed.status_code == 200 and allowed.json()["hits"]
    finally:
        app.close()


def test_a_server_that_stays_busy_says_so():
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from govsearch.interfaces.web.httpapi import json_routes

    entered, release = threading.Event(), threading.Event()

    class StuckSite:
        def search(self, *args):
            entered.set()
            release.wait(timeout=30)
            return {"hits": []}

    client = TestClient(FastAPI(routes=json_routes(StuckSite(), workers=1, busy_seconds=0.2)))
    first = threading.Thread(target=lambda: client.get("/search", params={"q": "one"}))
    first.start()
    assert entered.wait(timeout=30)
    try:
        busy = client.get("/search", params={"q": "two"})
        assert busy.status_code == 503 and busy.headers["retry-after"] and "busy" in busy.json()["error"]
    finally:
        release.set()
        first.join(timeout=30)
    assert client.get("/search", params={"q": "three"}).json() == {"hits": []}
