"""The index and the search engine on the seed corpus: build output, hits, languages, filters, errors."""
import json
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
from conftest import ROOT, HashEncoder, passage_containing

from govsearch.indexing.index_format import IndexUnavailable, current_build
from govsearch.indexing.load import load_index
from govsearch.retrieval.request import MAX_QUERY_CHARS, QueryError, SearchRequest

CITATION = re.compile(r"^.+ \(.+, \d{4}-\d{2}-\d{2}\), §\d+, (en|zh)$")


def test_the_fingerprint_covers_the_bundled_tables(monkeypatch, tmp_path):
    """An index built before the glossary changed is stale: glossary words are BM25 tokens and query bridges."""
    import govsearch.data as data
    from govsearch.ingest.corpus import corpus_fingerprint

    before = corpus_fingerprint(ROOT / "corpus")
    for name in data.INDEXED_TABLES:
        shutil.copy(data.resources.files(data.__name__).joinpath(name), tmp_path / name)
    with (tmp_path / "glossary_zh_en.tsv").open("a", encoding="utf-8") as glossary:
        glossary.write("部署者\tdeployer\n")
    monkeypatch.setattr(data.resources, "files", lambda package: tmp_path)
    assert corpus_fingerprint(ROOT / "corpus") != before


def search(engine, query, **kwargs):
    return engine.search(SearchRequest(query=query, **kwargs)).hits


def test_build_writes_a_checked_manifest(fake_index, corpus):
    build = current_build(fake_index)
    manifest = json.loads((build / "manifest.json").read_text())
    assert manifest["corpus_fingerprint"] == corpus.fingerprint
    assert manifest["counts"]["passages"] == len(corpus.passages)
    assert manifest["index_type"] == "flat" and manifest["dimension"] > 0
    assert {"passages.jsonl", "documents.json", "bm25/vocab.json", "vectors.en.faiss", "vectors.zh.faiss"} <= set(manifest["files"])
    assert not list(build.parent.glob("*.partial"))


@pytest.mark.slow
def test_english_question_finds_the_military_passage(real_engine):
    hits = search(real_engine, "What do the declarations say about military AI?")
    top = hits[0]
    assert top.passage.document_id == "gaigi" and "in the military field" in top.passage.text
    assert "military" in top.sentence and top.sentence in top.passage.text
    assert CITATION.match(top.citation), top.citation
    # English reader: the official English text, with the other versions one click away
    assert top.passage.role == "official translation" and top.passage.language == "en"
    assert {(v.language, v.role) for v in top.versions} >= {("zh", "original"), ("en", "unofficial translation"), ("en", "annex")}


def test_one_hit_per_statement(engine):
    hits = search(engine, "representation of developing countries", k=20)
    groups = [h.passage.group for h in hits]
    assert len(groups) == len(set(groups))
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert all(0 <= h.score <= 1 for h in hits) and hits == sorted(hits, key=lambda h: -h.score)


@pytest.mark.slow
def test_chinese_question_shows_the_chinese_original(real_engine):
    top = search(real_engine, "发展中国家的代表性")[0]
    assert top.passage.id == passage_containing(real_engine, "gaigi", "增强发展中国家在人工智能全球治理中的代表性").id


@pytest.mark.slow
@pytest.mark.parametrize("query, document, anchor", [
    ("公众参与人工智能决策", "shanghai-declaration-2024", "to include the public in decision-making"),
    ("网络安全，防范黑客攻击和恶意软件", "shanghai-declaration-2024", "prevent hacking and malware"),
    ("技术黑箱带来的安全风险", "shanghai-initiative-2019", "technology black box"),
])
def test_chinese_question_finds_english_only_passages(real_engine, query, document, anchor):
    wanted = passage_containing(real_engine, document, anchor).id
    assert wanted in [h.passage.id for h in search(real_engine, query, k=3)]


@pytest.mark.slow
def test_english_question_finds_chinese_text_through_groups(real_engine):
    hits = search(real_engine, "oppose ideological lines and exclusive groups", languages=("zh",), k=3)
    assert hits and all(h.passage.language == "zh" for h in hits)
    assert hits[0].passage.id == passage_containing(real_engine, "gaigi", "反对以意识形态划线或构建排他性集团").id


@pytest.mark.slow
def test_every_mode_answers(real_engine):
    wanted = passage_containing(real_engine, "gaigi", "保障人工智能研发和应用中的个人隐私与数据安全").group
    for mode in ("hybrid", "dense", "bm25"):
        hits = search(real_engine, "personal privacy and data security", mode=mode, k=5)
        assert wanted in [h.passage.group for h in hits], mode


def test_filters(engine):
    assert {h.passage.document_id for h in search(engine, "AI safety", documents=("shanghai-declaration-2024",))} == {"shanghai-declaration-2024"}
    assert all(h.date.startswith("2018") for h in search(engine, "ethics", year_from=2018, year_to=2018))
    issuer = search(engine, "AI", issuers=("Governments of China and France",))
    assert {h.passage.document_id for h in issuer} == {"china-france-2024"}


