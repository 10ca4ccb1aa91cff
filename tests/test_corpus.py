"""The seed corpus, file by file: documents, passages, cleaning, offsets and version groups."""
import re
import shutil
import unicodedata

import pytest

from govsearch.ingest.corpus import load_corpus
from govsearch.ingest.junk import remove_junk
from govsearch.ingest.unscramble import scramble_markers
from govsearch.records import passages_by_version

SEED_001 = "corpus/001_34a67a10310c4f38.txt"


def versions(corpus, source):
    return [v for d in corpus.documents for v in d.versions if v.source == source]


def passages_of(corpus, version_id):
    return passages_by_version(corpus.passages)[version_id]


def test_seven_documents_with_catalogued_metadata(corpus):
    found = {d.id: (d.title, d.issuer, d.date) for d in corpus.documents}
    assert len(found) == 7
    assert found["gaigi"] == ("Global AI Governance Initiative", "Cyberspace Administration of China", "2023-10-18")
    assert found["shanghai-declaration-2024"][0] == "Shanghai Declaration on Global AI Governance"
    assert found["shanghai-declaration-2024"][2] == "2024-07-04"
    assert found["un-letter-2023"][2] == "2023-10-23"
    assert found["icdppc-declaration-2018"][2] == "2018-10-23"
    assert found["uk-lords-ai-code-2018"][2] == "2018-04-16"
    assert found["china-france-2024"][2] == "2024-05-07"
    assert found["shanghai-initiative-2019"][2] == "2019-08-30"
    assert corpus.skipped == [] and corpus.warnings == []


@pytest.mark.parametrize(
    "source, expected",
    [
        ("corpus/000_b030c1831d6e7ad4.txt", {("en", "unofficial translation"): 15}),
        (SEED_001, {("zh", "original"): 15, ("en", "official translation"): 15}),
        ("corpus/002_cf5690c009775f5d.txt", {("en", "excerpt"): 2 + 1 + 2 + 1 + 1}),
        ("corpus/003_c68006bd344efa61.txt", {("en", "cover letter"): 3, ("en", "annex"): 15}),
        ("corpus/004_89fdbcec7f460b1a.txt", {("en", "original"): 22}),
    ],
)
def test_passage_counts_per_file(corpus, source, expected):
    counts = {}
    for v in versions(corpus, source):
        key = (v.language, v.role)
        counts[key] = counts.get(key, 0) + len(passages_of(corpus, v.id))
    assert counts == expected


BOILERPLATE = ["Home>>", "Photos", "Related Stories", "Web editor", "Distr.", "Original: English",
               "Agenda items", "The following is the full text", "(Xinhua)", "Seventy-eighth session",
               "Countering the use of information and communications technologies for criminal purposes"]


def test_no_boilerplate_junk_or_bullets_left(corpus):
    for p in corpus.passages:
        for phrase in BOILERPLATE:
            assert phrase not in p.text, (p.id, phrase)
        assert "99abcd" not in p.text, p.id
        assert not re.match(r"^(——|--|–|-|\d+\.)", p.text), p.id
        assert "  " not in p.text


def test_no_heading_is_a_passage(corpus):
    texts = {p.text for p in corpus.passages}
    for heading in ["Global AI Governance Initiative", "1. Promoting AI development", "6. Transparent regulation",
                    "Shanghai Declaration on Global AI Governance"]:
        assert heading not in texts


def test_numbered_headings_become_sections(corpus):
    decl = passages_of(corpus, "shanghai-declaration-2024.orig.en")
    assert decl[0].section == "" and decl[2].section == "1. Promoting AI development"
    assert decl[-1].section == "5. Improving quality of life and increasing social well-being"
    regulation = passages_of(corpus, "shanghai-initiative-2019.excerpt.en")[-1]
    assert regulation.section == "6. Transparent regulation"
    assert regulation.text.startswith("The development of artificial intelligence should avoid")
    uk = passages_of(corpus, "uk-lords-ai-code-2018.excerpt.en")
    assert uk[0].section.startswith("1. Artificial intelligence should be developed for the common good")


def test_chinese_initiative_restored(corpus):
    zh = passages_of(corpus, "gaigi.orig.zh")
    text = "".join(p.text for p in zh)
    assert "联合国" in text and "人工智能" in text
    assert scramble_markers(text) == set()
    for scrambled in ["东谈主", "策动国", "手艺", "寰宇", "咱们", "管制机制", "行家", "鸿沟。"]:
        assert scrambled not in text
    assert "监管制度" in text  # 管制 across a word boundary is not scrambling
    assert zh[14].text.endswith("积极支持在联合国框架下讨论成立国际人工智能治理机构，协调国际人工智能发展、安全与治理重大问题。")
    assert "弥合智能鸿沟" in zh[14].text  # a legitimate 鸿沟 survives restoration
    assert all(p.language == "zh" for p in zh)


def test_english_passages_sit_inside_their_raw_span(corpus):
    for p in corpus.passages:
        if p.language != "en":
            continue
        raw = corpus.texts[p.source][p.start:p.end]
        assert " ".join(remove_junk(raw, {"99abcd"}).split()) == p.text, p.id


