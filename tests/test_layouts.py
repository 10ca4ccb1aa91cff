"""Declarations beyond the seeds: layouts of real texts (bills with legislative history, news pages with chrome,
articles 第N条, numbered sections, converted PDFs, Markdown with front matter, traditional Chinese) and the
metadata found in them. The fixtures are small texts written in those layouts."""
import json
import textwrap
from pathlib import Path

import pytest

from govsearch.ingest.boilerplate import web_chrome
from govsearch.ingest.corpus import load_corpus
from govsearch.ingest.segment import split_blocks
from govsearch.records import BlockKind, Boilerplate, RepairKind

ROOT = Path(__file__).resolve().parent.parent
WIDE = ROOT / "eval" / "wide" / "corpus"


def corpus_of(tmp_path: Path, files: dict[str, str]):
    folder = tmp_path / "corpus"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return load_corpus(folder)


STATE_BILL = """
    Enrolled  September 12, 2025
    Amended  IN  Assembly  September 05, 2025
    Amended  IN  Senate  April 10, 2025

    STATE LEGISLATURE — 2025–2026 REGULAR SESSION

    Senate Bill No. 77

    Introduced by Senator Rivera
    (Coauthors: Assembly Members Lee and Park)

    February 03, 2025

    An act to add Chapter 9 (commencing with Section 22601) to Division 8 of the Business Code, relating to automated systems.

    The people of the State of Example do enact as follows:

    SECTION 1. This act shall be known, and may be cited, as the Automated Decision Accountability Act.

    CHAPTER 9.5. Automated Decision Systems

    22601.

    For purposes of this chapter, "automated decision system" means a computational process that issues a score,
    classification or recommendation used to make a consequential decision about a natural person.

    22602.

    A developer shall, before making an automated decision system available, complete an impact assessment that
    describes its intended uses, the data used to train it, and the known risks of discrimination.
    """


def test_a_bill_loses_its_legislative_history_and_keeps_its_section_numbers(tmp_path):
    corpus = corpus_of(tmp_path, {"bill.txt": STATE_BILL})
    [document] = corpus.documents
    assert document.title == "Automated Decision Accountability Act"
    texts = [p.text for p in corpus.passages]
    assert not any("Amended" in t or "Introduced by" in t or "Coauthors" in t or "Enrolled" in t for t in texts)
    removed = {r.kind for r in corpus.repairs}
    assert RepairKind.REMOVED_LEGISLATIVE_HISTORY in removed
    sections = {p.article: p.text for p in corpus.passages if p.article.startswith("§")}
    assert sections["§ 22602"].startswith("22602. A developer shall") and "§ 22601" in sections
    chapters = {p.article: p.section for p in corpus.passages if p.article.startswith("§")}
    assert chapters["§ 22602"] == "CHAPTER 9.5. Automated Decision Systems"  # a chapter numbered with a dot
    assert not any(p.text.rstrip(".").isdigit() for p in corpus.passages)  # no passage is a number alone


NEWS_PAGE = """
    <html><head><title>Notice | Example Cyberspace Office</title></head><body>
    <div class="breadcrumb"><a href="/">首页</a> &gt; <a href="/news">政策</a></div>
    <nav><ul><li><a href="/a">机构</a></li><li><a href="/b">新闻</a></li></ul></nav>
    <main>
      <h1>网信办发布《示例人工智能服务管理办法》</h1>
      <p>发布时间：2024年3月1日 来源：网信办</p>
      <p>第一条 为了促进人工智能服务健康发展，保护公民合法权益，制定本办法。</p>
      <p>第二条 提供人工智能服务，应当遵守法律法规，尊重社会公德和伦理道德。</p>
      <p>第三条 服务提供者应当采取有效措施，提高训练数据质量，增强真实性、准确性。</p>
      <div class="share">分享到：<a href="#">微信</a><a href="#">微博</a><a href="#">QQ</a></div>
      <p>【打印】【关闭】</p>
      <ul class="list"><li><a href="/1">相关新闻一</a></li><li><a href="/2">相关新闻二</a></li><li><a href="/3">相关新闻三</a></li></ul>
    </main>
    <footer>版权所有 京ICP备12345678号</footer>
    </body></html>
    """


def test_a_news_page_gives_the_quoted_name_and_none_of_its_chrome(tmp_path):
    corpus = corpus_of(tmp_path, {"notice.html": NEWS_PAGE})
    [document] = corpus.documents
    assert document.title == "示例人工智能服务管理办法" and document.date == "2024-03-01"
    texts = " ".join(p.text for p in corpus.passages)
    for chrome in ("首页", "分享", "微信", "打印", "相关新闻", "ICP"):
        assert chrome not in texts
    assert [p.article for p in corpus.passages] == ["第一条", "第二条", "第三条"]
    assert all(p.language == "zh" for p in corpus.passages)


MEASURES = """
    # 示例算法服务管理规定

    2022年1月4日 示例管理办公室2021年第20次室务会议审议通过

    ## 第一章 总则

    ## 第二章 服务规范

    ## 第一章 总则

    第一条 为了规范算法服务活动，制定本规定。

    第二条 服务提供者应当遵守下列规定：

    （一）不得利用算法服务从事危害国家安全的活动；

    （二）不得利用算法诱导用户沉迷；

    （三）法律、行政法规规定的其他要求。

    ## 第二章 服务规范

    第三条 服务提供者应当定期审核、评估、验证算法机制机理、模型、数据和应用结果。

    第四条 本规定自2022年3月1日起施行。
    """


def test_articles_carry_their_list_items_chapter_and_label(tmp_path):
    corpus = corpus_of(tmp_path, {"rules.md": MEASURES})
    [document] = corpus.documents
    assert document.title_zh == "示例算法服务管理规定" and document.date == "2022-01-04"
    assert "示例管理办公室" in document.issuer
    by_article = {p.article: p for p in corpus.passages}
    assert list(by_article) == ["第一条", "第二条", "第三条", "第四条"]
    second = by_article["第二条"].text
    assert "（一）不得利用算法服务" in second and "（三）法律、行政法规" in second  # the items stay with their article
    assert by_article["第一条"].section == "第一章 总则" and by_article["第三条"].section == "第二章 服务规范"
    assert RepairKind.REMOVED_CONTENTS in {r.kind for r in corpus.repairs}  # the chapter list above the text
    assert all(len(p.text) >= 20 for p in corpus.passages)


CONVERTED_PDF = (
    "Regulations on Example Data Management\n\n"
    "Article 1 These Regulations are formulated for the purposes of regulating example data processing\n"
    "activities and protecting the lawful rights and interests of individuals and organizations.\n"
    "1\n\f"
    "Article 2 These Regulations apply to example data processing activities conducted within the\n"
    "\f2 Example Data Regulations Ch. 4\n"
    "territory and to the supervision and management thereof, as provided in the relevant laws.\n"
    "\f3 Example Data Regulations Ch. 4\n"
    "Article 3 Processors shall adopt technical measures to ensure the security of example data and\n"
    "\f4 Example Data Regulations Ch. 4\n"
    "shall be effective as of January 1,\n"
    "2025.\n"
)


def test_page_furniture_of_a_converted_pdf_is_taken_out_mid_sentence(tmp_path):
    corpus = corpus_of(tmp_path, {"regs.txt": CONVERTED_PDF})
    article2 = next(p for p in corpus.passages if p.article == "Art. 2")
    assert article2.text.endswith("within the territory and to the supervision and management thereof, as provided in the relevant laws.")
    assert "Example Data Regulations Ch." not in " ".join(p.text for p in corpus.passages)
    article3 = next(p for p in corpus.passages if p.article == "Art. 3")
    assert article3.text.endswith("effective as of January 1, 2025.")  # a year is no section number
    assert RepairKind.REMOVED_PAGE in {r.kind for r in corpus.repairs}
    assert not any(p.text.strip().isdigit() for p in corpus.passages)


