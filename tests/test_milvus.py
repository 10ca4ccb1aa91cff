"""The Milvus store's own behaviour (its search results are in the contract of test_vector_stores.py): the
address and credentials it accepts, the errors it gives (unreachable, locked, another corpus or model, a
connection lost mid-query), how they reach the CLI and the app, filter values that need escaping, and
several processes sharing one store through `milvus-lite server`."""
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT, SEEDS, HashEncoder, free_port
from govsearch.indexing.build import build
from govsearch.indexing.index_format import IndexUnavailable
from govsearch.indexing.load import load_index
from govsearch.indexing.stores import StoreConfig, StoreUnavailable
from govsearch.indexing.stores import milvus_connection as connection
from govsearch.indexing.stores.base import BuildIdentity, LanguageVectors, PassageColumns
from govsearch.indexing.stores.milvus_expression import filter_expression, literal
from govsearch.interfaces.cli import main
from govsearch.records import Mode
from govsearch.retrieval.engine import Engine
from govsearch.retrieval.request import Filters, SearchRequest

QUERIES = ["military use of AI", "发展中国家的代表性", "personal privacy and data security"]


class OtherHash(HashEncoder):
    name = "test-hash-64-other"


@pytest.fixture(autouse=True)
def _fresh_clients():
    """Every test opens its stores anew, and leaves no Milvus Lite store open (its folder locked)."""
    yield
    connection.close_clients()


def small_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(SEEDS / "000_b030c1831d6e7ad4.txt", folder)
    return folder


def lite(folder: Path, alias: str = "govsearch") -> StoreConfig:
    return StoreConfig("milvus", str(folder / "vectors.db"), alias)


def milvus_engine(index_dir: Path, config: StoreConfig, corpus_dir: Path = SEEDS) -> Engine:
    return Engine(load_index(index_dir, corpus_dir, store=config), HashEncoder())


@pytest.fixture(scope="module")
def seed_in_lite(tmp_path_factory, corpus):
    """The seed corpus in a Milvus Lite store: (index folder, store config)."""
    folder = tmp_path_factory.mktemp("milvus-seed")
    config = lite(folder)
    build(SEEDS, folder / "index", progress=False, corpus=corpus, encoder=HashEncoder(), store=config)
    connection.close_clients()
    return folder / "index", config


# -- addresses and credentials ---------------------------------------------------------------------------


@pytest.mark.parametrize("uri, message", [
    ("http://root:s3cret@localhost:19530", "do not belong in the URI"),
    ("https://:s3cret@milvus.example:443", "do not belong in the URI"),
    ("ftp://milvus.example", "must start with http://"),
    ("localhost:19530", "neither a server address"),
    ("/no/such/folder/vectors.db", "does not exist"),
    ("http://milvus.example:port", "invalid host or port"),
    ("http://", "names no host"),
])
def test_a_wrong_uri_is_refused_with_a_reason_and_no_secret(uri, message):
    with pytest.raises(StoreUnavailable, match=message) as refused:
        connection.connect(uri)
    assert "s3cret" not in str(refused.value)


def test_credentials_come_from_the_environment_only(monkeypatch):
    for name in ("GOVSEARCH_MILVUS_TOKEN", "GOVSEARCH_MILVUS_USER", "GOVSEARCH_MILVUS_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    assert connection.credentials() == {}
    monkeypatch.setenv("GOVSEARCH_MILVUS_USER", "reader")
    with pytest.raises(StoreUnavailable, match="both"):
        connection.credentials()
    monkeypatch.setenv("GOVSEARCH_MILVUS_PASSWORD", "pw")
    assert connection.credentials() == {"user": "reader", "password": "pw"}
    monkeypatch.setenv("GOVSEARCH_MILVUS_TOKEN", "reader:pw")
    assert connection.credentials() == {"token": "reader:pw"}


def test_an_unreachable_server_is_one_clear_error_and_shows_no_token(monkeypatch, caplog, capfd, tmp_path):
    monkeypatch.setenv("GOVSEARCH_MILVUS_TOKEN", "root:token-that-must-not-show")
    caplog.set_level(logging.DEBUG)
    uri = f"http://127.0.0.1:{free_port()}"
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match=f"no Milvus server answers at {uri}") as refused:
        build(SEEDS, tmp_path / "index", progress=False, encoder=HashEncoder(), store=StoreConfig("milvus", uri))
    assert time.monotonic() - started < 8
    out, err = capfd.readouterr()
    assert "token-that-must-not-show" not in str(refused.value) + caplog.text + out + err