def test_filters_apply_to_the_attached_versions_too(engine):
    """A hit's other versions are one click away, but only those the filters let through."""
    everything = search(engine, "intelligence for good", k=20)
    assert any(v.role == "unofficial translation" for h in everything for v in h.versions)
    no_unofficial = search(engine, "intelligence for good", unofficial=False, k=20)
    assert no_unofficial and all(h.passage.role != "unofficial translation" for h in no_unofficial)
    assert all(v.role != "unofficial translation" for h in no_unofficial for v in h.versions)
    assert any(h.versions for h in no_unofficial)  # the official versions are still attached
    english = search(engine, "intelligence for good", languages=("en",), k=20)
    assert english and all(v.language == "en" for h in english for v in h.versions)


def test_cli_no_unofficial_lists_no_unofficial_translation_anywhere(engine, monkeypatch, capsys):
    from govsearch.interfaces import cli

    monkeypatch.setattr(cli, "_engine", lambda args: engine)
    assert cli.main(["search", "AI", "--no-unofficial", "--json", "--k", "20"]) == 0
    hits = json.loads(capsys.readouterr().out)["hits"]
    roles = [h["role"] for h in hits] + [v["role"] for h in hits for v in h["versions"]]
    assert hits and "unofficial translation" not in roles and "official translation" in roles


@pytest.mark.slow
def test_cli_no_unofficial_with_the_real_index(built_index):
    out = subprocess.run([sys.executable, "-m", "govsearch", "search", "AI", "--no-unofficial", "--json", "--index", str(built_index)],
                         capture_output=True, text=True, timeout=300, check=True)
    hits = json.loads(out.stdout)["hits"]
    assert hits and "unofficial translation" not in out.stdout


@pytest.mark.parametrize("filters, message", [
    ({"documents": ("no-such-document",)}, "unknown document 'no-such-document'; known: china-france-2024"),
    ({"languages": ("notalist",)}, "unknown passage language 'notalist'; known: en, zh"),
    ({"issuers": ("Nobody",)}, "unknown issuer 'nobody'"),
    ({"year_from": 2024, "year_to": 2020}, "year_from (2024) is after year_to (2020)"),
    ({"roles": ("boss",)}, "role 'boss' is not one of"),
])
def test_unknown_filter_values_are_refused_with_the_known_ones(engine, filters, message):
    with pytest.raises(QueryError, match=re.escape(message)):
        search(engine, "AI", **filters)


@pytest.mark.parametrize("query", ["", "   \t\n ", "\x00\x01"])
def test_empty_queries_are_refused(engine, query):
    with pytest.raises(QueryError, match="empty"):
        engine.search(SearchRequest(query=query))


def test_overlong_query_is_refused(engine):
    with pytest.raises(QueryError, match="2,000"):
        engine.search(SearchRequest(query="a" * (MAX_QUERY_CHARS + 1)))


@pytest.mark.parametrize("query", ["military\x07 AI\u200b", "AI 军事 military 应用 🤖", "<script>alert(1)</script>", "'; DROP TABLE passages; --"])
def test_odd_queries_still_work(engine, query):
    result = engine.search(SearchRequest(query=query, k=3))
    assert isinstance(result.hits, list)


def test_bad_mode_and_k_are_refused(engine):
    with pytest.raises(QueryError):
        engine.search(SearchRequest(query="AI", mode="magic"))
    with pytest.raises(QueryError):
        engine.search(SearchRequest(query="AI", k=0))


def test_index_built_with_another_model_is_refused(fake_index):
    with pytest.raises(IndexUnavailable, match="built with model"):
        load_index(fake_index, model="use-multilingual-v3")


def test_index_of_a_changed_corpus_is_refused(fake_index, tmp_path):
    changed = tmp_path / "corpus"
    shutil.copytree("corpus", changed)
    (changed / "new.txt").write_text("A new declaration on AI and the oceans.\n", encoding="utf-8")
    with pytest.raises(IndexUnavailable, match="has changed"):
        load_index(fake_index, changed)


def test_damaged_index_file_is_named(fake_index, tmp_path):
    copy = tmp_path / "index"
    shutil.copytree(fake_index, copy)
    target = current_build(copy) / "vectors.en.faiss"
    target.write_bytes(target.read_bytes()[:100])
    with pytest.raises(IndexUnavailable, match="vectors.en.faiss"):
        load_index(copy)


def test_missing_index_says_how_to_build(tmp_path):
    with pytest.raises(IndexUnavailable, match="build_index.py"):
        load_index(tmp_path / "nothing")