NUMBERED_SECTIONS = """
    ---
    title: "Memorandum on Example Oversight of Artificial Intelligence"
    date: '2024-06-01'
    ---

    Section 1.  Policy.  (a)  This memorandum directs agencies to oversee their uses of artificial intelligence.

    Sec. 2.  Definitions.  For purposes of this memorandum: (a)  The term "agency" means an executive department.

    Sec. 3.  Implementation.  (a)  Each agency shall designate an official responsible for oversight.

    (b)  Each agency shall report annually on its uses of artificial intelligence.
    """


def test_numbered_sections_and_front_matter(tmp_path):
    corpus = corpus_of(tmp_path, {"memo.md": NUMBERED_SECTIONS})
    [document] = corpus.documents
    assert document.title == "Memorandum on Example Oversight of Artificial Intelligence" and document.date == "2024-06-01"
    assert [p.article for p in corpus.passages][:3] == ["Sec. 1", "Sec. 2", "Sec. 3"]
    assert not any("title:" in p.text or p.text.startswith("---") for p in corpus.passages)
    assert RepairKind.REMOVED_FRONT_MATTER in {r.kind for r in corpus.repairs}


MEMORANDUM = """
    ---
    title: "Memorandum on Example Oversight of Artificial Intelligence"
    ---

    MEMORANDUM FOR THE HEADS OF EXECUTIVE DEPARTMENTS AND AGENCIES

    SUBJECT:       Advancing Example Oversight of

                   Artificial Intelligence

         Section 1.  Policy.  (a)  This memorandum directs agencies to oversee their uses of artificial intelligence.

    (b)  Oversight shall be proportionate to risk.

    Sec. 2.  Managing Risks to Safety, Security, and Trust.

    (a)  Each agency shall test its systems before use.

    2.1.  Each agency shall keep a record of the tests it ran and of their results.

    2.2.  Publishing the results of every test in an accessible format on the open data portal.

    Sec. 3.  The Director shall report on this memorandum every year.  The report is public.

    Sec. 4.  General Provisions.  (a)  Nothing in this memorandum impairs the authority of an agency.

    Sec. 5.  Promoting Innovation.  5.1.  Attracting AI Talent.  (a)  Each agency shall recruit AI experts.

    Sec. 6.  Leadership of the U.S. Government.  (a)  Each agency shall cooperate with international partners.
    """


def test_run_in_section_titles_name_sections_and_subject_lines_do_not(tmp_path):
    corpus = corpus_of(tmp_path, {"memo.md": MEMORANDUM})
    sections = {p.article: p.section for p in corpus.passages if p.article}
    assert sections["Sec. 1"] == "Sec. 1 Policy"
    assert sections["Sec. 2"] == "Sec. 2 Managing Risks to Safety, Security, and Trust"  # the title alone on its line
    assert sections["2.1"] == "Sec. 2 Managing Risks to Safety, Security, and Trust"  # numbered under Sec. 2
    assert sections["2.2"] == sections["2.1"]  # a clause, not the heading of Sec. 3 (its text was lost as one)
    assert sections["Sec. 3"] == ""  # a sentence, not a title
    assert sections["Sec. 4"] == "Sec. 4 General Provisions"
    assert sections["Sec. 5"] == "Sec. 5 Promoting Innovation"  # its first subsection runs on in the same paragraph
    assert sections["Sec. 6"] == ""  # a title holding an abbreviation ("U.S.") is not read: no section, not half a title
    assert not any("Artificial Intelligence" == p.section for p in corpus.passages)  # the subject's last line


GUIDANCE_PAGE = """
    # Example guidance on AI impact assessment

    Published 29 March 2023

    Last updated 3 August 2023 show all updates

    This guidance supports agencies completing the impact assessment for each of their uses of AI.

    ## 1.5 In-scope use case

    The AI is designed to use personal data[^1] or security classified information[^2].

    [^1]: As defined by the Privacy Act 1988 (Cth).
    [^2]: As defined by the Protective Security Policy Framework

    If your use case is within scope, record the criteria that apply using the checklist provided.

    The criteria are designed to help identify uses of AI that require additional oversight and governance.
    """


def test_a_footnote_is_no_heading_and_a_page_date_label_no_text(tmp_path):
    corpus = corpus_of(tmp_path, {"guidance.md": GUIDANCE_PAGE})
    assert {p.section for p in corpus.passages[1:]} == {"1.5 In-scope use case"}
    assert any(p.text.startswith("[^2]: As defined") for p in corpus.passages)
    assert not any("Published 29 March" in p.text or "Published 29 March" in p.section for p in corpus.passages)
    assert not any("Last updated" in p.text or "Last updated" in p.section for p in corpus.passages)  # with its link
    assert RepairKind.REMOVED_PUBLICATION in {r.kind for r in corpus.repairs}


EXECUTIVE_ORDER = """
    Executive Order on Example Widget Oversight

    By the authority vested in me as President, it is hereby ordered as follows:

    Section 1.  Purpose.  Widgets that use artificial intelligence hold great promise and real risks.

    Sec. 4.  Ensuring the Safety and Security of Widget Technology.

    4.1.  Developing Guidelines and Standards.  (a)  Within 270 days, the Secretary shall establish guidelines for testing widgets.

    4.2.  Ensuring Safe and Reliable Widgets.  (a)  Within 90 days, the Secretary shall require developers to report test results.

    Sec. 5.  General Provisions.  (a)  Nothing in this order impairs the authority of an agency.
    """


def test_an_article_that_is_only_its_title_heads_its_sub_articles(tmp_path):
    corpus = corpus_of(tmp_path, {"order.txt": EXECUTIVE_ORDER})
    sections = {p.article: p.section for p in corpus.passages if p.article}
    assert "Sec. 4" not in sections  # no passage holds a title alone
    assert sections["4.1"] == "Sec. 4 Ensuring the Safety and Security of Widget Technology · 4.1 Developing Guidelines and Standards"
    assert sections["4.2"].startswith("Sec. 4 Ensuring the Safety")
    assert sections["Sec. 5"] == "Sec. 5 General Provisions"  # not numbered under Sec. 4: outside it


def federal_register_pages() -> str:
    """An order as the Federal Register prints it: a running head and a printer's slug line on every page."""
    paragraphs = [
        "Executive Order 99999 of October 30, 2023",
        "Safe and Trustworthy Development and Use of Example Widgets",
        "By the authority vested in me as President, it is hereby ordered as follows:",
        "Section 1. Purpose. Widgets hold extraordinary potential for both promise and peril.",
        "Sec. 2. Policy. It is the policy of my Administration to govern the development and use of widgets.",
        "Sec. 3. Definitions. For purposes of this order, the term widget means a machine-based system.",
        "Sec. 4. Reporting. Developers of large widget models shall report the results of their tests.",
        "Sec. 5. General Provisions. Nothing in this order impairs the authority of an agency.",
    ]
    lines = []
    for page, start in enumerate(range(0, len(paragraphs), 2)):
        lines.append(f"{75192 + page}  Federal Register / Vol. 88, No. 210 / Wednesday, November 1, 2023 / Presidential Documents")
        lines.append(f"VerDate Sep<11>2014  18:13 Oct 31, 2023  Jkt 262001  PO 00000  Frm 0000{page + 1}  Fmt 4705  "
                     f"Sfmt 4790  E:\\FR\\FM\\01NOE0.SGM  01NOE0")
        for paragraph in paragraphs[start:start + 2]:
            lines += [paragraph, ""]
    return "\n".join(lines)


