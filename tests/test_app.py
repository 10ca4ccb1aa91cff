"""The web app in-process: API endpoints through gradio_client, and a real browser (headless Chromium)."""
import shutil
from pathlib import Path

import pytest
from conftest import HashEncoder, passage_containing

from govsearch.retrieval.request import SearchRequest

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def client(served):
    from gradio_client import Client

    return Client(served, verbose=False)


@pytest.fixture(scope="module")
def real_client(real_served):
    from gradio_client import Client

    return Client(real_served, verbose=False)


@pytest.mark.slow
def test_search_endpoint(real_client):
    client = real_client
    result = client.predict("What do the declarations say about military AI?", api_name="/search")
    top = result["hits"][0]
    assert top["document_id"] == "gaigi" and top["ordinal"] == 7 and "military" in top["sentence"]
    assert {"rank", "score", "text", "citation", "versions"} <= set(top)


@pytest.mark.slow
def test_chinese_query_finds_english_only_content(real_client, real_engine):
    result = real_client.predict("公众参与人工智能决策", k=3, api_name="/search")
    wanted = passage_containing(real_engine, "shanghai-declaration-2024", "to include the public in decision-making").id
    assert wanted in [h["passage_id"] for h in result["hits"]]


def test_search_filters_through_the_api(client):
    result = client.predict("privacy", k=3, languages=["zh"], api_name="/search")
    assert result["hits"] and all(h["language"] == "zh" for h in result["hits"])


@pytest.mark.slow
def test_compare_endpoint(real_client):
    client = real_client
    result = client.predict("military use of AI", api_name="/compare")
    addressed = {d["document_id"]: d["addressed"] for d in result["documents"]}
    assert addressed["gaigi"] and sum(not a for a in addressed.values()) >= 2
    several = client.predict("military use of AI", more_topics=["data privacy"], api_name="/compare")
    assert len(several["matrix"]["topics"]) == 2


@pytest.mark.slow
def test_ask_endpoint(real_client):
    client = real_client
    result = client.predict("Who won the football World Cup?", api_name="/ask")
    assert result["found"] is False and result["citations"] == []
    result = client.predict("How should personal data be protected?", api_name="/ask")
    assert result["found"] and "[1]" in result["answer"]


@pytest.mark.parametrize("query, reason", [("", "empty"), ("x" * 2001, "2,000")])
def test_bad_queries_are_refused_with_a_reason(client, query, reason):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match=reason):
        client.predict(query, api_name="/search")


def test_markup_in_the_corpus_renders_as_text():
    from govsearch.interfaces.web.render import hit_card

    hit = {
        "rank": 1, "score": 0.9, "text": "<script>alert('x')</script> and [a link](http://evil.example) **bold**",
        "sentence": "<script>alert('x')</script>", "citation": "<b>Doc</b> (Issuer, 2024-01-01), §1, en",
        "role": "original", "section": "", "language": "en", "passage_id": "p", "source": "corpus/x.md",
        "start": 0, "end": 10, "ordinal": 1, "versions": [],
    }
    html = hit_card(hit, ("<img src=x onerror=alert(1)>", ""), "en")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and "<b>Doc</b>" not in html
    assert "[a link](http://evil.example)" in html and "<a " not in html


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (.ci/run installs it)")
def test_browser_ask_and_compare(real_served):
    served = real_served
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic",
        ])
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        page.goto(served)
        question = page.locator("#gs-question textarea, #gs-question input").first
        question.fill("What do the declarations say about military AI?")
        page.click("#gs-submit")
        page.wait_for_selector(".gs-hit", timeout=60_000)
        first = page.locator(".gs-hit").first
        assert "Global AI Governance Initiative" in first.locator(".gs-cite").inner_text()
        assert "§7" in first.locator(".gs-cite").inner_text()
        assert "military field" in first.locator("mark").inner_text()
        assert "[1]" in page.locator(".gs-answer").inner_text()
        page.screenshot(path=str(ARTIFACTS / "browser-ask.png"))

        # filters opened and used: the year fields must not block the search (they once did, showing 0 < 1900)
        page.get_by_text("Filters").click()
        page.get_by_label("zh", exact=True).check()
        page.click("#gs-submit")
        page.wait_for_function("() => [...document.querySelectorAll('.gs-hit .gs-cite')].length > 0 && "
                               "[...document.querySelectorAll('.gs-hit .gs-cite')].every(c => c.innerText.trim().endsWith(', zh'))",
                               timeout=60_000)
        assert "[1]" in page.locator(".gs-answer").inner_text()

        page.get_by_role("tab", name="Compare").click()
        page.locator("#gs-topics textarea").fill("military use of AI")
        page.click("#gs-compare")
        page.wait_for_selector("#gs-comparison table", timeout=60_000)
        not_addressed = page.locator("#gs-comparison tr[data-addressed='false']")
        assert not_addressed.count() >= 2
        assert "not addressed" in not_addressed.first.inner_text()
        page.screenshot(path=str(ARTIFACTS / "browser-compare.png"), full_page=True)

        page.get_by_text("中文", exact=True).click()
        page.get_by_role("tab", name="提问").wait_for(timeout=30_000)
        page.get_by_role("tab", name="提问").click()
        assert page.locator("#gs-submit").inner_text().strip() == "检索"
        page.get_by_role("tab", name="文件").click()
        page.get_by_role("columnheader", name="发布方").wait_for(timeout=30_000)
        catalog = page.locator(".gs-table", has=page.get_by_role("columnheader", name="发布方"))
        assert "官方译文" in catalog.inner_text()
        browser.close()


def test_corpus_file_with_markup_renders_inert_end_to_end(tmp_path):
    """A received file holding <script> and Markdown link syntax: indexed, found, and shown as text."""
    from govsearch.indexing.build import build
    from govsearch.indexing.load import load_index
    from govsearch.interfaces.web.render import hit_card
    from govsearch.interfaces.web.site import Site
    from govsearch.retrieval.engine import Engine

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "hostile.md").write_text(
        "# Hostile Declaration\n\nWe support oversight of AI <script>alert('owned')</script> and see "
        "[the annex](javascript:alert(1)) for **details** on <img src=x onerror=alert(2)> algorithms.\n",
        encoding="utf-8",
    )
    build(corpus, tmp_path / "index", progress=False, encoder=HashEncoder())
    site = Site(Engine(load_index(tmp_path / "index", corpus), HashEncoder()))
    hit = site.search(SearchRequest(query="oversight of AI algorithms"))["hits"][0]
    assert "<script>" in hit["text"]  # the text is kept as received ...
    html = hit_card(hit, site.neighbours(hit), "en")
    assert "<script" not in html and "<img" not in html and "<a " not in html  # ... and shown inert
    assert "&lt;script&gt;alert(&#x27;owned&#x27;)&lt;/script&gt;" in html
    # Markdown link syntax is markup: the link text is kept, the address (here a script) is not
    assert "see the annex for" in html and "javascript" not in html


def test_documents_view_marks_removals_and_repairs(engine):
    from govsearch.interfaces.web.site import Site

    site = Site(engine)
    clean, received = site.show_version("gaigi.orig.zh")
    assert "<b>§1</b>人工智能是人类发展新领域" in clean and "东谈主" not in clean
    assert '<del title="unscramble">东谈主</del><ins title="unscramble">人</ins>' in received
    assert '<del title="junk">99abcd</del>' in received
    _, web = site.show_version("shanghai-declaration-2024.orig.en")
    assert '<del title="removed web">Home&gt;&gt;</del>' in web
    assert '<del title="removed news lead">The following is the full text of the declaration:</del>' in web
