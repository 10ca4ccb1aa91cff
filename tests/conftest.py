import os
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus"

os.environ.setdefault("HF_HUB_OFFLINE", "1")


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
def built_index(tmp_path_factory, corpus):
    """The seed corpus indexed once with the default encoder, in a temporary index folder."""
    from govsearch.indexing.build import build

    index_dir = tmp_path_factory.mktemp("index")
    build(SEEDS, index_dir, progress=False, corpus=corpus)
    return index_dir


@pytest.fixture(scope="session")
def engine(built_index):
    from govsearch.retrieval.opening import open_engine

    return open_engine(built_index, SEEDS)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def served(engine):
    """The web app on a free loopback port; yields its base URL ("http://127.0.0.1:PORT/")."""
    from govsearch.interfaces.web.app import create_app, launch

    app = create_app(engine)
    _, url, _ = launch(app, "127.0.0.1", free_port(), prevent_thread_lock=True)
    yield url
    app.close()