@pytest.mark.slow  # starts other processes (a Milvus Lite server, Python interpreters)
def test_importing_govsearch_imports_no_pymilvus_and_pymilvus_reads_no_env_file(tmp_path):
    """pymilvus calls load_dotenv() at import; run as `python -c`, that reads a .env in the working folder."""
    (tmp_path / ".env").write_text("GOVSEARCH_DOTENV_PROBE=loaded\n", encoding="utf-8")
    script = ("import os, sys; sys.path.insert(0, {root!r})\n"
              "import govsearch.interfaces.cli, govsearch.interfaces.web.app, govsearch.retrieval.opening\n"
              "print('pymilvus' in sys.modules)\n"
              "from govsearch.indexing.stores.milvus_connection import load_pymilvus; load_pymilvus()\n"
              "print(os.environ.get('GOVSEARCH_DOTENV_PROBE'), os.environ.get('PYTHON_DOTENV_DISABLED'))\n"
              "import dotenv; dotenv.load_dotenv()\n"  # what pymilvus's import does, to show the file is there to find
              "print(os.environ.get('GOVSEARCH_DOTENV_PROBE'))\n").format(root=str(ROOT))
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_DOTENV_DISABLED"}
    lines = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                           check=True).stdout.splitlines()
    assert lines == ["False", "None None", "loaded"]


def test_without_pymilvus_the_error_names_the_pip_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "pymilvus", None)  # what `import pymilvus` raises ImportError for
    monkeypatch.setattr(connection, "_pymilvus", None)
    with pytest.raises(StoreUnavailable, match="pip install -r requirements-milvus.txt"):
        connection.connect(str(Path("/tmp") / "never-opened.db"))


