"""One contract for every vector store: the seed corpus indexed with the fake HashEncoder into FAISS files and
into a Milvus Lite store in a temporary folder (flat, exact search on both sides) answers every query with the
same hits as the reference engine (the `engine` fixture: FAISS, built by conftest), filters included, gives
nothing when nothing is allowed, compares documents alike, and never shows a half build while a rebuild
replaces the index."""
import threading

import numpy as np
import pytest

from conftest import SEEDS, HashEncoder
from govsearch.indexing.build import build
from govsearch.indexing.load import load_index
from govsearch.indexing.stores import StoreConfig
from govsearch.records import Mode, Role
from govsearch.retrieval.compare import compare_topics
from govsearch.retrieval.engine import Engine
from govsearch.retrieval.request import CompareRequest, SearchRequest

QUERIES = ["military use of AI", "发展中国家的代表性", "personal privacy and data security", "人工智能对就业的影响",
           "role of the United Nations", "open source", "伦理审查和问责机制"]
FILTERS = [
    {"languages": ["zh"]},
    {"languages": ["en"]},
    {"documents": ["gaigi"]},
    {"documents": ["shanghai-declaration-2024", "china-france-2024"]},
    {"issuers": ["CYBERSPACE ADMINISTRATION OF CHINA"]},  # issuers match regardless of case
    {"roles": [Role.ORIGINAL]},
    {"roles": [Role.OFFICIAL_TRANSLATION, Role.UNOFFICIAL_TRANSLATION]},
    {"unofficial": False},
    {"year_from": 2023},
    {"year_to": 2019},
    {"year_from": 2019, "year_to": 2023},
    {"documents": ["gaigi"], "languages": ["en"], "unofficial": False},
]


class Case:
    def __init__(self, backend, config, index_dir):
        self.backend = backend
        self.config = config
        self.index_dir = index_dir

    def build(self, corpus):
        return build(SEEDS, self.index_dir, index_type="flat", progress=False, corpus=corpus, encoder=HashEncoder(),
                     store=self.config)

    def engine(self):
        return Engine(load_index(self.index_dir, SEEDS, store=self.config), HashEncoder())


@pytest.fixture(scope="module", params=["faiss", "milvus"])
def store(request, tmp_path_factory, corpus):
    folder = tmp_path_factory.mktemp(f"store-{request.param}")
    config = StoreConfig() if request.param == "faiss" else StoreConfig("milvus", str(folder / "vectors.db"))
    case = Case(request.param, config, folder / "index")
    case.build(corpus)
    case.search_engine = case.engine()
    yield case
    if request.param == "milvus":
        from govsearch.indexing.stores.milvus_connection import close_clients

        close_clients()


def hit_ids(result):
    return [(hit.passage.id, [v.passage_id for v in hit.versions]) for hit in result.hits]


def scores(result):
    return [hit.score for hit in result.hits]


@pytest.mark.parametrize("mode", [Mode.DENSE, Mode.HYBRID])
def test_exact_search_gives_the_reference_top_10(store, engine, mode):
    for query in QUERIES:
        request = SearchRequest(query=query, k=10, mode=mode)
        found, expected = store.search_engine.search(request), engine.search(request)
        assert hit_ids(found) == hit_ids(expected), (store.backend, query)
        assert scores(found) == pytest.approx(scores(expected), abs=1e-4)


def test_stored_vectors_come_back_for_the_passages_asked(store):
    """What the search's pseudo-relevance feedback reads: each passage's stored vector, in the order asked, the
    one the search scored (its dot product with the query is the search's score)."""
    searcher = store.search_engine.index.dense
    query = store.search_engine.query_vector("military use of AI")
    found = [hit for language in searcher.languages for hit in searcher.search(language, query, 3, None)]
    positions = [position for position, _ in found][::-1]
    vectors = searcher.vectors(positions)
    assert vectors.shape == (len(positions), HashEncoder.dim)
    assert vectors @ query == pytest.approx([score for _, score in found][::-1], abs=1e-4)


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()))
def test_filters_give_the_reference_hits_and_only_allowed_passages(store, engine, filters):
    for query in QUERIES[:4]:
        request = SearchRequest(query=query, k=10, mode=Mode.DENSE, **filters)
        found = store.search_engine.search(request)
        assert hit_ids(found) == hit_ids(engine.search(request)), (store.backend, query)
        documents = store.search_engine.index.documents
        for hit in found.hits:
            for passage in [hit.passage, *hit.versions]:
                document = documents[passage.document_id]
                year = int(document.date[:4]) if document.date[:4].isdigit() else None
                assert not filters.get("languages") or passage.language in filters["languages"]
                assert not filters.get("documents") or passage.document_id in filters["documents"]
                assert not filters.get("issuers") or document.issuer.lower() == filters["issuers"][0].lower()
                assert not filters.get("roles") or passage.role in filters["roles"]
                assert filters.get("unofficial", True) or passage.role != Role.UNOFFICIAL_TRANSLATION
                assert "year_from" not in filters or (year is not None and year >= filters["year_from"])
                assert "year_to" not in filters or (year is not None and year <= filters["year_to"])


