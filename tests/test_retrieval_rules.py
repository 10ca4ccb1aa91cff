"""The retrieval steps added for corpora nobody tuned for: part references, question shapes, the lift they
give, term coverage, the bridged dense query, the coverage and answerability models, and the evaluation's
figures."""
from dataclasses import astuple

import numpy as np
import pytest
from conftest import HashEncoder

from govsearch.crosslingual.query import translation
from govsearch.records import Mode
from govsearch.retrieval.coverage import (
    AnswerSignals,
    Evidence,
    PassageDocuments,
    Signals,
    answerable,
    model,
    probability,
)
from govsearch.retrieval.engine import Engine
from govsearch.retrieval.fusion import fuse, lifted, with_coverage
from govsearch.retrieval.request import SearchRequest
from govsearch.text.definitions import asks_commencement, asks_for_definition, asks_when, defines, states_commencement, states_date
from govsearch.text.references import chinese_number, matches, passage_references, references


@pytest.mark.parametrize("question, expected", [
    ("What does Article 24 of the PIPL say?", {("article", "24")}),
    ("PIPL第七十三条的定义", {("article", "73")}),
    ("美国国家安全备忘录第4.2节列举的风险", {("article", "4.2")}),
    ("加拿大《自动化决策指令》附录B 影响评估等级", {("appendix", "b")}),
    ("Section 6-1-1702 developer documentation", {("article", "6-1-1702")}),
    ("Part IV of the Act", {("chapter", "4")}),
    ("第三章 个人信息跨境提供的规则", {("chapter", "3")}),
    ("military use of AI", set()),
    ("the role of the United Nations in part of the world", set()),
])
def test_references_read_from_questions(question, expected):
    assert references(question) == expected


def test_passages_know_their_part_and_a_part_holds_its_subsections():
    assert passage_references("第二十四条", "第二章 个人信息处理规则") == {("article", "24"), ("chapter", "2")}
    assert ("appendix", "b") in passage_references("", "Appendix B - Impact Assessment Levels")
    assert ("article", "4.2.1") in passage_references("4.2.1", "")
    assert matches(("article", "4.2"), ("article", "4.2.1"))
    assert not matches(("article", "2"), ("article", "24"))
    assert not matches(("article", "3"), ("chapter", "3"))
    assert [chinese_number(x) for x in ("十", "二十四", "一百零三", "七十三")] == [10, 24, 103, 73]


def test_question_shapes_and_the_passages_that_answer_them():
    assert asks_for_definition("Colorado definition of consequential decision") and asks_for_definition("敏感个人信息的定义")
    assert not asks_for_definition("military use of AI")
    assert defines('"CONSEQUENTIAL DECISION" MEANS A DECISION THAT', "") and defines("敏感个人信息是指一旦泄露", "")
    assert defines("administrative decision Any decision", "Appendix A - Definitions")
    assert not defines("States should cooperate on AI safety.", "Principles")
    assert asks_when("When do the measures take effect?") and asks_when("公众咨询何时截止？")
    assert not asks_when("Who interprets the provisions?")
    assert states_date("本办法自2026年7月15日起施行。") and states_date("The consultation closed on 21 June 2023.")
    assert not states_date("Article 24 applies to 3 kinds of processors.")
    assert asks_commencement("When do the measures take effect?") and asks_commencement("网络数据安全管理条例什么时候开始施行？")
    assert not asks_commencement("公众咨询何时截止？")
    assert states_commencement("本办法自2026年7月15日起施行。") and states_commencement("This Law shall come into force as of November 1st , 2021.")
    assert not states_commencement("The consultation closed on 21 June 2023.")


def test_a_question_about_when_a_law_takes_effect_lifts_its_commencement_clause(tmp_path, monkeypatch):
    from govsearch.indexing.build import build
    from govsearch.indexing.load import load_index
    from govsearch.retrieval import fusion

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    articles = ["Article 1 This Act applies to the processing of data by providers established in the State.",
                "Article 2 The effect of this Act on contracts in force shall be reviewed before 1 January 2024.",
                "Article 3 Providers shall take measures with effect from 1 March 2024 to secure the data they hold.",
                "Article 4 The authority shall report on the effect of this Act by 1 June 2026.",
                "Article 5 This Act shall come into force on 1 January 2025."]
    (corpus / "act.md").write_text("# Example Data Act\n\n" + "\n\n".join(articles) + "\n", encoding="utf-8")
    build(corpus, tmp_path / "index", progress=False, encoder=HashEncoder())
    engine = Engine(load_index(tmp_path / "index", corpus), HashEncoder())
    assert engine.index.shapes.commencing == [4] and len(engine.index.shapes.dated) == 4  # only Article 5 commences

    def rank_of_commencement() -> int:
        hits = engine.search(SearchRequest(query="When does the Example Data Act take effect?", k=5)).hits
        return [h.passage.article for h in hits].index("Art. 5")

    lifted_rank = rank_of_commencement()
    monkeypatch.setattr(fusion, "COMMENCEMENT_BONUS", 0.0)
    engine.cached_query_vector.cache_clear()
    assert lifted_rank < rank_of_commencement()  # every article mentions "effect" or a date; the clause rises above one