def test_a_printer_s_slug_line_on_every_page_is_furniture_and_the_order_s_number_no_passage(tmp_path):
    corpus = corpus_of(tmp_path, {"order.txt": federal_register_pages()})
    [document] = corpus.documents
    assert "VerDate" not in document.title and "Safe and Trustworthy Development" in document.title
    assert not any("VerDate" in p.text or "Federal Register" in p.text for p in corpus.passages)
    assert not any(p.text.startswith("Executive Order 99999") for p in corpus.passages)  # a title line, not text
    assert [p.article for p in corpus.passages if p.article] == ["Sec. 1", "Sec. 2", "Sec. 3", "Sec. 4", "Sec. 5"]


EU_REGULATION = """
    REGULATION (EU) 2099/1 OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL

    laying down harmonised rules on widgets

    Whereas:

    (1) The purpose of this Regulation is to lay down a uniform legal framework for widgets.

    HAVE ADOPTED THIS REGULATION:

    CHAPTER I

    GENERAL PROVISIONS

    Article 1

    Subject matter

    1. This Regulation lays down harmonised rules for the placing on the market of widgets.

    Article 2

    Scope

    1. This Regulation does not apply to widgets used exclusively for military purposes.

    CHAPTER II

    PROHIBITED PRACTICES

    Article 5

    Prohibited widget practices

    1. The use of widgets for the social scoring of natural persons shall be prohibited.
    """


def test_an_article_number_on_a_line_of_its_own_is_no_running_head_and_its_title_names_its_section(tmp_path):
    corpus = corpus_of(tmp_path, {"regulation.txt": EU_REGULATION})
    [document] = corpus.documents
    assert document.title.startswith("Regulation (EU) 2099/1")  # an abbreviation in brackets stays one
    sections = {p.article: p.section for p in corpus.passages if p.article}
    # before: "Article 1", "Article 2", "Article 5" recur with changing numbers and were taken for page furniture
    assert sections == {"Art. 1": "CHAPTER I GENERAL PROVISIONS · Art. 1 Subject matter",
                        "Art. 2": "CHAPTER I GENERAL PROVISIONS · Art. 2 Scope",
                        "Art. 5": "CHAPTER II PROHIBITED PRACTICES · Art. 5 Prohibited widget practices"}
    assert RepairKind.REMOVED_PAGE not in {r.kind for r in corpus.repairs}
    assert any("uniform legal framework" in p.text for p in corpus.passages)  # the recitals are text


UN_RESOLUTION = """
    United Nations                                                        A/RES/99/265
    General Assembly                                                      Distr.: General
                                                                          1 April 2099
    Ninety-ninth session
    Agenda item 13

    Resolution adopted by the General Assembly on 21 March 2099

    99/265. Seizing the opportunities of safe, secure and trustworthy widget systems for sustainable development

    The General Assembly,

    Recognizing that safe, secure and trustworthy widget systems can accelerate progress towards the Sustainable Development Goals,

    1. Resolves to bridge the widget and other digital divides between and within countries;

    2. Encourages Member States to promote safe, secure and trustworthy widget systems;
    """


def test_a_un_resolution_printed_in_columns_loses_its_header_and_is_named_by_its_number_and_title(tmp_path):
    corpus = corpus_of(tmp_path, {"resolution.txt": UN_RESOLUTION})
    [document] = corpus.documents
    assert document.title == ("Resolution 99/265: Seizing the opportunities of safe, secure and trustworthy widget systems "
                              "for sustainable development")
    assert document.issuer == "United Nations General Assembly" and document.date == "2099-03-21"
    assert not any("A/RES/99/265" in p.text or "Distr." in p.text for p in corpus.passages)  # a header in two columns
    assert [p.article for p in corpus.passages if p.article] == ["para. 1", "para. 2"]


WRAPPED_PDF_EN = (
    "Example Guidelines on Widget Ethics\n\n1. Introduction\n\nThe responsible develop-\nment of widgets requires that "
    "organisations establish govern-\nance structures and keep decision-\nmaking with people throughout the life cycle.\n\n- 2 -\n\n"
    "2. Principles\n\nWidget systems should be trans-\nparent, accountable and fair to the people they affect.\n\n- 3 -\n\n"
    "3. Review\n\nThe guidelines are reviewed every two years.\n\n- 4 -\n"
)
WRAPPED_PDF_ZH = (
    "示例小部件伦理指引\n\n一、总体要求\n\n小部件的研发和应用应当坚持以人为本、智能向善，遵守法律法规，尊重社会\n"
    "公德和伦理道德，防范安全风险。\n\n- 1 -\n\n二、基本原则\n\n（一）增进人类福祉。小部件的研发应当以增进人类福祉为目标，促进经济\n"
    "发展和社会进步，保障人民的生命安全和身体健康。\n\n- 2 -\n\n三、附则\n\n本指引自发布之日起施行。\n\n- 3 -\n"
)


def test_lines_a_pdf_wrapped_are_one_paragraph_and_its_broken_words_one_word(tmp_path):
    corpus = corpus_of(tmp_path, {"guidelines.txt": WRAPPED_PDF_EN, "指引.txt": WRAPPED_PDF_ZH})
    texts = [p.text for p in corpus.passages]
    assert ("The responsible development of widgets requires that organisations establish governance structures and "
            "keep decision-making with people throughout the life cycle.") in texts
    assert "Widget systems should be transparent, accountable and fair to the people they affect." in texts
    # a full line of Chinese without a sentence end wraps: before, it was taken for a heading and lost
    assert "小部件的研发和应用应当坚持以人为本、智能向善，遵守法律法规，尊重社会公德和伦理道德，防范安全风险。" in texts
    assert any(t.endswith("促进经济发展和社会进步，保障人民的生命安全和身体健康。") for t in texts)
    assert {p.section for p in corpus.passages if p.language == "zh"} == {"一、总体要求", "二、基本原则", "三、附则"}
    assert not any(p.text.endswith("-") for p in corpus.passages)  # page numbers are furniture
    # an item's number, left out of its text, is how it is cited
    assert {p.article for p in corpus.passages if p.text.startswith("增进人类福祉")} == {"（一）"}


TAIWAN_LAW = (
    "人工智慧基本法（試行）\n\n第一章　總則\n\n第 1 條\n為促進以人為本之人工智慧研發與應用，特制定本法。\n\n"
    "第 2 條\n本法所稱主管機關：在中央為國家科學及技術委員會。\n\n第二章　基本原則\n\n"
    "第 3 條\n政府推動人工智慧之研發及應用，應遵循永續發展、人類自主、隱私保護等原則。\n"
)


def test_articles_numbered_as_taiwan_writes_them_and_a_title_with_its_qualifier(tmp_path):
    corpus = corpus_of(tmp_path, {"law.txt": TAIWAN_LAW})
    [document] = corpus.documents
    assert document.title == "人工智慧基本法（試行）"  # before: a chapter heading was taken for the name
    assert [(p.article, p.section) for p in corpus.passages] == [
        ("第1條", "第一章　總則"), ("第2條", "第一章　總則"), ("第3條", "第二章　基本原則")]
    assert corpus.passages[0].text == "第 1 條 為促進以人為本之人工智慧研發與應用，特制定本法。"


MARKDOWN_ACT = """
    # Example Widget Act

    ## Chapter I: General Provisions

    ### Article 1: Subject Matter

    1. This Regulation lays down harmonised rules for the placing on the market of widgets.

    2. It protects health, safety and fundamental rights.

    ### Article 2: Scope

    1. This Regulation applies to providers of widgets in the Union.

    ## Chapter II: Prohibited Practices

    ### Article 5: Prohibited Widget Practices

    1. The following widget practices shall be prohibited:

    (a) the use of subliminal techniques;

    (b) social scoring.
    """


def test_articles_that_are_markdown_headings_are_articles_and_a_list_s_introduction_is_no_heading(tmp_path):
    corpus = corpus_of(tmp_path, {"act.md": MARKDOWN_ACT})
    assert [(p.article, p.section) for p in corpus.passages] == [
        ("Art. 1", "Chapter I: General Provisions · Art. 1 Subject Matter"),
        ("Art. 2", "Chapter I: General Provisions · Art. 2 Scope"),
        ("Art. 5", "Chapter II: Prohibited Practices · Art. 5 Prohibited Widget Practices")]
    assert corpus.passages[2].text.startswith("1. The following widget practices shall be prohibited: (a)")


