"""The offline Chinese↔English bridge: query translation both ways, paragraph translation scores, analysers."""
import json
from pathlib import Path

import pytest

from govsearch import files
from govsearch.crosslingual import dictionary, query
from govsearch.crosslingual.parallel import translation_score
from govsearch.crosslingual.query import en_to_zh_terms, zh_to_en_terms
from govsearch.text import analysis
from govsearch.text.analysis import en_tokens, zh_tokens

ROOT = Path(__file__).resolve().parent.parent

# The first four paragraphs of the Global AI Governance Initiative: the Chinese reference text and the
# official English version, in the same order.
ZH_PARAGRAPHS = [
    ("人工智能是人类发展新领域。当前，全球人工智能技术快速发展，对经济社会发展和人类文明进步产生深远影响，给世界带来巨大机遇。"
     "与此同时，人工智能技术也带来难以预知的各种风险和复杂挑战。人工智能治理攸关全人类命运，是世界各国面临的共同课题。"),
    ("在世界和平与发展面临多元挑战的背景下，各国应秉持共同、综合、合作、可持续的安全观，坚持发展和安全并重的原则，通过对话与合作凝聚共识，"
     "构建开放、公正、有效的治理机制，促进人工智能技术造福于人类，推动构建人类命运共同体。"),
    ("我们重申，各国应在人工智能治理中加强信息交流和技术合作，共同做好风险防范，形成具有广泛共识的人工智能治理框架和标准规范，"
     "不断提升人工智能技术的安全性、可靠性、可控性、公平性。我们欢迎各国政府、国际组织、企业、科研院校、民间机构和公民个人等各主体"
     "秉持共商共建共享的理念，协力共同促进人工智能治理。"),
    "为此，我们倡议：",
]
EN_PARAGRAPHS = [
    ("Artificial intelligence (AI) is a new area of human development. Currently, the fast development of AI around the globe "
     "has exerted profound influence on socioeconomic development and the progress of human civilization, and brought huge "
     "opportunities to the world. However, AI technologies also bring about unpredictable risks and complicated challenges. "
     "The governance of AI, a common task faced by all countries in the world, bears on the future of humanity."),
    ("As global peace and development faces various challenges, all countries should commit to a vision of common, "
     "comprehensive, cooperative, and sustainable security, and put equal emphasis on development and security. Countries "
     "should build consensus through dialogue and cooperation, and develop open, fair, and efficient governing mechanisms, "
     "in a bid to promote AI technologies to benefit humanity and contribute to building a community with a shared future "
     "for mankind."),
    ("We call on all countries to enhance information exchange and technological cooperation on the governance of AI. We "
     "should work together to prevent risks, and develop AI governance frameworks, norms and standards based on broad "
     "consensus, so as to make AI technologies more secure, reliable, controllable, and equitable. We welcome governments, "
     "international organizations, companies, research institutes, civil organizations, and individuals to jointly promote "
     "the governance of AI under the principles of extensive consultation, joint contribution, and shared benefits."),
    "To make this happen, we would like to suggest the following:",
]

# the domain terms the bridge must render well (Chinese → an expected English rendering)
DOMAIN = [
    ("人工智能", "artificial intelligence"), ("治理", "governance"), ("军事", "military"),
    ("发展中国家", "developing countries"), ("代表性", "representation"), ("发言权", "voice"),
    ("联合国", "united nations"), ("隐私", "privacy"), ("数据安全", "data security"), ("伦理", "ethics"),
    ("风险", "risk"), ("监管", "regulation"), ("可解释性", "explainability"), ("歧视", "discrimination"),
    ("偏见", "bias"), ("主权", "sovereignty"), ("开源", "open source"), ("供应链", "supply chain"),
    ("问责", "accountability"), ("透明", "transparency"), ("可持续发展", "sustainable development"),
    ("以人为本", "people-centered"), ("智能向善", "ai for good"), ("敏捷治理", "agile governance"),
    ("多利益攸关方", "multi-stakeholder"), ("知识产权", "intellectual property"), ("就业", "employment"),
    ("网络安全", "cybersecurity"), ("虚假信息", "disinformation"), ("恐怖主义", "terrorism"), ("算法", "algorithm"),
    ("人类控制", "human control"),
]