def test_rebuild_embeds_only_new_passages(tmp_path):
    from govsearch.indexing.build import build

    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    shutil.copy("corpus/000_b030c1831d6e7ad4.txt", corpus_dir)
    index_dir = tmp_path / "index"
    first = build(corpus_dir, index_dir, progress=False, encoder=HashEncoder())
    assert first.embedded_now == 15
    (corpus_dir / "extra.txt").write_text("We call for the responsible use of AI in ocean science.\n", encoding="utf-8")
    second = build(corpus_dir, index_dir, progress=False, encoder=HashEncoder())
    assert second.embedded_now == 1
    assert load_index(index_dir, corpus_dir).manifest["counts"]["passages"] == 16


@pytest.mark.slow
def test_cli_batch_keeps_order_and_loads_once(built_index, tmp_path):
    queries = tmp_path / "queries.txt"
    queries.write_text("military use of AI\n发展中国家的代表性\n\nopen source\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "govsearch", "search", "--batch", str(queries), "--json", "--k", "2", "--index", str(built_index)],
        capture_output=True, text=True, timeout=300,
    )
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [line["query"] for line in lines] == ["military use of AI", "发展中国家的代表性", "", "open source"]
    assert "error" in lines[2] and lines[0]["hits"][0]["document_id"] == "gaigi"
    hit = lines[0]["hits"][0]
    assert {"rank", "score", "text", "citation", "document_id", "title", "language", "section", "sentence", "versions"} <= set(hit)
    assert {"text", "language", "role", "source"} <= set(hit["versions"][0])


def test_cli_reports_a_missing_index_without_traceback(tmp_path):
    out = subprocess.run([sys.executable, "-m", "govsearch", "search", "AI", "--index", str(tmp_path / "none")],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "Traceback" not in out.stderr and "build_index.py" in out.stderr


@pytest.mark.parametrize("framed, topic", [
    ("What do these declarations say about military AI?", "military AI"),
    ("Which documents mention the digital divide?", "the digital divide"),
    ("哪些文件提到了发展中国家的代表性？", "发展中国家的代表性"),
    # a colloquial Chinese question: pronouns and question words name no topic either
    ("我的个人信息被泄露了，公司有没有义务告诉我？", "个人信息被泄露了，公司义务告诉"),
])
def test_words_that_frame_a_question_do_not_score(engine, framed, topic):
    """Asking about "the declarations" or "文件" names no topic: BM25 scores the framed question as the topic alone."""
    from govsearch.crosslingual.query import own_tokens

    lexical = engine.index.lexical
    np.testing.assert_allclose(lexical.query_scores(framed), lexical.query_scores(topic))
    assert not {"declaration", "document", "mention", "say", "文件", "提到", "我", "有没有"} & set(own_tokens(framed))


def test_an_abbreviation_scores_as_its_expansion(engine):
    lexical = engine.index.lexical
    np.testing.assert_allclose(lexical.query_scores("role of the UN"), lexical.query_scores("role of the United Nations"))
    top = engine.search(SearchRequest(query="role of the UN", k=3, languages=("en",))).hits
    assert any("United Nations" in h.passage.text for h in top)
    # in a Chinese question too: its Latin "UN" reaches English passages that spell it out
    gained = lexical.query_scores("UN在人工智能治理中的作用") - lexical.query_scores("在人工智能治理中的作用")
    spelled_out = [i for i, p in enumerate(engine.index.passages) if "United Nations" in p.text and p.language == "en"]
    assert spelled_out and all(gained[i] > 0 for i in spelled_out)


def test_abbreviations_match_case_and_boundaries():
    from govsearch.crosslingual.dictionary import abbreviation_pairs

    assert abbreviation_pairs("role of the UN") == [("UN", "United Nations")]
    assert abbreviation_pairs("the U.N. charter") == [("UN", "United Nations")]  # one canonical form
    assert abbreviation_pairs("the united nations") == [("UN", "United Nations")]
    assert abbreviation_pairs("UN的作用") == [("UN", "United Nations")]
    assert abbreviation_pairs("it is FUN, un peu") == []  # case-sensitive, whole words only
    assert abbreviation_pairs("UN-Habitat") == []


@pytest.mark.parametrize("index_type", ["hnsw", "hnsw-sq8", "flat"])
def test_a_narrow_filter_gets_the_exact_best_of_what_it_allows(index_type, monkeypatch):
    """Compare ranks one document's passages at a time: an approximate graph search restricted to 40 rows of
    20,000 found only some of them (and returned fewer than k); those rows are scored in full instead."""
    from govsearch.indexing import dense

    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((20_000, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = dense.build_index(vectors, index_type)
    query = vectors[:1] + 0.1 * rng.standard_normal((1, 32)).astype(np.float32)
    allowed = np.zeros(len(vectors), dtype=bool)
    allowed[12_000:12_040] = True
    scores, ids = dense.search(index, query, 10, allowed)
    expected = 12_000 + np.argsort(-(vectors[12_000:12_040] @ query[0]), kind="stable")[:10]
    assert ids[0].tolist() == expected.tolist()
    assert np.all(np.diff(scores[0]) <= 1e-6)