UK_BILL = """
    Widget (Regulation) Bill [HL]

    BE IT ENACTED by the King's most Excellent Majesty, by and with the advice and consent of the Lords Spiritual and Temporal, and Commons, in this present Parliament assembled, as follows:—

    1 The Widget Authority

    (1) The Secretary of State must by regulations make provision to create a body called the Widget Authority.

    (2) The functions of the Widget Authority are to ensure that regulators take account of widgets.

    2 Widget responsible officers

    (1) The Secretary of State must require any business which uses widgets to have a designated widget officer.

    3 Short title

    (1) This Act may be cited as the Widget (Regulation) Act 2099.
    """


def test_a_subsection_that_is_one_sentence_is_text_and_the_crown_enacts_for_parliament(tmp_path):
    corpus = corpus_of(tmp_path, {"bill.txt": UK_BILL})
    [document] = corpus.documents
    assert document.title == "Widget (Regulation) Act" and document.issuer == "Parliament of the United Kingdom"
    # before: "(1) The Secretary of State must require …" above the next section was taken for a heading and lost
    officers = [p for p in corpus.passages if p.section == "2 Widget responsible officers"]
    assert [(p.article, p.text) for p in officers] == [
        ("(1)", "The Secretary of State must require any business which uses widgets to have a designated widget officer.")]


AMENDING_BILL = """
    The people of the State of Example do enact as follows:

    SECTION 1. The Legislature finds that widgets powered by artificial intelligence offer large benefits.

    SEC. 2. Chapter 25.9 (commencing with Section 22760.1) is added to the Business Code, to read:

    CHAPTER 25.9. Widget Model Safety

    22760.1. For purposes of this chapter: (a) "Covered model" means a widget model trained at large scale.
    (b) "Financial institution" has the meaning given in 18 U.S.C.
    SEC. 1951 ET SEQ.; AND IN THE FEDERAL BANKING ACT.

    22760.2. Before training a covered model, a developer shall be able to shut the model down in full.

    SEC. 3. The provisions of this act are severable.
    """


def test_an_amending_bill_s_own_sections_stand_outside_the_chapter_it_inserts(tmp_path):
    corpus = corpus_of(tmp_path, {"bill.txt": AMENDING_BILL})
    sections = {p.article: p.section for p in corpus.passages if p.article}
    assert sections["§ 22760.2"] == "CHAPTER 25.9. Widget Model Safety"
    assert sections["Sec. 3"] == ""  # the bill's numbering is back: not part of chapter 25.9
    # a wrapped line starting with a reference breaks the numbering (1, 1951, 2, 3): text of the article it is in
    assert "Sec. 1951" not in sections
    [wrapped] = [p for p in corpus.passages if "SEC. 1951 ET SEQ." in p.text]
    assert wrapped.article == "§ 22760.1"


WRAPPED_HEADINGS = """
    PART 17
    AUTOMATED DECISION SYSTEMS
    IN CONSEQUENTIAL DECISIONS
    6-1-1701. Definitions.
    AS USED IN THIS PART 17, "DEVELOPER" MEANS A PERSON DOING BUSINESS IN THIS STATE THAT DEVELOPS A SYSTEM.
    6-1-1702. Developer duties. (1) A DEVELOPER SHALL DOCUMENT THE KNOWN RISKS OF ITS SYSTEM.

    Section 2

    Special Provisions on the Processing of

    Personal Information by State Organs

    Article 33 This Law applies to the processing of personal information by state organs.

    Article 34 State organs shall process personal information within the scope of their statutory duties.
    """


def test_a_heading_wrapped_over_several_lines_is_one_section_and_no_passage(tmp_path):
    corpus = corpus_of(tmp_path, {"law.txt": WRAPPED_HEADINGS})
    sections = {p.article: p.section for p in corpus.passages if p.article}
    assert sections["§ 6-1-1701"].startswith("PART 17 AUTOMATED DECISION SYSTEMS IN CONSEQUENTIAL DECISIONS")
    assert sections["Art. 33"] == "Section 2 Special Provisions on the Processing of Personal Information by State Organs"
    assert not any(p.text in ("IN CONSEQUENTIAL DECISIONS", "Personal Information by State Organs") or p.text.startswith("Section 2")
                   for p in corpus.passages)


NUMBERED_DECLARATION = """
    # Example Action Plan for Global Widget Governance

    **I. Seize the opportunities of widgets.**

    1. **Promote widget infrastructure.** We call on all parties to build shared computing power and data resources.

    2. **Empower industries.** We support the use of widgets in manufacturing, agriculture and health.

    **II. Govern widgets together.**

    3. We support the United Nations as the main channel for widget governance.

    4. We will help developing countries build their capacity in widget research and talent.

    Annex on Implementation

    The parties will review this plan every two years.
    """


def test_the_last_item_of_a_numbered_list_is_text_and_a_bold_numbered_line_a_heading(tmp_path):
    corpus = corpus_of(tmp_path, {"plan.md": NUMBERED_DECLARATION})
    sections = {p.text.split(".")[0]: p.section for p in corpus.passages}
    # before: "2. Empower industries …" and "4. We will help …" were taken for headings and lost from the passages
    assert sections["Empower industries"] == "I. Seize the opportunities of widgets."
    assert sections["We will help developing countries build their capacity in widget research and talent"] == "II. Govern widgets together."
    assert sections["Promote widget infrastructure"] == "I. Seize the opportunities of widgets."
    assert sections["The parties will review this plan every two years"] == "Annex on Implementation"
    # a numbered paragraph is cited by its number, which its text leaves out
    labels = {p.text.split(".")[0]: p.article for p in corpus.passages}
    (tmp_path / "points").mkdir()
    points = corpus_of(tmp_path / "points", {"指引.md": "# 示例指引\n\n一、各机关使用小部件应当遵守本指引。\n\n二、各机关不得完全信任小部件的产出。\n"})
    assert [p.article for p in points.passages] == ["第一点", "第二点"]
    assert labels["We support the United Nations as the main channel for widget governance"] == "para. 3"
    assert labels["The parties will review this plan every two years"] == ""


TRADITIONAL = """
    # 行政院及所屬機關使用生成式人工智慧參考指引

    行政院於112年10月3日函頒本參考指引，供各機關依循。

    一、各機關使用生成式人工智慧時，應秉持負責任及可信賴之態度，掌握自主權與控制權，不得恣意揭露未經公開之公務資訊。

    二、各機關不可完全信任生成式人工智慧產出之資訊，亦不得以未經確認之產出內容直接作成行政行為。
    """


def test_traditional_chinese_is_chinese_dated_in_the_minguo_calendar_and_meets_simplified_queries(tmp_path):
    from govsearch.text.analysis import zh_tokens, zh_words

    corpus = corpus_of(tmp_path, {"tw.md": TRADITIONAL})
    [document] = corpus.documents
    assert document.date == "2023-10-03"
    assert all(p.language == "zh" for p in corpus.passages)
    passage = next(p for p in corpus.passages if "資訊" in p.text)  # shown as received
    assert set(zh_words("生成式人工智能的公务信息")) & set(zh_tokens(passage.text)) >= {"生成式人工智能", "公务", "信息"}


@pytest.mark.parametrize("text, expected", [
    ("人工智能治理攸关全人类命运，是世界各国面临的共同课题。", "zh"),
    ("行政院及所屬機關使用生成式人工智慧參考指引", "zh"),
    ("人工知能の開発と利用に関する指針を定める。", "ja"),
    ("인공지능 기본법은 인공지능의 건전한 발전을 지원한다.", "ko"),
    ("Artificial intelligence should remain under human control at all times.", "en"),
])
def test_a_script_decides_among_east_asian_languages(text, expected):
    from govsearch.text.langid import detect_language

    assert detect_language(text) == expected