def words_of(terms: list[str]) -> set[str]:
    return {w for term in terms for w in term.split()}


# -- Chinese → English ------------------------------------------------------------------------------------------


def test_military_applications_of_ai():
    terms = zh_to_en_terms("人工智能的军事应用")
    assert "military" in terms
    assert "artificial intelligence" in terms or "ai" in terms
    assert "application" in terms


def test_representation_of_developing_countries():
    assert {"developing", "representation"} <= words_of(zh_to_en_terms("发展中国家的代表性"))
    assert {"voice", "developing"} <= words_of(zh_to_en_terms("发展中国家的代表性和发言权"))


def test_more_queries():
    assert {"data security", "personal privacy", "privacy"} <= set(zh_to_en_terms("如何保护个人隐私和数据安全？"))
    assert "united nations" in zh_to_en_terms("联合国在人工智能治理中的作用")
    assert {"algorithm", "discrimination", "bias"} <= set(zh_to_en_terms("算法歧视与偏见"))
    assert "human control" in zh_to_en_terms("确保人工智能始终处于人类控制之下")


@pytest.mark.parametrize("zh, en", DOMAIN)
def test_domain_terms(zh, en):
    assert en in zh_to_en_terms(zh)


def test_terms_are_clean_deduplicated_and_deterministic():
    text = "王毅表示，中国愿同各国一道，加强人工智能治理合作，反对技术垄断，弥合智能鸿沟。一个国家、三个原则、两条路。"
    terms = zh_to_en_terms(text)
    assert terms == zh_to_en_terms(text)
    assert len(terms) == len(set(terms))
    assert all(t == t.lower() and t.strip() == t for t in terms)
    for term in terms:  # no cross-references, pinyin, notes or classifier glosses
        assert not any(mark in term for mark in ("surname", "variant", "(", "[", "classifier", "cl:")), term
        assert not any("\u4e00" <= c <= "\u9fff" for c in term)
        assert len(term.split()) <= 3
    assert "king" not in words_of(terms)  # 王毅 is a name: no character-by-character back-off


def test_unknown_compound_backs_off_to_known_parts_only():
    assert "center" in zh_to_en_terms("智算中心")  # 智算 is not in CC-CEDICT; 中心 is
    assert dictionary.renderings("布莱切利园") == ()  # a transliterated name: nothing sensible to say


def test_stopwords_and_classifiers_are_not_translated():
    assert zh_to_en_terms("的了和与在是") == []
    assert zh_to_en_terms("个") == []


# -- English → Chinese ------------------------------------------------------------------------------------------


def test_representation_of_developing_countries_to_chinese():
    terms = en_to_zh_terms("representation of developing countries")
    assert "发展中国家" in terms and "代表性" in terms
    assert "发展" not in terms  # the phrase is taken before its words


@pytest.mark.parametrize("en, zh", [
    ("artificial intelligence", "人工智能"), ("United Nations", "联合国"), ("developing countries", "发展中国家"),
    ("developed countries", "发达国家"), ("supply-chain disruption", "供应链"), ("open-source models", "开源"),
    ("AI for good", "智能向善"), ("multi-stakeholder approach", "多利益攸关方"), ("weapons", "武器"),
    ("governing AI", "治理"), ("the rule of law", "法治"), ("privacy", "隐私"),
])
def test_english_phrases_and_words(en, zh):
    assert zh in en_to_zh_terms(en)


def test_developed_is_not_developing():
    assert "发展中国家" not in en_to_zh_terms("developed countries")