def test_lifted_passages_rise_and_scores_stay_in_range():
    fused = fuse({1: 0.9, 2: 0.5, 3: 0.4}, {1: 1.0, 3: 0.2}, Mode.HYBRID)
    assert [p for p, _ in fused][0] == 1
    raised = lifted(fused, [3, 7], 0.6)
    assert [p for p, _ in raised] == [1, 3, 7, 2] and all(0 <= s <= 1 for _, s in raised)
    assert lifted(fused, [], 0.6) == fused


def test_coverage_reorders_candidates_and_scores_stay_in_range():
    fused = [(1, 0.9), (2, 0.8), (3, 0.1)]
    coverage = np.array([0.0, 0.1, 1.0, 0.0])
    rescored = with_coverage(fused, coverage, 0.5)
    assert [p for p, _ in rescored] == [2, 1, 3] and all(0 <= s <= 1 for _, s in rescored)
    assert [p for p, _ in with_coverage(fused, np.zeros(4), 0.5)] == [1, 2, 3]


def test_a_question_naming_an_article_finds_it(tmp_path):
    from govsearch.indexing.build import build
    from govsearch.indexing.load import load_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    articles = "\n\n".join(f"第{n}条 数据处理者应当履行数据安全保护义务，建立健全数据安全管理制度，采取相应的技术措施。"
                            for n in ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"))
    (corpus / "law.md").write_text("# 数据安全条例\n\n" + articles + "\n", encoding="utf-8")
    build(corpus, tmp_path / "index", progress=False, encoder=HashEncoder())
    engine = Engine(load_index(tmp_path / "index", corpus), HashEncoder())
    for question, label in (("数据安全条例第十一条", "第十一条"), ("What does Article 7 say about data security?", "第七条")):
        first = engine.search(SearchRequest(query=question, k=3)).hits[0]
        assert first.passage.article == label, (question, first.passage.article)


def test_term_coverage_counts_unseen_words_as_the_rarest(engine):
    lexical = engine.index.lexical
    covered = lexical.term_coverage("military use")
    with_unseen = lexical.term_coverage("military use of quantumfoo computing")
    best = int(np.argmax(covered))
    assert covered[best] == pytest.approx(1.0) and 0 < with_unseen[best] < 0.5
    assert lexical.term_coverage("zzqx").max() == 0


def test_the_dense_query_is_mixed_with_its_translation(engine, fake_index):
    from govsearch.indexing.load import load_index

    assert "military" in translation("人工智能的军事应用") and "军事" in translation("military use of AI")
    seen = []

    class Recording(HashEncoder):
        def encode_queries(self, texts, batch_size=32, progress=False):
            seen.extend(texts)
            return super().encode_queries(texts, batch_size, progress)

    recording = Engine(load_index(fake_index), Recording())
    vector = recording.query_vector("人工智能的军事应用")
    assert seen == ["人工智能的军事应用", translation("人工智能的军事应用")]
    plain = HashEncoder().encode_queries(["人工智能的军事应用"])[0]
    assert np.linalg.norm(vector) == pytest.approx(1.0) and not np.allclose(vector, plain)


def test_document_signals_are_relative_to_the_corpus():
    evidence = Evidence(dense={0: 0.8, 1: 0.5, 2: 0.3}, lexical=np.array([4.0, 2.0, 0.0, 0.0], dtype=np.float32),
                        coverage=np.array([1.0, 0.5, 0.0, 0.0], dtype=np.float32),
                        groups={"g0": [0], "g1": [1], "g2": [2], "g3": [3]},
                        documents=PassageDocuments(["a", "b", "b", "c"]))
    signals = evidence.by_document()
    assert astuple(signals["a"]) == pytest.approx((0.8, 0.0, 1.0, 1.0, 1.0, 1.0))
    assert signals["b"].dense == pytest.approx(0.5) and signals["b"].relative_bm25 == 0.5 and signals["b"].rank_bm25 == 0.5
    assert signals["c"].dense == pytest.approx(0.3)  # not a dense candidate: the lowest candidate's score
    assert probability(signals["a"]) > probability(signals["b"]) > probability(signals["c"])
    assert evidence.by_document(np.array([False, True, True, True]))["b"].rank_bm25 == 1.0


def test_the_fitted_models_are_complete_and_decide_sensibly():
    fitted = model()
    assert set(fitted["weights"]) == set(Signals.names()) and set(fitted["answer"]["weights"]) == set(AnswerSignals.names())
    assert answerable(AnswerSignals(0.99, 1.0, 1.0, 0.99, 1.0))
    assert not answerable(AnswerSignals(0.05, 0.05, 0.2, 0.05, 0.05))


def test_evaluation_figures_for_a_set_and_its_splits():
    from eval.judgments import Judged
    from eval.measure import QueryOutcome, summarise

    def outcome(qid, split, pair, hit, language="en", relevant=True):
        judged = Judged(qid, "q", "topical", language, {"g": 2} if relevant else {}, split=split, pair=pair)
        metrics = {mode: {"ndcg@10": hit, "mrr@10": hit, "recall@5": hit, "recall@10": hit, "hit@5": hit}
                   for mode in ("hybrid", "dense", "bm25")} if relevant else {}
        return QueryOutcome(judged, metrics, [(True, bool(hit)), (False, False)], bool(hit) if relevant else True,
                            {mode: 10.0 for mode in ("hybrid", "dense", "bm25")})

    outcomes = [outcome("1", "dev", "zh→en-only", 1.0, "zh"), outcome("2", "test", "same-language", 0.0),
                outcome("3", "test", "none", 0.0, relevant=False)]
    figures = summarise(outcomes, documents=4)
    assert figures["modes"]["hybrid"]["hit@5"] == 0.5 and figures["queries"] == 3 and figures["documents"] == 4
    assert figures["directions"]["zh->en-only"] == {"n": 1, "recall@5": 1.0, "hit@5": 1.0, "ndcg@10": 1.0,
                                                    "dense recall@5": 1.0, "bm25 recall@5": 1.0}
    assert figures["directions"]["en->zh-only"] == {"n": 0}
    assert figures["compare_accuracy"] == pytest.approx(4 / 6, abs=1e-4)
    assert figures["answers"]["first citation relevant"] == 0.5 and figures["answers"]["nothing found when uncovered"] == 1.0


def test_a_search_feeds_its_first_ranking_back_and_does_without_when_the_store_cannot(engine, monkeypatch):
    request = SearchRequest(query="personal privacy and data security", k=10)
    result = engine.search(request)
    assert "feedback" in result.timings
    assert "feedback" not in engine.search(SearchRequest(query=request.query, k=10, mode=Mode.DENSE)).timings
    monkeypatch.setattr(engine.index.dense, "vectors", lambda positions: None)
    without = engine.search(request)
    plain = engine._ranked(request.query, Mode.HYBRID, None, engine.index.lexical.query_scores(request.query),
                           engine.index.lexical.term_coverage(request.query), 10, {})
    assert [h.passage.id for h in without.hits] == [h.passage.id for h in plain]


def test_an_inverted_file_index_gives_no_vectors_back(tmp_path):
    from govsearch.indexing import dense
    from govsearch.indexing.stores.faiss_store import FaissSearcher

    vectors = np.random.default_rng(0).standard_normal((300, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    flat = FaissSearcher({"en": (dense.build_index(vectors, "flat"), np.arange(300))})
    assert flat.vectors([5, 2]) == pytest.approx(vectors[[5, 2]])
    ivf = FaissSearcher({"en": (dense.build_index(vectors, "ivf-sq8"), np.arange(300))})
    assert ivf.vectors([5]) is None


def test_passage_shapes_are_stored_with_the_index(engine):
    """What the lifts need is found at build time and read back as it was found (not computed at every start)."""
    from govsearch.indexing.shapes import PassageShapes

    found = PassageShapes.of(engine.index.passages)
    assert engine.index.shapes == found == PassageShapes.from_json(found.as_json())
    assert found.dated and found.parts  # the seed corpus gives dates and numbered parts


def test_a_coded_column_masks_rows_by_value():
    from govsearch.indexing.stores.base import CodedColumn

    column = CodedColumn(np.array(["original", "excerpt", "original", "unofficial translation"], dtype=object))
    assert column.mask(["original"]).tolist() == [True, False, True, False]
    assert column.mask(["excerpt", "unofficial translation"]).tolist() == [False, True, False, True]
    assert not column.mask(["zzz", "aaa"]).any()
    assert column.known() == {"original", "excerpt", "unofficial translation"}