def test_a_short_passage_takes_its_versions_language():
    from govsearch.text.langid import passage_language

    assert passage_language("2025.", "en") == "en" and passage_language("(a)", "zh") == "zh"
    assert passage_language("ISBN 978-1-5286-4009-1", "zh") == "zh"
    assert passage_language("人工智能", "en") == "en"  # a few characters in an English text
    long_chinese = "各国应秉持共同、综合、合作、可持续的安全观，坚持发展和安全并重的原则。"
    assert passage_language(long_chinese, "en") == "zh"


def test_short_list_items_stay_with_their_introduction(tmp_path):
    corpus = corpus_of(tmp_path, {"guide.md": """
        # Guidance for Example AI Procurement

        When you buy an AI system, the contract should address:

        - governance
        - data sourcing
        - privacy
        - security

        Agencies should keep records of every assessment they complete and review them each year.
        """})
    texts = [p.text for p in corpus.passages]
    assert any(t.startswith("When you buy") and "privacy" in t and "security" in t for t in texts)
    assert not any(t in ("governance", "privacy", "security") for t in texts)


def test_the_wide_corpus_builds_clean():
    """Catalogued, the wide corpus ingests with no warning, every passage in its version's language, no
    passage that is only a number or a heading."""
    from govsearch.ingest import structure

    corpus = load_corpus(WIDE)
    assert corpus.warnings == [] and corpus.skipped == []
    languages = {v.id: v.language for d in corpus.documents for v in d.versions}
    assert all(p.language == languages[p.version_id] for p in corpus.passages)
    assert not any(structure.label_only(p.text) or p.text.strip(" .").isdigit() for p in corpus.passages)
    assert sum(len(p.text) < 25 for p in corpus.passages) <= 0.01 * len(corpus.passages)
    assert sum(bool(p.article) for p in corpus.passages) > 400  # the laws are cut per article


def test_the_metadata_guesser_on_the_wide_catalog():
    """With the catalog hidden, titles right for at least 90 % of the files and dates right wherever the text
    states them (eval/metadata.py)."""
    from eval.metadata import evaluate, report

    summary = report(evaluate(WIDE))
    assert summary["files"] >= 15
    assert summary["title_accuracy"] >= 0.9, summary
    assert summary["date_accuracy"] >= 0.9, summary


def test_blocks_keep_pointing_into_the_received_text():
    blocks = split_blocks(CONVERTED_PDF)
    assert all(CONVERTED_PDF[b.start:b.end] == b.raw for b in blocks)
    assert any(b.kind == BlockKind.BOILERPLATE and b.boilerplate == Boilerplate.PAGE for b in blocks) or \
        any(b.gaps for b in blocks)


def test_add_writes_the_catalog_entry_and_keeps_its_comments(tmp_path):
    from govsearch.ingest.catalog import load_catalog
    from govsearch.interfaces.cli import main

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "catalog.yaml").write_text("# my notes about this corpus\ndocuments: []\n", encoding="utf-8")
    source = tmp_path / "incoming" / "bill.txt"
    source.parent.mkdir()
    source.write_text(textwrap.dedent(STATE_BILL), encoding="utf-8")
    assert main(["add", str(source), "--corpus", str(corpus), "--issuer", "State Legislature"]) == 0
    written = (corpus / "catalog.yaml").read_text(encoding="utf-8")
    assert written.startswith("# my notes about this corpus")
    [entry] = load_catalog(corpus).documents
    assert (entry.title, entry.issuer, entry.versions[0].file) == ("Automated Decision Accountability Act", "State Legislature", "bill.txt")
    assert (corpus / "bill.txt").read_bytes() == source.read_bytes()
    assert main(["add", str(source), "--corpus", str(corpus)]) == 2  # described already
    translation = tmp_path / "incoming" / "bill-zh.txt"
    translation.write_text("第一条 本法所称自动化决策系统，是指用于作出影响自然人的重大决定的计算过程。\n", encoding="utf-8")
    assert main(["add", str(translation), "--corpus", str(corpus), "--of", entry.id]) == 0
    [entry] = load_catalog(corpus).documents
    assert [(v.language, str(v.role)) for v in entry.versions] == [("en", "original"), ("zh", "official translation")]
    assert load_corpus(corpus).warnings == []


def test_the_build_summary_lists_every_guess_with_the_command_to_fix_it(tmp_path):
    from govsearch.interfaces.summary import corpus_summary

    corpus = corpus_of(tmp_path, {"bill.txt": STATE_BILL, "rules.md": MEASURES})
    summary = corpus_summary(corpus)
    assert summary.count("python -m govsearch add ") == 2
    assert "Automated Decision Accountability Act" in summary and "示例算法服务管理规定" in summary


def test_citations_name_the_article(engine):
    from govsearch.records import Passage, Role

    passage = Passage("x", "gaigi", "v", "s", 0, 1, "zh", Role.ORIGINAL, "第二章", 12, "第四条 …", article="第四条")
    assert engine.citation(passage).endswith(", 第四条, §12, zh")
    json.dumps(passage.__dict__, default=str)


def test_a_regulation_is_not_named_after_the_law_it_rests_on(tmp_path):
    """Chinese regulations open with "根据《上位法》，制定本办法": the quoted law is another document, and two
    regulations resting on the same law stay two documents."""
    def regulation(topic: str) -> str:
        return (f"第一条 为了规范{topic}活动，保护个人信息权益，根据《中华人民共和国网络安全法》、《中华人民共和国个人信息保护法》"
                f"等法律、行政法规，制定本办法。\n\n第二条 在中华人民共和国境内从事{topic}活动，适用本办法。\n\n"
                f"第三条 {topic}服务提供者应当遵守法律法规，尊重社会公德和伦理道德。\n")

    corpus = corpus_of(tmp_path, {"face.md": regulation("人脸识别"), "deepfake.md": regulation("深度合成")})
    titles = [d.title for d in corpus.documents]
    assert len(corpus.documents) == 2, titles
    assert not any("网络安全法" in t or "个人信息保护法" in t for t in titles), titles


LAW_ZH = """
    示例人工智能服务管理办法

    第一条 为了促进人工智能健康发展，保护个人信息安全，制定本办法。

    第二条 服务提供者应当采取有效措施，提高训练数据质量，防止歧视。

    第三条 服务提供者应当对生成的图片、视频等内容进行标识。

    第四条 本办法自2024年3月1日起施行。
    """

LAW_EN = """
    Example Measures for the Management of Artificial Intelligence Services

    Article 1 These Measures are formulated to promote the healthy development of artificial intelligence and to protect the security of personal information.

    Article 2 Service providers shall take effective measures to improve the quality of training data and to prevent discrimination.

    Article 3 Service providers shall label generated content such as pictures and videos.

    Article 4 These Measures take effect on March 1, 2024.
    """

OTHER_EN = """
    Example Statement on Widget Cooperation

    Article 1 The parties will meet every year to review cooperation on widgets.

    Article 2 The parties will exchange their experience of widget standards.

    Article 3 The parties will support research partnerships between universities.

    Article 4 This statement is not legally binding.
    """


def test_an_uncatalogued_text_and_its_translation_are_one_document(tmp_path):
    corpus = corpus_of(tmp_path, {"measures_zh.txt": LAW_ZH, "measures_en.txt": LAW_EN, "statement.txt": OTHER_EN})
    [measures] = [d for d in corpus.documents if len(d.versions) == 2]
    assert {v.language for v in measures.versions} == {"zh", "en"} and measures.title_zh == "示例人工智能服务管理办法"
    assert len(corpus.documents) == 2  # the unrelated statement stays a document of its own
    groups = {}
    for p in corpus.passages:
        groups.setdefault(p.group, set()).add(p.language)
    article_groups = [langs for langs in groups.values() if langs == {"zh", "en"}]
    assert len(article_groups) >= 3  # each article and its translation are one statement
    assert any("read as the Chinese version of" in w for w in corpus.warnings)