def test_fan_out_is_limited_and_ranked():
    concepts = query.en_to_zh_concepts("use control trust model energy child")
    assert len(concepts) == 6 and all(1 <= len(c) <= 3 for c in concepts)
    by_word = dict(zip(["use", "control", "trust", "model", "energy", "child"], concepts))
    assert by_word["control"][0] == "控制" and by_word["model"][0] == "模型" and by_word["child"][0] == "儿童"
    assert "就" not in en_to_zh_terms("approach")  # Chinese stop words are never renderings


def test_question_words_are_not_translated():
    # "declarations" and "say" only frame the question (QUERY_FRAME): no topic to translate
    assert en_to_zh_terms("What do the declarations say about military uses of AI?") == ["军事", "人工智能"]
    assert zh_to_en_terms("哪些文件提到了军事用途") == zh_to_en_terms("军事用途")


# -- translation score ------------------------------------------------------------------------------------------


def test_true_pairs_outscore_every_wrong_pairing():
    scores = [[translation_score(zh, en) for en in EN_PARAGRAPHS] for zh in ZH_PARAGRAPHS]
    for i, row in enumerate(scores):
        assert all(0.0 <= s <= 1.0 for s in row)
        assert row[i] > max(s for j, s in enumerate(row) if j != i), (i, row)
    assert min(scores[i][i] for i in range(len(scores))) >= 0.6


def test_translation_score_examples():
    assert translation_score("人工智能的军事应用", "military applications of artificial intelligence") == 1.0
    assert translation_score("人工智能的军事应用", "football results") == 0.0
    assert translation_score("发展中国家的代表性", "the representation of developing countries") == 1.0
    # light normalisation: plurals, -ing/-ed and shared stems
    assert translation_score("治理", "governing") == 1.0
    assert translation_score("代表性", "representative") == 1.0
    assert translation_score("AI治理", "AI governance") == 1.0  # Latin words in the Chinese text count as themselves


# -- analysers --------------------------------------------------------------------------------------------------


def test_en_tokens():
    assert en_tokens("The Developing Countries' voices are being heard") == ["develop", "country", "voice", "heard"]
    assert en_tokens("multi-stakeholder") == ["multi-stakeholder", "multi", "stakeholder"]
    assert en_tokens("Governance, governing, governed!") == ["governance", "govern", "govern"]
    assert en_tokens("") == [] and en_tokens("the of and") == []


def test_zh_tokens_search_mode():
    tokens = zh_tokens("人工智能的军事应用，AI治理。")
    assert {"人工智能", "人工", "智能", "军事", "应用", "ai", "治理"} <= set(tokens)
    assert "的" not in tokens and "，" not in tokens and "。" not in tokens
    assert analysis.zh_words("人工智能的军事应用") == ["人工智能", "军事", "应用"]  # precise mode for queries


# -- edge cases -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\t", "。，！？、；：“”（）", "...!?", "🤖🚀😀", "2024", "AI治理 and 🤖 military 军事",
                                  "Ünïcödé ｆｕｌｌｗｉｄｔｈ", "人工智能\u200b治理", "a" * 2000, "治" * 500])
def test_edge_cases_do_not_crash(text):
    for function in (zh_to_en_terms, en_to_zh_terms, en_tokens, zh_tokens):
        result = function(text)
        assert isinstance(result, list) and all(isinstance(t, str) and t.strip() for t in result)
    for other in ("", "AI governance", text):
        assert 0.0 <= translation_score(text, other) <= 1.0


def test_edge_case_outputs_are_sensible():
    assert zh_to_en_terms("") == [] and en_to_zh_terms("") == [] and zh_tokens("") == []
    assert zh_to_en_terms("。，！？") == [] and zh_tokens("。，！？🤖") == [] and en_to_zh_terms("🤖!!") == []
    assert translation_score("", "") == 0.0 and translation_score("。", "AI") == 0.0
    mixed = zh_to_en_terms("AI治理 and 🤖 military 军事")
    assert {"governance", "military", "ai"} <= set(mixed)
    assert zh_to_en_terms("2023年11月1日") == ["year", "month", "day"]


