"""Hostile input, interrupted builds, damaged indexes: nothing crashes, nothing is lost, nothing wrong is served."""
import io
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govsearch.indexing.index_format import IndexUnavailable, current_build
from govsearch.indexing.load import load_index
from govsearch.ingest.corpus import load_corpus
from govsearch.retrieval.request import QueryError, SearchRequest

ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = [".txt", ".md", ".html", ".pdf"]


def assert_accounted(corpus, folder: Path):
    """Every file ends ingested (it has a version) or skipped with a reason."""
    ingested = {v.source for d in corpus.documents for v in d.versions}
    skipped = {s.source: s.reason for s in corpus.skipped}
    for path in folder.iterdir():
        names = {s for s in ingested | set(skipped) if s.endswith(path.name)}
        assert names, f"{path.name} was neither ingested nor skipped"
        assert all(skipped.get(n, "x") for n in names)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_never_crash_ingestion(tmp_path_factory, data, suffix):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / f"f{suffix}").write_bytes(data)
    assert_accounted(load_corpus(folder), folder)


HOSTILE_TEXT = st.text(
    alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from("\u200b\u200e\u200f\u202e\u2066\ufeff人工智能。.\n——--")),
    max_size=2000,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=HOSTILE_TEXT, encoding=st.sampled_from(["utf-8", "utf-16", "gb18030", "big5", "utf-8-sig"]))
def test_any_text_in_any_encoding_is_ingested_or_skipped(tmp_path_factory, text, encoding):
    folder = tmp_path_factory.mktemp("enc")
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    (folder / "doc.txt").write_bytes(data)
    assert_accounted(load_corpus(folder), folder)


def test_pathological_files(tmp_path):
    (tmp_path / "lone-surrogate.txt").write_bytes("text \ud800 here".encode("utf-8", "surrogatepass"))
    (tmp_path / "long-line.txt").write_text("word " * 200_000 + "\n", encoding="utf-8")
    (tmp_path / "nested.html").write_text("<div>" * 5000 + "<p>Deep text about AI governance.</p>" + "</div>" * 5000)
    (tmp_path / "malformed.html").write_text("<html><p>Unclosed <b>tags <script>alert(1)</p><p>Second paragraph.")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\nthis is not a pdf")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "only-boilerplate.txt").write_text("Home>>\n\nPhotos\n\nRelated Stories\n")
    (tmp_path / "good.txt").write_text("We call for the responsible development of artificial intelligence.\n")
    corpus = load_corpus(tmp_path)
    assert_accounted(corpus, tmp_path)
    reasons = {Path(s.source).name: s.reason for s in corpus.skipped}
    assert "broken PDF" in reasons["broken.pdf"] and "binary" in reasons["binary.txt"]
    assert reasons["empty.md"] == "empty file" and "boilerplate" in reasons["only-boilerplate.txt"]
    texts = " ".join(p.text for p in corpus.passages)
    assert "Deep text about AI governance." in texts and "alert(1)" not in texts
    assert "responsible development" in texts


def test_encrypted_pdf_is_skipped_with_reason(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret", algorithm="RC4-40")
    buffer = io.BytesIO()
    writer.write(buffer)
    (tmp_path / "locked.pdf").write_bytes(buffer.getvalue())
    corpus = load_corpus(tmp_path)
    assert [s.reason for s in corpus.skipped] == ["encrypted PDF"]


def test_fifty_megabyte_file_is_skipped_quickly(tmp_path):
    with open(tmp_path / "huge.txt", "wb") as handle:
        handle.truncate(50_000_000)
    (tmp_path / "ok.txt").write_text("A short declaration on AI.\n")
    started = time.time()
    corpus = load_corpus(tmp_path)
    assert time.time() - started < 20
    assert any("50" in s.reason and "MB" in s.reason and "limit" in s.reason for s in corpus.skipped)
    assert len(corpus.passages) == 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", " ", "\x00", "🤖🤖", "مرحبا بالذكاء", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
                     "' OR 1=1; --", "a" * 100_000, "人工智能" * 600]),
))
def test_any_query_gets_results_or_a_clear_refusal(engine, query):
    try:
        result = engine.search(SearchRequest(query=query, k=3))
    except QueryError as error:
        assert str(error)
    else:
        assert all(0 <= h.score <= 1 for h in result.hits)


