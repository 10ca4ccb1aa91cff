"""Shared fixtures. Two engines over the seed corpus:

- `engine`: the index built with HashEncoder, a deterministic fake. Fast tests (filters, fusion, grouping,
  compare and answer logic, the web app's plumbing) use it; `pytest -m "not slow"` loads no real model, and a
  fast test that tries to is stopped with a message saying to mark it slow.
- `real_engine`: the index built with the default encoder (USE + e5). Golden tests of retrieval quality use it
  and are marked `slow`; CI runs them too.
"""
import hashlib
import os
import re
import socket
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus"

os.environ.setdefault("HF_HUB_OFFLINE", "1")


class HashEncoder:
    """A deterministic stand-in for a sentence encoder: each word (English) or character pair (Chinese) is
    hashed to a random unit direction and the directions are summed, so texts sharing words have similar
    vectors. No model, no language understanding; unit rows, batch-independent."""

    name = "test-hash-64"
    dim = 64
    symmetric = True
    TOKEN = re.compile(r"[a-z0-9]+|[\u4e00-\u9fff]{1,2}")

    def _vector(self, text: str) -> np.ndarray:
        total = np.zeros(self.dim, dtype=np.float32)
        for token in self.TOKEN.findall(text.lower()) or [""]:
            seed = int.from_bytes(hashlib.sha256(token.encode()).digest()[:8], "little")
            total += np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
        return total / max(float(np.linalg.norm(total)), 1e-12)

    def _encode(self, texts) -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("encode_queries/encode_passages take a list of strings, not a single string")
        return np.vstack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim), dtype=np.float32)

    def encode_queries(self, texts, batch_size=32, progress=False):
        return self._encode(texts)

    def encode_passages(self, texts, batch_size=32, progress=False):
        return self._encode(texts)


REAL_MODEL_FIXTURES = {"built_index", "real_engine", "real_served"}


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: needs the real encoders (USE, e5, a sentence-transformers model) or starts other processes (a Milvus server)")


def pytest_collection_modifyitems(config, items):
    """A test that uses a fixture with a real model must be marked slow (session fixtures are set up before
    the per-test guard below could stop them)."""
    unmarked = [item.nodeid for item in items
                if REAL_MODEL_FIXTURES & set(getattr(item, "fixturenames", ())) and item.get_closest_marker("slow") is None]
    if unmarked:
        raise pytest.UsageError("tests using a real model must be marked slow: " + ", ".join(unmarked))


class _NoRealModels(dict):
    """Stands in for the encoders' cache in fast tests: a spec that fails to load still says why, but a model
    that loads is refused."""

    def __setitem__(self, key, value):
        raise AssertionError(f"a fast test loaded the real encoder {key!r}: use the `engine` fixture or mark the test slow")


@pytest.fixture(autouse=True)
def _fast_tests_load_no_real_model(request, monkeypatch):
    if request.node.get_closest_marker("slow") is None:
        from govsearch.indexing import encoders

        monkeypatch.setattr(encoders, "_LOADED", _NoRealModels())


@pytest.fixture(scope="session", autouse=True)
def _project_root():
    """Run every test from the project root, as users do (sources are shown relative to it)."""
    previous = Path.cwd()
    os.chdir(ROOT)
    yield
    os.chdir(previous)


@pytest.fixture(scope="session")
def corpus():
    from govsearch.ingest.corpus import load_corpus

    return load_corpus(SEEDS)


@pytest.fixture(scope="session")
def fake_index(tmp_path_factory, corpus):
    """The seed corpus indexed with HashEncoder."""
    from govsearch.indexing.build import build

    index_dir = tmp_path_factory.mktemp("fake-index")
    build(SEEDS, index_dir, progress=False, corpus=corpus, encoder=HashEncoder())
    return index_dir


@pytest.fixture(scope="session")
def engine(fake_index):
    from govsearch.indexing.load import load_index
    from govsearch.retrieval.engine import Engine

    return Engine(load_index(fake_index, SEEDS), HashEncoder())


@pytest.fixture(scope="session")
def built_index(tmp_path_factory, corpus):
    """The seed corpus indexed once with the default encoder, in a temporary index folder (slow tests only)."""
    from govsearch.indexing.build import build

    index_dir = tmp_path_factory.mktemp("index")
    build(SEEDS, index_dir, progress=False, corpus=corpus)
    return index_dir


@pytest.fixture(scope="session")
def real_engine(built_index):
    from govsearch.retrieval.opening import open_engine

    return open_engine(built_index, SEEDS)


def passage_containing(engine_or_index, document_id: str, text: str):
    """The passage of a document whose text contains `text`: tests name passages by what they say, not by
    ids that a segmentation change would renumber."""
    index = getattr(engine_or_index, "index", engine_or_index)
    found = [p for p in index.passages if p.document_id == document_id and text in p.text]
    assert len(found) == 1, f"{len(found)} passages of {document_id} contain {text!r}"
    return found[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(engine, password: str | None = None):
    """The web app of an engine on a free loopback port: (app, site, base URL)."""
    from govsearch.interfaces.web.app import create_app, launch
    from govsearch.interfaces.web.site import Site

    site = Site(engine)
    app = create_app(site)
    _, url, _ = launch(app, site, "127.0.0.1", free_port(), password=password, prevent_thread_lock=True)
    return app, site, url


@pytest.fixture(scope="session")
def served(engine):
    """The web app on the fake engine; yields its base URL ("http://127.0.0.1:PORT/")."""
    app, _, url = serve(engine)
    yield url
    app.close()


@pytest.fixture(scope="session")
def real_served(real_engine):
    """The web app on the default encoder's engine (slow tests)."""
    app, _, url = serve(real_engine)
    yield url
    app.close()
