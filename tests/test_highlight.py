"""The sentence shown first is the one sharing the most query words, in either language."""
from govsearch.crosslingual.query import query_tokens
from govsearch.retrieval.highlight import best_sentence
from govsearch.text.sentences import sentence_spans


def wanted(query: str) -> frozenset[str]:
    return frozenset(query_tokens(query))


def test_a_chinese_query_picks_the_sentence_holding_its_words_even_in_traditional_script():
    text = "本辦法自公布之日起施行。提供者應當保護使用者的個人資訊，不得向第三方提供。違反者依法處罰。"
    assert best_sentence(text, wanted("个人信息保护")) == "提供者應當保護使用者的個人資訊，不得向第三方提供。"


def test_an_english_query_matches_inflected_words_and_a_chinese_one_reaches_english_through_the_dictionary():
    text = "This Act takes effect on 1 January. Developers shall protect personal data they process. Penalties apply."
    assert best_sentence(text, wanted("protecting personal data")) == "Developers shall protect personal data they process."
    assert best_sentence(text, wanted("个人数据保护")) == "Developers shall protect personal data they process."


def test_one_sentence_is_returned_whole():
    assert best_sentence("第一条 为了规范人工智能服务，制定本办法", wanted("人工智能")) == "第一条 为了规范人工智能服务，制定本办法"


def test_a_title_run_into_its_first_paragraph_is_not_the_sentence_shown():
    text = ("Article 5 Prohibited widget practices 1. The following widget practices shall be prohibited: (a) the use "
            "of subliminal techniques; (b) social scoring. 2. The use of remote biometric identification shall be prohibited.")
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Article 5 Prohibited widget practices",
        "1. The following widget practices shall be prohibited: (a) the use of subliminal techniques; (b) social scoring.",
        "2. The use of remote biometric identification shall be prohibited."]
    wanted = frozenset(query_tokens("Which widget practices are prohibited?"))
    assert best_sentence(text, wanted).startswith("1. The following widget practices shall be prohibited")


def test_abbreviations_before_numbers_and_lone_numbers_end_no_sentence():
    text = "Sec. 2 of the Act applies. Under Art. 5 and No. 15 it is so. 1. First point. 2. Second point. It grew by 12. Then it fell."
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Sec. 2 of the Act applies.", "Under Art. 5 and No. 15 it is so.", "1. First point.", "2. Second point.",
        "It grew by 12.", "Then it fell."]