@pytest.mark.slow
def test_killed_builds_leave_the_previous_index_serving(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "corpus" / "000_b030c1831d6e7ad4.txt", corpus)
    index = tmp_path / "index"
    command = [sys.executable, "build_index.py", "--model", "use", "--quiet", "--corpus", str(corpus), "--index", str(index)]
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True, timeout=600)
    before = load_index(index, corpus)
    rng = random.Random(7)
    for _ in range(3):
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 4.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = load_index(index, corpus)  # still loads, verified against its checksums
        assert after.manifest["counts"] == before.manifest["counts"]
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True, timeout=600)
    assert load_index(index, corpus).manifest["counts"]["passages"] == 15


@pytest.mark.slow
def test_a_rebuild_while_the_app_serves_never_disturbs_a_request(built_index, tmp_path):
    """Two builds of a grown corpus run while clients search the app: every answer stays the one the app
    loaded (it keeps its index until restart), the Documents view still works after its build folder is
    pruned, and the next load sees the new passages."""
    import threading

    import httpx
    from conftest import SEEDS, free_port

    from govsearch.indexing.encoders import load_encoder
    from govsearch.interfaces.web.app import create_app, launch
    from govsearch.interfaces.web.site import Site
    from govsearch.retrieval.engine import Engine

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(SEEDS, corpus)
    shutil.copytree(built_index, index)  # with its embedding cache: the rebuilds embed only the new file
    loaded = load_index(index, corpus)
    site = Site(Engine(loaded, load_encoder(loaded.manifest["model"])))
    app = create_app(site)
    _, url, _ = launch(app, site, "127.0.0.1", free_port(), prevent_thread_lock=True)
    queries = ["military use of AI", "发展中国家的代表性", "open source models"]
    try:
        expected = {q: httpx.get(url + "search", params={"q": q}, timeout=60).json()["hits"] for q in queries}
        (corpus / "zz_new_statement.txt").write_text(
            "Joint Statement on Quantum Safety\n\nWe commit to cooperate on post-quantum cryptography for AI systems "
            "and to share evaluations of quantum-resistant protocols among all participating states.\n", encoding="utf-8")
        answers, done = [], threading.Event()

        def client():
            while not done.is_set():
                for q in queries:
                    response = httpx.get(url + "search", params={"q": q}, timeout=60)
                    answers.append((q, response.status_code, response.json().get("hits")))

        thread = threading.Thread(target=client)
        thread.start()
        command = [sys.executable, "build_index.py", "--quiet", "--corpus", str(corpus), "--index", str(index)]
        try:
            for _ in range(2):  # the second build prunes the folder the app loaded from
                subprocess.run(command, check=True, cwd=ROOT, capture_output=True, timeout=600)
        finally:
            done.set()
            thread.join(timeout=120)
        assert answers and all(status == 200 and hits == expected[q] for q, status, hits in answers)
        assert not loaded.build_dir.exists()
        clean, received = site.show_version(next(iter(site.by_version)))
        assert "gs-error" not in clean and received
        reloaded = load_index(index, corpus)
        assert reloaded.manifest["counts"]["passages"] > loaded.manifest["counts"]["passages"]
        assert any("quantum" in p.text for p in reloaded.passages)
    finally:
        app.close()


@pytest.mark.parametrize("victim", ["manifest.json", "passages.jsonl", "documents.json", "texts.json", "offsets.json", "shapes.json",
                                    "vectors.en.faiss", "ids.en.npy", "bm25/data.npy", "bm25/vocab.json"])
@pytest.mark.parametrize("damage", ["truncate", "flip"])
def test_each_damaged_index_file_is_reported(fake_index, tmp_path, victim, damage):
    copy = tmp_path / "index"
    shutil.copytree(fake_index, copy)
    target = current_build(copy) / victim
    data = bytearray(target.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    else:
        data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    with pytest.raises(IndexUnavailable) as error:
        load_index(copy)
    assert victim.split("/")[-1] in str(error.value) or "manifest" in str(error.value)
    assert "build_index.py" in str(error.value)


def test_app_refuses_files_outside_it(served):
    import httpx

    for path in ["file=/etc/passwd", "gradio_api/file=/etc/passwd", "gradio_api/file=../../etc/passwd",
                 "file=../corpus/catalog.yaml", "gradio_api/file=" + str(ROOT / "corpus" / "catalog.yaml"),
                 "static/../../etc/passwd", "gradio_api/file=%2Fetc%2Fpasswd", "search/../../etc/passwd"]:
        response = httpx.get(served + path, timeout=30)
        assert response.status_code in (400, 403, 404), (path, response.status_code)
        assert "root:" not in response.text