# -- data and caches --------------------------------------------------------------------------------------------


def test_dictionary_cache_is_json_outside_the_project(tmp_path):
    zh_to_en_terms("测试")
    path = dictionary.data_cache_path()
    if path is not None:
        assert ROOT not in path.resolve().parents
        with path.open(encoding="utf-8") as handle:
            assert json.load(handle)["key"] == dictionary._data_key()
    tmp_dir = analysis._tokenizer().tmp_dir
    assert tmp_dir is None or ROOT not in Path(tmp_dir).resolve().parents
    assert not list(ROOT.glob("**/jieba*.cache"))


def test_jieba_default_tokenizer_is_left_alone():
    """Our glossary words and cache folder go into a private tokenizer, not jieba's process-wide one."""
    import jieba

    assert analysis.zh_words("多利益攸关方") == ["多利益攸关方"]  # a glossary term, one word for us
    assert "多利益攸关方" not in jieba.dt.FREQ and jieba.dt.tmp_dir is None


def test_atomic_json_writer(tmp_path):
    from govsearch.files import write_json_atomic

    target = tmp_path / "sub" / "data.json"
    write_json_atomic(target, {"a": ["中文", 1]}, compact=True)
    write_json_atomic(target, {"a": ["again"]}, compact=True)
    assert json.loads(target.read_text(encoding="utf-8")) == {"a": ["again"]}
    assert [p.name for p in target.parent.iterdir()] == ["data.json"]  # no temporary file left


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("GOVSEARCH_CACHE", str(tmp_path))
    assert files.cache_dir() == tmp_path
    monkeypatch.setenv("GOVSEARCH_CACHE", "")
    assert files.cache_dir() is None and dictionary.data_cache_path() is None


def test_glossary_file_is_well_formed():
    text = (ROOT / "govsearch" / "data" / "glossary_zh_en.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert all(len(row) == 2 and row[0].strip() and all(r.strip() for r in row[1].split("|")) for row in rows)
    chinese = [row[0] for row in rows]
    assert len(chinese) == len(set(chinese))
    assert {zh for zh, _ in DOMAIN} <= set(chinese) | set(dictionary._cedict())


@pytest.mark.parametrize("english, chinese, back", [
    ("core socialist values", "社会主义核心价值观", "core socialist values"),  # generative-AI rules
    ("interim measures", "暂行办法", "interim measures"),
    ("AI safety institute", "人工智能安全研究所", "ai safety institute"),  # summit statements
    ("ministerial statement", "部长声明", "ministerial statement"),
    ("AI agents", "智能体", "agent"),
    ("critical harm", "严重危害", "critical harm"),  # frontier-model bills
    ("kill switch", "关停", "shut down"),
    ("civil rights", "民权", "civil rights"),  # executive orders
])
def test_terms_of_rules_and_statements_nobody_tuned_for_cross_in_both_directions(english, chinese, back):
    from govsearch.crosslingual.query import translation

    assert chinese in translation(english)
    assert back in translation(chinese).lower()


def test_inflected_english_words_find_their_dictionary_form():
    from govsearch.crosslingual.query import en_to_zh_terms

    # before: "violating", "planned", "classified" found nothing (only the word as written and its stem were tried)
    assert "违反" in en_to_zh_terms("penalties for violating the measures")
    assert "计划" in en_to_zh_terms("planned")
    assert "机密" in en_to_zh_terms("classified information")
    assert "发达国家" in en_to_zh_terms("developed countries")  # a phrase is still found before its words


def test_a_glossary_phrase_may_start_with_a_stop_word():
    from govsearch.crosslingual.query import en_to_zh_terms, zh_to_en_terms

    # before: "over-reliance" was read as "over" (a stop word) and "reliance" (no translation)
    assert en_to_zh_terms("over-reliance on AI")[0] == "过度依赖"
    assert "阈值" in en_to_zh_terms("thresholds for severe risks") and "threshold" in zh_to_en_terms("风险阈值")