def test_a_running_head_that_repeats_a_chapter_number_is_still_furniture():
    from govsearch.ingest.layout import find_furniture

    pages = []
    for chapter in (1, 1, 1, 2, 2, 2):  # "Chapter 1" at the top of each page of chapter 1
        pages += [f"Chapter {chapter}", "The text of the page runs on from the page before it and on to the next.", ""]
    assert sorted(find_furniture(pages).lines) == [0, 3, 6, 9, 12, 15]
    articles = ["Article 1", "Subject matter", "Article 2", "Scope", "Article 3", "Definitions"]  # each once
    assert find_furniture(articles).lines == {}


def test_a_numbered_paragraph_too_long_for_a_title_is_never_lost_as_a_heading(tmp_path):
    text = """
    # Example Statement on Widgets

    1. We, the participants gathered in the example city, commit ourselves to developing and using widgets in ways that are safe, fair and open to all.

    Annex on Follow-up

    The participants will meet again in two years.

    一、我们承诺以安全、公平、开放的方式研发和使用小部件，并与所有国家分享小部件带来的发展机遇和成果
    """
    corpus = corpus_of(tmp_path, {"statement.md": text})
    texts = [p.text for p in corpus.passages]
    assert any(t.startswith("We, the participants gathered") for t in texts)
    assert any(t.startswith("我们承诺以安全、公平、开放的方式") for t in texts)


def test_dates_in_a_preamble_that_cites_other_instruments_are_not_the_document_s(tmp_path):
    text = """
    Recommendation of the Council on Example Widgets

    THE COUNCIL,

    HAVING REGARD to Article 5 b) of the Convention on the Organisation for Economic Co-operation and Development of 14 December 1960;

    RECOGNISING that widgets have pervasive, far-reaching and global implications;

    I. ADOPTS the following Recommendation on principles for responsible stewardship of trustworthy widgets.
    """
    corpus = corpus_of(tmp_path, {"recommendation.txt": text})
    [document] = corpus.documents
    assert document.date == ""  # 1960 is the Convention's date; this text gives none of its own
    assert any(p.text.startswith("HAVING REGARD to Article 5") for p in corpus.passages)  # still text


def test_a_standard_s_numbered_parts_head_their_clauses(tmp_path):
    text = ("生成式小部件服务安全基本要求\n\n1 范围\n\n本文件规定了生成式小部件服务在安全方面的基本要求。\n\n3 术语和定义\n\n"
            "3.1\n生成式小部件服务 generative widget service\n利用生成式小部件技术向公众提供生成内容的服务。\n\n"
            "3.2\n提供者 provider\n提供生成式小部件服务的组织或个人。\n\n4 语料安全要求\n\n4.1 语料来源安全要求\n\n"
            "应建立语料来源黑名单，不应使用黑名单来源的数据进行训练。\n")
    corpus = corpus_of(tmp_path, {"standard.txt": text})
    [document] = corpus.documents
    assert document.title == "生成式小部件服务安全基本要求"
    sections = [(p.article, p.section) for p in corpus.passages]
    # before: "4 语料安全要求" was text of clause 3.2 and clause 4.1 stood under "3 术语和定义"; "1 范围" was no section
    assert sections == [("", "1 范围"), ("3.1", "3 术语和定义"), ("3.2", "3 术语和定义"), ("4.1", "4 语料安全要求")]
    assert not any("语料安全要求" in p.text and p.article == "3.2" for p in corpus.passages)


POLICY_PAPER_PAGE = """
    Skip to main content
    GOV.UK
    Home
    Policy paper
    Frontier Widget Safety Commitments, Widget Summit 2099
    Published 21 May 2099
    Contents
    Outcome 1
    Outcome 2
    Outcome 3
    The governments announced that the following organisations have agreed to the Frontier Widget Safety Commitments:
    Acme Widgets
    Globex
    Initech Research
    The above organisations, in furtherance of safe and trustworthy widgets, undertake to develop and deploy their frontier widget models and systems responsibly, in accordance with the following voluntary commitments.
    Outcome 1. Organisations effectively identify, assess and manage risks. They will:
    I. Assess the risks posed by their frontier widgets across the widget lifecycle, including before deploying that widget and, as appropriate, before and during its making. Risk assessments should consider widget capabilities and the context in which they are deployed.
    II. Set out thresholds at which severe risks posed by a widget, unless adequately mitigated, would be deemed intolerable. Assess whether these thresholds have been breached, including monitoring how close a widget is to such a breach.
    Outcome 2. Organisations are accountable for safely developing their frontier widgets. They will:
    III. Adhere to the commitments outlined in I-II, including by developing and continuously reviewing internal accountability and governance frameworks and assigning roles, responsibilities and sufficient resources to do so.
    Is this page useful?
    OGL
    All content is available under the Open Government Licence v3.0, except where otherwise stated
    © Crown copyright
    """


def test_a_policy_paper_page_keeps_its_list_of_names_and_cites_roman_numbered_paragraphs(tmp_path):
    corpus = corpus_of(tmp_path, {"commitments.txt": POLICY_PAPER_PAGE,
                                  "declaration.txt": "Policy paper\n"
                                  "Widget Declaration for safe, innovative and inclusive widgets by participants attending the "
                                  "Leaders' Session: Widget Summit, 21 May 2099\nPublished 21 May 2099\n"
                                  "1. We, world leaders, affirm our common dedication to fostering cooperation on widgets.\n"
                                  "2. We recognise the importance of interoperability between widget governance frameworks.\n"})
    commitments, declaration = sorted(corpus.documents, key=lambda d: d.id)
    # before: the page's date label ran into the title above it
    assert commitments.title == "Frontier Widget Safety Commitments, Widget Summit 2099"
    texts = [p.text for p in corpus.passages if p.document_id == commitments.id]
    # before: the sentence and names after "Contents" were taken for its entries and lost
    assert texts[0] == ("The governments announced that the following organisations have agreed to the Frontier Widget "
                        "Safety Commitments: Acme Widgets Globex Initech Research")
    labels = {p.text.split(",")[0].split(" ")[0]: p.article for p in corpus.passages}
    assert labels["Assess"] == "para. I" and labels["Adhere"] == "para. III"
    assert not any("Licence" in t for t in texts)
    # a title too long for a heading line names the document and is no passage of it
    assert declaration.title.startswith("Widget Declaration for safe, innovative and inclusive widgets")
    assert not declaration.title.endswith("Published 21 May 2099")
    assert [p.article for p in corpus.passages if p.document_id == declaration.id] == ["para. 1", "para. 2"]


def test_a_bare_address_is_chrome_and_a_decree_number_is_not():
    assert web_chrome("www.gov.uk") and web_chrome("https://example.org/ai")
    # before: "No.790" under "Decree of the State Council …" was taken for an address and split from the decree's name
    assert not web_chrome("No.790") and not web_chrome("3.14")


CHINESE_MEASURES_PAGE = """
    首页 > 政策法规 > 部门规章
    小部件服务管理暂行办法
    2099年07月13日 17:00  来源： 中国网信网
    【打印】 【纠错】
    国家小部件办公室
    令
    第15号
    《小部件服务管理暂行办法》已经2099年5月23日国家小部件办公室室务会会议审议通过，现予公布，自2099年8月15日起施行。
    2099年7月10日
    小部件服务管理暂行办法
    第一章　总　　则
    第一条　为了促进小部件健康发展和规范应用，制定本办法。
    第二条　提供小部件服务，应当遵守法律、行政法规。
    第三条　国家坚持发展和安全并重的原则。
    第二章　附　　则
    第四条　本办法自2099年8月15日起施行。
    【打印】 【关闭】
    相关稿件
    """