@pytest.mark.parametrize("filters", [{}, {"unofficial": False, "year_from": 2019}])
def test_compare_gives_the_reference_answer(store, engine, filters):
    """Compare ranks each document's passages with a restriction that no request filter states (that
    document's allowed passages): Milvus gets it as positions."""
    request = CompareRequest(topics=["military use of AI", "数据隐私", "role of the United Nations"], **filters)
    found, expected = compare_topics(store.search_engine, request), compare_topics(engine, request)
    assert [(d.document_id, d.addressed, [h.passage.id for h in d.passages]) for d in found.documents] == \
        [(d.document_id, d.addressed, [h.passage.id for h in d.passages]) for d in expected.documents]
    assert found.addressed == expected.addressed and any(d.passages for d in found.documents)
    assert np.allclose(found.matrix, expected.matrix, atol=1e-3)


@pytest.mark.parametrize("filters", [{"year_from": 2100}, {"documents": ["uk-lords-ai-code-2018"], "languages": ["zh"]},
                                     {"roles": [Role.ANNEX], "year_to": 2018}])
@pytest.mark.parametrize("mode", [Mode.DENSE, Mode.HYBRID])
def test_nothing_allowed_gives_no_hits(store, filters, mode):
    assert store.search_engine.search(SearchRequest(query="military use of AI", mode=mode, **filters)).hits == []


def test_concurrent_searches_answer_as_sequential_ones(store):
    """The web app searches from many threads at once: they share one store (one Milvus client)."""
    from concurrent.futures import ThreadPoolExecutor

    requests = [SearchRequest(query=q, k=10, mode=Mode.DENSE, **f) for q in QUERIES for f in ({}, FILTERS[7], FILTERS[2])]
    alone = [hit_ids(store.search_engine.search(r)) for r in requests]
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda r: hit_ids(store.search_engine.search(r)), requests * 3))
    assert together == alone * 3


def test_a_rebuild_while_searching_never_shows_a_half_build(store, corpus):
    """Searches run, from an engine opened before and from engines opened meanwhile, while the index is rebuilt
    twice (the same corpus: every complete build gives the same answers)."""
    requests = [SearchRequest(query=q, k=10, mode=Mode.DENSE) for q in QUERIES[:3]]
    expected = [hit_ids(store.search_engine.search(r)) for r in requests]
    done = threading.Event()
    outcomes = {"searches": 0, "wrong": [], "errors": []}

    def search_meanwhile():
        engine = store.search_engine
        while not done.is_set():
            try:
                if outcomes["searches"] % 9 == 8:
                    engine = store.engine()  # a process starting now sees the old build or the new one
                for request, answer in zip(requests, expected):
                    if hit_ids(engine.search(request)) != answer:
                        outcomes["wrong"].append(request.query)
                outcomes["searches"] += 1
            except Exception as error:  # noqa: BLE001 - every failure counts against the store
                outcomes["errors"].append(repr(error))
                return

    reader = threading.Thread(target=search_meanwhile)
    reader.start()
    try:
        for _ in range(2):
            store.build(corpus)
    finally:
        done.set()
        reader.join(60)
    assert outcomes["errors"] == [] and outcomes["wrong"] == [], outcomes
    assert outcomes["searches"] > 0
    assert [hit_ids(store.search_engine.search(r)) for r in requests] == expected
    assert [hit_ids(store.engine().search(r)) for r in requests] == expected
    if store.backend == "milvus":  # the alias names the last build's collection, the others were dropped
        from govsearch.indexing.stores.milvus_connection import connect

        client, manifest = connect(store.config.uri), store.engine().index.manifest
        assert client.list_collections() == [manifest["store"]["collection"]]
        assert client.describe_alias(manifest["store"]["alias"])["collection_name"] == manifest["store"]["collection"]
        assert store.search_engine.index.dense.collection == manifest["store"]["collection"]  # followed the alias