def test_chinese_passages_cite_their_raw_span(corpus):
    raw = corpus.texts[SEED_001]
    for p in passages_of(corpus, "gaigi.orig.zh"):
        span = raw[p.start:p.end]
        assert "\n" not in span and not span.startswith("——")
        # both end at the same punctuation (cleaning turns a half-width ":" into "：")
        assert unicodedata.normalize("NFKC", span[-1]) == unicodedata.normalize("NFKC", p.text[-1])


def test_passage_ids_are_unique_and_ordinals_count_from_one(corpus):
    ids = [p.id for p in corpus.passages]
    assert len(ids) == len(set(ids))
    for d in corpus.documents:
        for v in d.versions:
            assert [p.ordinal for p in passages_of(corpus, v.id)] == list(range(1, len(passages_of(corpus, v.id)) + 1))


def test_long_paragraph_split_at_sentence_boundaries(corpus):
    excerpt = passages_of(corpus, "gaigi.excerpt.en")
    assert len(excerpt) == 2
    assert excerpt[0].text.endswith(".") and excerpt[1].text[0].isupper()
    assert excerpt[0].end <= excerpt[1].start


def test_every_initiative_proposal_groups_chinese_and_english(corpus):
    zh = passages_of(corpus, "gaigi.orig.zh")
    for ordinal in range(5, 16):  # the eleven proposals
        group = zh[ordinal - 1].group
        members = {p.version_id: p for p in corpus.passages if p.group == group}
        assert set(members) >= {"gaigi.orig.zh", "gaigi.official.en", "gaigi.annex.en", "gaigi.unofficial.en"}, ordinal
        assert all(p.ordinal == ordinal for p in members.values()), ordinal


def test_excerpt_linked_to_the_initiative_opening(corpus):
    opening = passages_of(corpus, "gaigi.official.en")[0].group
    excerpt = passages_of(corpus, "gaigi.excerpt.en")[0]
    assert excerpt.group == opening


def test_other_documents_are_not_merged_into_the_initiative(corpus):
    gaigi_groups = {p.group for p in corpus.passages if p.document_id == "gaigi"}
    assert not any(p.group in gaigi_groups for p in corpus.passages if p.document_id != "gaigi")


def test_uncatalogued_excerpts_take_metadata_from_attribution_lines(tmp_path):
    shutil.copy("corpus/002_cf5690c009775f5d.txt", tmp_path)
    corpus = load_corpus(tmp_path)
    by_title = {d.title: d for d in corpus.documents}
    assert set(by_title) == {
        "Shanghai Initiative for the Safe Development of Artificial Intelligence",
        "中华人民共和国和法兰西共和国关于人工智能和全球治理的联合声明",
        "全球人工智能治理倡议",
        "AI Code",
        "Declaration On Ethics And Data Protection In Artifical Intelligence",
    }
    shanghai = by_title["Shanghai Initiative for the Safe Development of Artificial Intelligence"]
    assert shanghai.issuer == "Shanghai Advisory Committee of Experts on Artificial Intelligence Industry Security"
    assert shanghai.date == "2019-08-30" and shanghai.title_zh == "人工智能安全发展上海倡议"
    assert len(passages_by_version(corpus.passages)[shanghai.versions[0].id]) == 2  # both excerpts, one document
    assert by_title["AI Code"].issuer.startswith("House of Lords") and by_title["AI Code"].date == "2018-04-16"
    uk = passages_by_version(corpus.passages)[by_title["AI Code"].versions[0].id]
    assert uk[0].section.startswith("1. Artificial intelligence")
    assert any("not in the catalog" in w for w in corpus.warnings)


def test_uncatalogued_bilingual_file_splits_by_language_and_restores_chinese(tmp_path):
    shutil.copy(SEED_001, tmp_path)
    corpus = load_corpus(tmp_path)
    languages = sorted(v.language for d in corpus.documents for v in d.versions)
    assert languages == ["en", "zh"]
    english = next(d for d in corpus.documents if d.versions[0].language == "en")
    assert english.title == "Global AI Governance Initiative"
    zh_text = "".join(p.text for p in corpus.passages if p.language == "zh")
    assert "联合国" in zh_text and "东谈主" not in zh_text


def test_uncatalogued_un_document_splits_letter_and_annex(tmp_path):
    shutil.copy("corpus/003_c68006bd344efa61.txt", tmp_path)
    corpus = load_corpus(tmp_path)
    titles = [d.title for d in corpus.documents]
    assert titles[0].startswith("Letter dated 23 October 2023")
    assert titles[1] == "Global AI Governance Initiative"
    assert corpus.documents[0].date == "2023-10-23"


def test_clean_chinese_is_left_alone(tmp_path):
    clean = "各国应加强人工智能技术合作，完善管制措施，发扬手艺传统。\n"
    (tmp_path / "clean.txt").write_text(clean * 3, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert all("管制" in p.text and "手艺" in p.text and "合作" in p.text for p in corpus.passages)
    assert not [r for r in corpus.repairs if r.kind == "unscramble"]