def test_a_chinese_government_page_loses_its_date_line_decree_number_and_the_chrome_inside_its_last_article(tmp_path):
    corpus = corpus_of(tmp_path, {"办法.txt": CHINESE_MEASURES_PAGE})
    texts = {p.article: p.text for p in corpus.passages}
    # before: the page's print buttons and "related articles" label, between the last article's lines, were in its text
    assert texts["第四条"] == "第四条 本办法自2099年8月15日起施行。"
    assert not any("第15号" in t or "来源" in t for t in texts.values())
    kinds = {r.before.strip(): r.kind for r in corpus.repairs}
    assert kinds["2099年07月13日 17:00  来源： 中国网信网"] == RepairKind.REMOVED_WEB
    assert kinds["第15号"] == RepairKind.REMOVED_PUBLICATION


def test_a_page_foot_between_an_article_s_paragraphs_is_left_out_of_its_text(tmp_path):
    text = ("AN ACT CONCERNING WIDGETS\n\nSECTION 1. Definitions. As used in this act:\n\n(1) \"Widget\" means a "
            "machine-based system.\n\n570 Consumer and Commercial Transactions Ch. 131\n\n(2) \"Developer\" means a person "
            "who makes a widget.\n\nSECTION 2. Duties. A developer shall document each widget.\n\n"
            "571 Consumer and Commercial Transactions Ch. 131\n\nSECTION 3. Notice. A deployer shall notify each "
            "consumer.\n\n572 Consumer and Commercial Transactions Ch. 131\n\nSECTION 4. Effective date. This act takes "
            "effect on July 1, 2099.\n")
    corpus = corpus_of(tmp_path, {"act.txt": text})
    first = next(p for p in corpus.passages if p.text.startswith("SECTION 1."))
    assert "(1) \"Widget\" means" in first.text and "(2) \"Developer\"" in first.text
    # before: the page's foot between the section's paragraphs was in its text
    assert "Commercial Transactions" not in first.text and "a machine-based system. (2)" in first.text


def test_bold_chapter_headings_and_article_numbers_of_a_markdown_law(tmp_path):
    text = ("# Widget Safety Act\n\n**Chapter I: General Provisions**\n\n**Article 1.** This Act establishes rules for the "
            "safe development of widgets.\n\n**Article 2.** In this Act, \"widget\" means a machine-based system.\n\n"
            "**Chapter II: Duties**\n\n**Article 3.** A developer shall assess the risks of each widget.\n\n"
            "**Article 4.** A deployer shall notify users that they interact with a widget.\n")
    corpus = corpus_of(tmp_path, {"act.md": text})
    # before: "**Article 1.**" was no article label and "**Chapter II: Duties**" after the articles no chapter
    assert [(p.article, p.section) for p in corpus.passages] == [
        ("Art. 1", "Chapter I: General Provisions"), ("Art. 2", "Chapter I: General Provisions"),
        ("Art. 3", "Chapter II: Duties"), ("Art. 4", "Chapter II: Duties")]


def test_a_contents_list_of_headings_is_removed_up_to_the_text_and_names_no_section(tmp_path):
    text = ("Policy paper\nWidget Ministerial Statement for advancing widget safety: Widget Summit 2099\nPublished 22 May 2099\n"
            "Contents\nWidget safety\nInnovation\nAnnex: list of signatories\n"
            "1. We, the Ministers, gathered at the Widget Summit on 22 May 2099, affirm our common dedication to fostering "
            "international cooperation and dialogue on widgets in the face of their unprecedented advancements.\n"
            "Widget safety\n2. It is our shared intent to take advantage of the benefits of widgets while addressing their risks, "
            "and we recognise the importance of evaluating widget safety before deployment.\n"
            "Innovation\n3. We recognise the importance of fostering innovation in widgets, including for small and medium "
            "enterprises, start-ups, academia and the widget research community.\n"
            "Annex: list of signatories\nAustralia, Canada, Chile.\n")
    corpus = corpus_of(tmp_path, {"statement.txt": text})
    sections = [(p.article, p.section) for p in corpus.passages]
    # before: the last entry (and the one that is no title line) stayed, and paragraph 1 stood under it
    assert sections[:3] == [("para. 1", ""), ("para. 2", "Widget safety"), ("para. 3", "Innovation")]
    assert sum(r.kind == RepairKind.REMOVED_CONTENTS for r in corpus.repairs) == 4  # the label and its 3 entries


def test_the_publisher_a_page_s_from_label_names_is_its_issuer_and_no_passage(tmp_path):
    page = ("<html><body><main><span>Policy paper</span><h1>Widget Statement of Intent, Widget Summit 2099</h1>"
            "<dl><dt>From:</dt><dd><a href='/dsit'>Department for Widgets, Innovation and Technology</a></dd>"
            "<dt>Published</dt><dd>21 May 2099</dd></dl>"
            "<p>Leaders have gathered on 21 May 2099 to affirm the importance of international coordination on widget "
            "safety science.</p><p>We intend to work together to develop a shared scientific understanding of widget "
            "risks.</p></main></body></html>")
    corpus = corpus_of(tmp_path, {"intent.html": page})
    [document] = corpus.documents
    assert document.issuer == "Department for Widgets, Innovation and Technology"
    # before: the publisher's name was the first passage of the statement
    assert [p.text.split()[0] for p in corpus.passages] == ["Leaders", "We"]


def test_a_bill_page_keeps_its_digest_under_its_heading_and_loses_the_digest_key(tmp_path):
    text = ("SB-99 Widget models: large developers.(2099-2100)\nSenate Bill No. 99\nCHAPTER 138\n"
            "An act to add Chapter 25.1 (commencing with Section 22757.10) to Division 8 of the Business and Professions "
            "Code, relating to widgets.\n[ Approved by Governor  September 29, 2099. Filed with Secretary of State  "
            "September 29, 2099. ]\nLEGISLATIVE COUNSEL'S DIGEST\nSB 99, Wiener. Widget models: large developers.\n"
            "This bill would require a large frontier developer to write, implement, comply with, and clearly and "
            "conspicuously publish on its internet website a frontier widget framework that applies to its frontier "
            "models.\nDigest Key\n"
            "Vote: majority   Appropriation: no   Fiscal Committee: yes   Local Program: no\nBill Text\n"
            "The people of the State of California do enact as follows:\n"
            "SECTION 1. This act shall be known, and may be cited, as the Transparency in Frontier Widget Act, and "
            "applies to every large frontier developer doing business in this state.\n"
            "SEC. 2. A large frontier developer shall write, implement, comply with, and clearly and conspicuously "
            "publish on its internet website a frontier widget framework.\n"
            "SEC. 3. A large frontier developer shall review and, as appropriate, update its frontier widget framework "
            "at least once per year and publish each update within 30 days.\n")
    corpus = corpus_of(tmp_path, {"sb99.txt": text})
    sections = {p.text.split(".")[0]: p.section for p in corpus.passages}
    # before: "LEGISLATIVE COUNSEL'S DIGEST" ran into the approval note above it and was lost with it
    assert sections["SB 99, Wiener"] == "LEGISLATIVE COUNSEL'S DIGEST"
    # before: the digest key ran into "Bill Text", which named the sections of the bill
    assert sections["SECTION 1"] == "Bill Text"
    assert not any("Appropriation" in p.text or p.text.startswith("SB-99") for p in corpus.passages)


def test_contents_entries_match_their_parts_with_or_without_the_part_s_number():
    long = "This part sets out what the framework covers and why, for every agency that uses widgets in its work."
    text = f"Contents\n\nwho this guidance is for\n\nwhat it covers\n\n1. who this guidance is for\n\n{long}\n\n2. what it covers\n\n{long}\n"
    kinds = [(b.kind, b.heading) for b in split_blocks(text)]
    # before: entries that are no title lines stayed text when their parts' headings carry a number they do not
    assert kinds[:3] == [(BlockKind.BOILERPLATE, "")] * 3
    assert kinds[3] == (BlockKind.HEADING, "1. who this guidance is for") and kinds[5] == (BlockKind.HEADING, "2. what it covers")