@pytest.mark.slow  # starts other processes (a Milvus Lite server, Python interpreters)
def test_a_lite_store_open_in_another_process_says_to_serve_it(tmp_path):
    store = tmp_path / "held.db"
    holder = subprocess.Popen([sys.executable, "-c", "import sys, pymilvus; pymilvus.MilvusClient(sys.argv[1]); "
                               "print('open', flush=True); sys.stdin.read()", str(store)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreUnavailable, match="open in another process.*milvus-lite server"):
            connection.connect(str(store))
    finally:
        holder.stdin.close()
        holder.wait(20)


# -- what a build records and what loading checks ---------------------------------------------------------


def test_the_manifest_records_the_store_without_credentials(seed_in_lite):
    index_dir, config = seed_in_lite
    loaded = load_index(index_dir, SEEDS, store=config)
    store = loaded.manifest["store"]
    assert store["kind"] == "milvus" and store["uri"] == os.path.abspath(config.uri) and store["alias"] == "govsearch"
    assert store["collection"].startswith("govsearch_") and loaded.dense.collection == store["collection"]
    assert not list(loaded.build_dir.glob("*.faiss"))


def test_an_index_opened_with_the_other_store_says_how_to_rebuild(seed_in_lite, fake_index):
    index_dir, config = seed_in_lite
    with pytest.raises(IndexUnavailable, match="keeps its vectors in Milvus at .*: add --store milvus --milvus-uri"):
        load_index(index_dir, SEEDS)
    with pytest.raises(IndexUnavailable, match="keeps its vectors in FAISS files, not in Milvus"):
        load_index(fake_index, SEEDS, store=config)


@pytest.mark.parametrize("encoder, corpus_of, problem", [
    (OtherHash(), lambda folder: SEEDS, "was built with model 'test-hash-64-other', not 'test-hash-64'"),
    (HashEncoder(), small_corpus, "was built from another corpus"),
])
def test_a_collection_built_otherwise_is_refused_and_a_running_engine_says_to_restart(tmp_path, encoder, corpus_of, problem):
    config = lite(tmp_path)
    build(SEEDS, tmp_path / "seed-index", progress=False, encoder=HashEncoder(), store=config)
    running = milvus_engine(tmp_path / "seed-index", config)
    assert running.search(SearchRequest(query="military use of AI")).hits
    other = corpus_of(tmp_path / "other-corpus")
    build(other, tmp_path / "other-index", progress=False, encoder=encoder, store=config)  # same alias: replaces it
    with pytest.raises(IndexUnavailable, match=problem + ".*build_index.py .*--store milvus --milvus-uri"):
        load_index(tmp_path / "seed-index", SEEDS, store=config)
    with pytest.raises(StoreUnavailable, match="replaced by a new build.*" + problem + ".*restart"):
        running.search(SearchRequest(query="military use of AI", mode=Mode.DENSE))


# -- failures while searching ------------------------------------------------------------------------------


class Flaky:
    """A client whose searches fail `failures` times with `error`, then pass through to the real one."""

    def __init__(self, client, error, failures):
        self.client, self.error, self.failures, self.calls = client, error, failures, 0

    def search(self, *args, **kwargs):
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error
        return self.client.search(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.client, name)


class GrpcFailure(Exception):
    """What pymilvus lets through from gRPC: an error with a status code."""

    def __init__(self, status):
        super().__init__(status)
        self.status = status

    def code(self):
        import grpc

        return getattr(grpc.StatusCode, self.status)


@pytest.fixture
def grpc_errors_count(monkeypatch):
    """GrpcFailure counts as a gRPC error (grpc.RpcError cannot be raised with a status of one's choosing)."""
    real = connection.is_milvus_failure
    monkeypatch.setattr(connection, "is_milvus_failure", lambda error: isinstance(error, GrpcFailure) or real(error))


def lost_connection():
    from pymilvus import MilvusException

    return MilvusException(code=connection.CONNECTION_FAILED, message="Fail connecting to server")


@pytest.mark.parametrize("error", [lost_connection, lambda: GrpcFailure("UNAVAILABLE")])
def test_a_connection_lost_once_is_retried_and_twice_is_an_error(seed_in_lite, monkeypatch, grpc_errors_count, error):
    engine = milvus_engine(*seed_in_lite)
    searcher = engine.index.dense
    request = SearchRequest(query="military use of AI", mode=Mode.DENSE)
    expected = [h.passage.id for h in engine.search(request).hits]
    flaky = Flaky(searcher.client, error(), failures=1)
    monkeypatch.setattr(searcher, "client", flaky)
    engine.cached_query_vector.cache_clear()
    assert [h.passage.id for h in engine.search(request).hits] == expected
    flaky.failures, flaky.calls = 2, 0
    with pytest.raises(StoreUnavailable, match="lost the connection to Milvus at .* while searching"):
        engine.search(request)
    assert flaky.calls == 2


def test_a_search_past_its_deadline_is_not_retried(seed_in_lite, monkeypatch, grpc_errors_count):
    engine = milvus_engine(*seed_in_lite)
    flaky = Flaky(engine.index.dense.client, GrpcFailure("DEADLINE_EXCEEDED"), failures=5)
    monkeypatch.setattr(engine.index.dense, "client", flaky)
    with pytest.raises(StoreUnavailable, match="did not answer a search within"):
        engine.search(SearchRequest(query="military use of AI", mode=Mode.DENSE))
    assert flaky.calls == 1


class DownStore:
    """A searcher whose store has gone away."""

    languages = ("en",)

    def search(self, *args):
        raise StoreUnavailable("lost the connection to Milvus at http://10.1.2.3:19530 while searching")

    def describe(self):
        return "Milvus, collection gone"


def test_the_app_answers_503_and_the_page_a_short_error_when_the_store_is_down(engine, served, monkeypatch):
    import urllib.error
    import urllib.request

    from govsearch.interfaces.web.app import guarded
    from govsearch.interfaces.web.i18n import t

    monkeypatch.setattr(engine.index, "dense", DownStore())
    engine.cached_query_vector.cache_clear()
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(served + "search?q=military+use+of+AI", timeout=30)
    assert answer.value.code == 503 and answer.value.headers["Retry-After"]
    body = json.loads(answer.value.read())
    assert body == {"error": t("error.store")} and "10.1.2.3" not in body["error"]

    def run_search(query, ui_lang):
        return engine.search(SearchRequest(query=query))

    page = guarded(run_search, lang_index=1)("military use of AI", "zh")
    assert t("error.store", "zh") in page


def test_the_cli_exits_non_zero_with_one_line_when_the_server_is_unreachable(seed_in_lite, capsys):
    index_dir, _ = seed_in_lite
    uri = f"http://127.0.0.1:{free_port()}"
    status = main(["search", "military use of AI", "--index", str(index_dir), "--store", "milvus", "--milvus-uri", uri])
    err = capsys.readouterr().err
    assert status == 2 and err.startswith(f"error: no Milvus server answers at {uri}") and "Traceback" not in err
    assert main(["build", "--store", "milvus", "--milvus-uri", ""]) == 2
    assert "--milvus-uri" in capsys.readouterr().err


# -- filter values -------------------------------------------------------------------------------------------

ODD_ISSUERS = ['He said "hi"', "O'Brien & Co", "back\\slash", "trailing\\", "国务院", "tab\there", "new\nline",
               "%_like", 'a", "b', "x] or year >= 0 or [y"]


def test_filter_values_are_quoted_so_they_cannot_change_the_expression():
    assert literal('He said "hi"') == '"He said \\"hi\\""'
    assert literal("back\\slash") == '"back\\\\slash"'
    assert literal("new\nline") == '"new\\nline"'
    with pytest.raises(ValueError, match="control character"):
        literal("bell\x07")
    expression = filter_expression(Filters(issuers=["x] or year >= 0 or [y"], unofficial=False, year_to=2020))
    assert expression == ('issuer in ["x] or year >= 0 or [y"] and role not in ["unofficial translation"] '
                          "and year <= 2020 and year >= 0")


def test_filter_values_that_need_escaping_select_exactly_their_rows(tmp_path):
    """Milvus evaluates each quoted value as the very string stored."""
    from govsearch.indexing.stores.milvus_store import MilvusStore

    n = len(ODD_ISSUERS) * 3
    rng = np.random.default_rng(1)
    vectors = rng.standard_normal((n, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    columns = PassageColumns(document=np.array(["d"] * n, dtype=object), language=np.array(["en"] * n, dtype=object),
                             role=np.array(["original"] * n, dtype=object),
                             issuer=np.array([ODD_ISSUERS[i % len(ODD_ISSUERS)].lower() for i in range(n)], dtype=object),
                             year=np.array([2000 + i for i in range(n)], dtype=np.int32))
    store = MilvusStore(lite(tmp_path))
    identity = BuildIdentity("m", 8, "f", n)
    record = store.write(tmp_path, [LanguageVectors("en", np.arange(n), vectors)], columns, "flat", identity)
    store.publish(record)
    searcher = store.open(tmp_path / "b" / "build", record, ["en"], identity, "rebuild")
    from govsearch.indexing.stores.base import Allowed

    for issuer in ODD_ISSUERS:
        filters = Filters(issuers=[issuer.upper()])
        found = {p for p, _ in searcher.search("en", vectors[0], n, Allowed(np.ones(n, dtype=bool), filters))}
        assert found == {i for i in range(n) if columns.issuer[i] == issuer.lower()}, issuer


# -- several processes on one store ------------------------------------------------------------------------

READER = """
import json, sys
sys.path[:0] = [{root!r}, {tests!r}]
from conftest import HashEncoder
from govsearch.indexing.load import load_index
from govsearch.indexing.stores import StoreConfig
from govsearch.retrieval.engine import Engine
from govsearch.retrieval.request import SearchRequest
engine = Engine(load_index({index!r}, {corpus!r}, store=StoreConfig("milvus", {uri!r})), HashEncoder())
for query in {queries!r}:
    for filters in ({{}}, {{"languages": ["zh"]}}, {{"unofficial": False, "year_from": 2023}}):
        hits = engine.search(SearchRequest(query=query, mode="dense", **filters)).hits
        print(json.dumps([[h.passage.id, h.score] for h in hits]))
"""


class LiteServer:
    """`milvus-lite server` on a loopback port, as a separate process."""

    def __init__(self, data_dir: Path):
        self.data_dir, self.port, self.process = data_dir, free_port(), None
        self.uri = f"http://127.0.0.1:{self.port}"

    def start(self):
        self.process = subprocess.Popen([sys.executable, "-m", "milvus_lite", "server", "--data-dir", str(self.data_dir),
                                         "--host", "127.0.0.1", "--port", str(self.port)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("milvus-lite server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


@pytest.fixture
def lite_server(tmp_path):
    server = LiteServer(tmp_path / "served.db")
    server.start()
    yield server
    server.stop()


@pytest.mark.slow  # starts other processes (a Milvus Lite server, Python interpreters)
def test_two_processes_searching_one_served_store_get_identical_answers(lite_server, tmp_path, corpus):
    config = StoreConfig("milvus", lite_server.uri)
    build(SEEDS, tmp_path / "index", progress=False, corpus=corpus, encoder=HashEncoder(), store=config)
    script = READER.format(root=str(ROOT), tests=str(ROOT / "tests"), index=str(tmp_path / "index"), corpus=str(SEEDS),
                           uri=lite_server.uri, queries=QUERIES)
    readers = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(2)]
    answers = [reader.communicate(timeout=120) for reader in readers]
    assert all(reader.returncode == 0 for reader in readers), [err[-2000:] for _, err in answers]
    assert answers[0][0] == answers[1][0] and len(answers[0][0].splitlines()) == 3 * len(QUERIES)
    here = milvus_engine(tmp_path / "index", config)
    first = [json.loads(line) for line in answers[0][0].splitlines()[::3]]
    assert first == [[[h.passage.id, h.score] for h in here.search(SearchRequest(query=q, mode="dense")).hits] for q in QUERIES]


@pytest.mark.slow  # starts other processes (a Milvus Lite server, Python interpreters)
def test_a_server_that_goes_down_mid_use_is_an_error_until_it_is_back(lite_server, tmp_path, corpus):
    config = StoreConfig("milvus", lite_server.uri)
    build(SEEDS, tmp_path / "index", progress=False, corpus=corpus, encoder=HashEncoder(), store=config)
    engine = milvus_engine(tmp_path / "index", config)
    request = SearchRequest(query="military use of AI", mode=Mode.DENSE)
    expected = [h.passage.id for h in engine.search(request).hits]
    lite_server.stop()
    with pytest.raises(StoreUnavailable, match="lost the connection"):
        engine.search(SearchRequest(query="data privacy", mode=Mode.DENSE))
    lite_server.start()  # a new server process: every collection starts released, and is loaded on first use
    engine.cached_query_vector.cache_clear()
    deadline = time.monotonic() + 20
    while True:  # gRPC waits a little (1 s, then longer) before it tries a connection that failed again
        try:
            assert [h.passage.id for h in engine.search(request).hits] == expected
            break
        except StoreUnavailable:
            assert time.monotonic() < deadline, "the engine did not get the server back"
            time.sleep(0.5)