def numbered_bill_pages() -> str:
    """A bill as its PDF prints it: every line numbered from 1 on each page, a page foot "Ch. 138 — N —"."""
    body = ("SECTION 1. The Legislature finds and declares all of the following:\n(a) The state is leading the world in "
            "widget innovation and\nresearch, through companies large and small, as well as through\nour public and private "
            "universities.\nSEC. 2. Chapter 25.1 (commencing with Section 22757.10) is added\nto Division 8 of the Business "
            "and Professions Code, to read:\nCHAPTER 25.1. Transparency in Frontier Widget Act\n22757.10. This chapter shall "
            "be known as the Transparency in\nFrontier Widget Act.\n22757.11. (a) A large frontier developer shall write, "
            "implement,\ncomply with, and publish on its internet website a frontier\nwidget framework. (b) A large frontier "
            "developer shall review and,\nas appropriate, update its framework at least once per year.").split("\n")
    out = ["Senate Bill No. 99", "", "The people of the State of California do enact as follows:", ""]
    for i, line in enumerate(body):
        if i and i % 6 == 0:
            out += [f"Ch. 138 — {i // 6} —", "\f"]
        out.append(f"{i % 6 + 1} {line}")
    return "\n".join(out + [f"Ch. 138 — {len(body) // 6 + 1} —"]) + "\n"


def test_a_bill_printed_with_numbered_lines_reads_as_its_text(tmp_path):
    corpus = corpus_of(tmp_path, {"sb99.txt": numbered_bill_pages()})
    texts = {p.article: p.text for p in corpus.passages}
    # before: every line kept its number ("2 (a) The state … and 3 research"), so no section was found at all
    assert texts["Sec. 1"].startswith("SECTION 1. The Legislature finds and declares all of the following: (a) The state is")
    assert "innovation and research, through" in texts["Sec. 1"]
    assert texts["§ 22757.11"].endswith("as appropriate, update its framework at least once per year.")
    assert {p.section for p in corpus.passages if p.article.startswith("§")} == {"CHAPTER 25.1. Transparency in Frontier Widget Act"}
    assert not any("Ch. 138" in t for t in texts.values())


def test_ligatures_soft_hyphens_and_full_width_letters_are_plain_characters(tmp_path):
    from govsearch.retrieval.request import normalise_query
    from govsearch.text.analysis import en_tokens, zh_tokens

    corpus = corpus_of(tmp_path, {
        "order.txt": "Order on Arti\ufb01cial Widgets\n\nSec. 1. Purpose. The ef\ufb01cient development of arti\ufb01cial "
                     "widgets is a\u00a0priority.\u200b It re\u00adquires con\ufb02ict-free coordination.\n\n"
                     "Sec. 2. Policy. Agencies shall act.\n\nSec. 3. Scope. This order applies to agencies.\n",
        "办法.txt": "小部件管理办法\n\n第一条　为了规范生成式ＡＩ服务，制定本办法。\n\n第二条　本办法适用于ＡＩ服务。\n\n"
                   "第三条　本办法自２０９９年１月１日起施行。\n"})
    texts = {p.article: p.text for p in corpus.passages}
    # before: "artiﬁcial" was tokenised "arti" + "cial" and "ＡＩ" gave no token at all
    assert texts["Sec. 1"] == ("Sec. 1. Purpose. The efficient development of artificial widgets is a priority. "
                               "It requires conflict-free coordination.")
    assert "artificial" in en_tokens(texts["Sec. 1"]) and "ai" in zh_tokens(texts["第一条"])
    assert texts["第三条"] == "第三条 本办法自2099年1月1日起施行。"
    assert "Order on Artificial Widgets" in {d.title for d in corpus.documents}
    assert normalise_query("ＡＩ 治理 and arti\ufb01cial") == "AI 治理 and artificial"


def test_a_closing_list_of_signatories_is_one_passage_not_headings_that_head_nothing(tmp_path):
    text = ("Widget Statement\n\n1. We, the Ministers, gathered at the Widget Summit on 22 May 2099, affirm our common "
            "dedication to fostering international cooperation and dialogue on widgets.\n\n"
            "Annex: list of signatories\n\nAustralia\n\nCanada\n\nChile\n")
    corpus = corpus_of(tmp_path, {"statement.txt": text})
    # before: "Australia" was a heading over "Canada", itself a heading over the passage "Chile"
    assert [p.text for p in corpus.passages][-1] == "Annex: list of signatories Australia Canada Chile"


def test_a_closing_list_after_a_law_s_last_article_is_no_part_of_it(tmp_path):
    text = ("Widget Act\n\nArticle 1. This Act governs widgets.\n\nArticle 2. A developer shall assess each widget.\n\n"
            "Article 3. This Act takes effect on 1 January 2099.\n\nSignatories\n\nAlice Example\n\nBob Example\n\n"
            "Carol Example\n")
    corpus = corpus_of(tmp_path, {"act.txt": text})
    texts = [(p.article, p.text) for p in corpus.passages]
    assert texts[-2] == ("Art. 3", "Article 3. This Act takes effect on 1 January 2099.")
    assert texts[-1] == ("", "Signatories Alice Example Bob Example Carol Example")


def test_a_first_paragraph_that_lost_its_full_stop_is_no_title(tmp_path):
    text = ("Policy paper\n\nThis Regulation lays down harmonised rules for the placing of widgets on the market\n\n"
            "1. We recognise the importance of interoperability between widget governance frameworks in line with a "
            "risk-based approach.\n")
    corpus = corpus_of(tmp_path, {"paper.txt": text})
    assert corpus.passages[0].text == "This Regulation lays down harmonised rules for the placing of widgets on the market"


def test_a_chinese_site_s_foot_is_no_part_of_the_last_article(tmp_path):
    text = ("小部件算法推荐管理规定\n\n第一章　总　　则\n\n第一条　为了规范小部件算法推荐活动，制定本规定。\n\n"
            "第二条　在中华人民共和国境内应用小部件算法推荐技术提供服务，适用本规定。\n\n"
            "第三条　本规定自2099年3月1日起施行。\n\n版权所有：中国政府网 | 京ICP备05070218号\n\n主办单位：国务院办公厅\n")
    corpus = corpus_of(tmp_path, {"规定.txt": text})
    # before: the site's copyright and registration line ran on as text of the last article
    assert corpus.passages[-1].text == "第三条 本规定自2099年3月1日起施行。"


def test_a_blog_post_s_byline_and_sharing_furniture_are_not_the_law_s_text(tmp_path):
    text = ("Interim Measures for the Management of Widget Services\nPublished on July 13, 2099 by A Translator\n"
            "Chapter I: General Provisions\nArticle 1: These Measures are drafted to promote the healthy development of "
            "widgets.\nArticle 2: These Measures apply to widget services provided to the public.\nArticle 3: The State "
            "places equal emphasis on development and security.\nShare this:\nTwitter\nFacebook\nLike this:\n"
            "Like Loading...\nRelated\nPosted in Laws, Translations\nTagged widgets, generative\nLeave a Reply\n"
            "Cancel reply\nYour email address will not be published. Required fields are marked *\n")
    corpus = corpus_of(tmp_path, {"post.txt": text})
    [document] = corpus.documents
    # before: the byline ran into the title, and the sharing buttons and comment form into article 3
    assert document.title == "Interim Measures for the Management of Widget Services"
    assert [p.text for p in corpus.passages][-1] == "Article 3: The State places equal emphasis on development and security."
    assert not web_chrome("X") and not web_chrome("Categories of personal data include biometric data.")  # text
