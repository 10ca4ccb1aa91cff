"""Reading received files: decoding (BOMs, UTF-8, detected GB18030/Big5/UTF-16/cp1252), HTML main text,
PDF text, and the one exception every unreadable file raises."""
import codecs
import io
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from govsearch.ingest.decoding import UnreadableFile, decode_bytes
from govsearch.ingest.html_text import html_main_text
from govsearch.ingest.readers import SUPPORTED_SUFFIXES, ReadResult, read_file

ZH_SHORT = [
    "人工智能治理",
    "全球人工智能治理倡议",
    "人工智能发展应当以人为本。",
    "关于人工智能安全的布莱切利宣言",
    "第一条 总则",
    "欧盟《人工智能法》",
    "AI 治理",
    "人工智能（AI）",
    "各国应在人工智能治理中加强信息交流和技术合作，共同做好风险防范。",
]
ZH_LONG = (
    "全球人工智能治理倡议\n"
    "人工智能是人类发展新领域。当前，全球人工智能技术快速发展，对经济社会发展和人类文明进步产生深远影响，"
    "给世界带来巨大机遇。与此同时，人工智能技术也带来难以预知的各种风险和复杂挑战。人工智能治理攸关全人类命运，"
    "是世界各国面临的共同课题。\n"
    "在世界和平与发展面临多元挑战的背景下，各国应秉持共同、综合、合作、可持续的安全观，坚持发展和安全并重的原则，"
    "通过对话与合作凝聚共识，构建开放、公正、有效的治理机制，促进人工智能技术造福于人类，推动构建人类命运共同体。\n"
    "第二条 利用生成式人工智能技术向中华人民共和国境内公众提供生成文本、图片、音频、视频等内容的服务，适用本办法。\n"
)
TW_SHORT = [
    "人工智慧治理",
    "人工智慧發展應當以人為本。",
    "全球人工智慧治理倡議",
    "行政院國家科學及技術委員會",
    "各國應在人工智慧治理中加強資訊交流和技術合作，共同做好風險防範。",
]
TW_LONG = (
    "全球人工智慧治理倡議\n"
    "人工智慧是人類發展新領域。當前，全球人工智慧技術快速發展，對經濟社會發展和人類文明進步產生深遠影響，"
    "給世界帶來巨大機遇。與此同時，人工智慧技術也帶來難以預知的各種風險和複雜挑戰。\n"
    "行政院國家科學及技術委員會今日發布人工智慧基本法草案，明定政府應推動人工智慧研發與應用，"
    "兼顧隱私保護、資訊安全與人權保障，並建立風險分級框架。\n"
)
EN_CP1252 = [
    "café",
    "naïve",
    "€5",
    "Déjà vu",
    "The “Bletchley Declaration” – on AI safety — signed at Bletchley Park, 1–2 November 2023.",
    "Déclaration de Montréal pour un développement responsable de l’intelligence artificielle… à l’égard de la dignité.",
    "Die Künstliche Intelligenz muss dem Gemeinwohl dienen: Größe, Übermaß, Straße. Temperature 5 °C, price £10.",
]


# --- decoding ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [*ZH_SHORT, ZH_LONG])
def test_gb18030_decodes_to_the_original(text):
    decoded, encoding, warnings = decode_bytes(text.encode("gb18030"))
    assert (decoded, encoding) == (text, "gb18030")
    assert len(warnings) == 1 and warnings[0].startswith("decoded as gb18030 (detected")


def test_gbk_and_gb2312_files_decode_as_gb18030():
    for codec in ("gbk", "gb2312"):
        assert decode_bytes(ZH_LONG.encode(codec))[:2] == (ZH_LONG, "gb18030")


@pytest.mark.parametrize("text", [*TW_SHORT, TW_LONG])
def test_big5_decodes_to_the_original(text):
    decoded, encoding, warnings = decode_bytes(text.encode("big5"))
    assert (decoded, encoding) == (text, "big5")
    assert warnings[0].startswith("decoded as big5 (detected")


def test_short_chinese_snippets_are_not_taken_for_korean_japanese_or_utf16():
    """charset-normalizer alone gets most two- to eight-character GB18030 snippets wrong (cp949, EUC-JP,
    UTF-16); the plausibility tie-break must get nearly all of them right."""
    rng = random.Random(3)
    for source, codec in ((ZH_LONG, "gb18030"), (TW_LONG, "big5")):
        lines = [line for line in source.split("\n") if line]
        snippets = []
        while len(snippets) < 60:
            line = rng.choice(lines)
            length = rng.choice((3, 4, 5, 6, 8))
            start = rng.randrange(0, max(1, len(line) - length))
            snippets.append(line[start : start + length])
        wrong = [s for s in snippets if _decoded(s.encode(codec)) != s]
        assert len(wrong) <= 2, (codec, wrong)


def _decoded(data):
    try:
        return decode_bytes(data)[0]
    except UnreadableFile as error:
        return f"unreadable: {error}"


@pytest.mark.parametrize("text", EN_CP1252)
def test_cp1252_and_latin1_english_decode_to_the_original(text):
    decoded, encoding, _ = decode_bytes(text.encode("cp1252"))
    assert (decoded, encoding) == (text, "cp1252")


def test_latin1_bytes_decode_as_cp1252():
    text = "Déjà vu: the naïve café in Montréal."
    assert decode_bytes(text.encode("latin-1"))[:2] == (text, "cp1252")


@pytest.mark.parametrize(
    "bom_codec, expected_encoding",
    [("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("utf-16-le", "utf-16"), ("utf-16-be", "utf-16"), ("utf-32", "utf-32")],
)
@pytest.mark.parametrize("text", ["Bletchley Declaration\nArticle 1", ZH_LONG, "人工智能治理"])
def test_byte_order_marks_decide_the_encoding(bom_codec, expected_encoding, text):
    if bom_codec in ("utf-16-le", "utf-16-be"):
        data = codecs.BOM_UTF16_LE + text.encode("utf-16-le") if bom_codec.endswith("le") else codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    else:
        data = text.encode(bom_codec)
    decoded, encoding, warnings = decode_bytes(data)
    assert (decoded, encoding, warnings) == (text, expected_encoding, [])


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", ["The Bletchley Declaration\nArticle 1.\n", ZH_LONG, "第一条\n人工智能\n", "一一\n"])
def test_utf16_without_bom_is_told_by_its_zero_bytes(codec, text):
    decoded, encoding, warnings = decode_bytes(text.encode(codec))
    assert (decoded, encoding) == (text, codec)
    assert "no byte-order mark" in warnings[0]


def test_utf8_is_exact_and_silent():
    text = "Bletchley — 人工智能 — ½ — 😀\n\tindented  double  spaces \n"
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8", [])


def test_line_endings_are_normalised_and_nothing_else_changes(tmp_path):
    raw = "# Title\r\n\r\n  indented\tline  \r\nold mac\rline\n*md* `code`\n"
    (tmp_path / "a.md").write_bytes(raw.encode("utf-8"))
    result = read_file(tmp_path / "a.md")
    assert result == ReadResult("# Title\n\n  indented\tline  \nold mac\nline\n*md* `code`\n", "utf-8", "md", ())


def test_declared_html_charset_is_used_when_it_fits(tmp_path):
    page = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body><p>治理</p></body></html>'
    (tmp_path / "p.html").write_bytes(page.encode("gb2312"))
    result = read_file(tmp_path / "p.html")
    assert (result.text, result.encoding, result.fmt) == ("治理\n", "gb18030", "html")
    assert result.warnings == ("decoded as gb18030 (declared in the file)",)


def test_a_wrong_declared_charset_falls_back_to_detection(tmp_path):
    page = f'<html><head><meta charset="utf-8"></head><body><p>{ZH_SHORT[-1]}</p></body></html>'
    (tmp_path / "p.htm").write_bytes(page.encode("gb18030"))
    result = read_file(tmp_path / "p.htm")
    assert (result.text, result.encoding) == (ZH_SHORT[-1] + "\n", "gb18030")
    assert result.warnings[0].startswith("decoded as gb18030 (detected")
    assert result.warnings[0].endswith("; its declared charset utf-8 does not fit")


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file"),
        (b"  \r\n\t\n ", "empty file"),
        ("\u3000\n".encode("utf-8"), "empty file"),
        (codecs.BOM_UTF8 + b"\n\n", "empty file"),
        (b"text\x00with a NUL", "binary file (contains NUL bytes)"),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08 abc", "binary file"),
        (codecs.BOM_UTF16_LE + b"a\x00b", "not decodable as text"),
    ],
)
def test_unreadable_bytes(data, reason):
    with pytest.raises(UnreadableFile) as caught:
        decode_bytes(data)
    assert str(caught.value).startswith(reason)


def test_random_binary_is_unreadable(tmp_path):
    rng = random.Random(0)
    with_nuls = bytes(rng.randrange(256) for _ in range(4000)) + b"\x00\x00"
    (tmp_path / "blob.txt").write_bytes(with_nuls)
    with pytest.raises(UnreadableFile, match=r"^binary file \(contains NUL bytes\)$"):
        read_file(tmp_path / "blob.txt")
    without_nuls = bytes(rng.randrange(1, 256) for _ in range(4000))
    with pytest.raises(UnreadableFile, match=r"^(binary file|not decodable as text)"):
        decode_bytes(without_nuls)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_any_bytes_give_text_or_unreadable(data):
    try:
        text, encoding, warnings = decode_bytes(data)
    except UnreadableFile as error:
        assert str(error) and "\n" not in str(error)
        return
    assert isinstance(text, str) and text.strip() and "\r" not in text
    assert isinstance(encoding, str) and all(isinstance(w, str) for w in warnings)
    assert data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n") == text


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")) | st.sampled_from("\n\t\r"), min_size=1, max_size=200)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_any_text_round_trips_through_utf8(text):
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    if not expected.strip() or (text.startswith("\ufeff") and not text[1:].strip()):
        with pytest.raises(UnreadableFile, match="^empty file$"):
            decode_bytes(text.encode("utf-8"))
        return
    decoded, encoding, warnings = decode_bytes(text.encode("utf-8"))
    if text.startswith("\ufeff"):  # the bytes start with a UTF-8 byte-order mark
        assert (decoded, encoding) == (expected[1:], "utf-8-sig")
    else:
        assert (decoded, encoding, warnings) == (expected, "utf-8", [])


# --- read_file -----------------------------------------------------------------------------------------


def test_read_file_formats_and_encodings(tmp_path):
    (tmp_path / "gb.txt").write_bytes(ZH_LONG.encode("gb18030"))
    (tmp_path / "tw.TXT").write_bytes(TW_LONG.encode("big5"))
    (tmp_path / "en.md").write_bytes("# The “AI” Act\r\n".encode("cp1252"))
    gb = read_file(tmp_path / "gb.txt")
    assert (gb.text, gb.encoding, gb.fmt) == (ZH_LONG, "gb18030", "txt")
    tw = read_file(tmp_path / "tw.TXT")
    assert (tw.text, tw.encoding, tw.fmt) == (TW_LONG, "big5", "txt")
    en = read_file(tmp_path / "en.md")
    assert (en.text, en.encoding, en.fmt) == ("# The “AI” Act\n", "cp1252", "md")
    assert SUPPORTED_SUFFIXES == (".txt", ".md", ".html", ".htm", ".pdf", ".docx")


def test_oversized_unsupported_and_missing_files(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("x" * 5000)
    with pytest.raises(UnreadableFile, match=r"^file is 5 kB, over the 1 kB limit$"):
        read_file(big, max_bytes=1000)
    assert read_file(big, max_bytes=5000).text == "x" * 5000
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:  # sparse: 52.4 MB on paper, nothing on disk
        handle.truncate(52_400_000)
    with pytest.raises(UnreadableFile, match=r"^file is 52.4 MB, over the 20 MB limit$"):
        read_file(huge)
    (tmp_path / "sheet.xlsx").write_bytes(b"PK\x03\x04")
    with pytest.raises(UnreadableFile, match=r"^unsupported file type \.xlsx$"):
        read_file(tmp_path / "sheet.xlsx")
    with pytest.raises(UnreadableFile, match="^cannot read the file"):
        read_file(tmp_path / "missing.txt")
    (tmp_path / "empty.md").write_bytes(b"")
    with pytest.raises(UnreadableFile, match="^empty file$"):
        read_file(tmp_path / "empty.md")


# --- HTML ----------------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>GovSite | Bletchley</title>
<style>p { color: red }</style><script>var s = "<p>script text</p>";</script></head>
<body>
<header class="site-header"><div class="logo">GovSite</div></header>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<div class="breadcrumbs">Home &gt; Declarations</div>
<div id="main-menu">Menu entry</div>
<main>
  <article>
    <header><h1>The Bletchley   Declaration</h1></header>
    <p>Artificial Intelligence (AI) presents enormous global
       opportunities &amp; risks.</p>
    <h2>Context &amp; scope</h2>
    <p>First line<br>second line</p>
    <ul><li>Item one</li><li>Item <b>two</b></li></ul>
    <div class="share-links">Share on social media</div>
    <p>人工智能是人类
       发展新领域。&nbsp;Caf&eacute; &#x4e2d;&#25991;</p>
    <aside>Related declarations</aside>
    <div class="related-articles">You may also like</div>
    <form><input name="q"><button>Search</button></form>
    <noscript>Please enable JavaScript</noscript>
  </article>
</main>
<footer>© 2023 GovSite · Privacy · Cookies</footer>
<script>track();</script>
</body></html>"""

PAGE_TEXT = (
    "# The Bletchley Declaration\n\n"
    "Artificial Intelligence (AI) presents enormous global opportunities & risks.\n\n"
    "## Context & scope\n\n"
    "First line\nsecond line\n\n"
    "Item one\n\n"
    "Item two\n\n"
    "人工智能是人类发展新领域。 Café 中文\n"
)


def test_html_keeps_the_main_text_only(tmp_path):
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    result = read_file(tmp_path / "page.html")
    assert (result.text, result.encoding, result.fmt, result.warnings) == (PAGE_TEXT, "utf-8", "html", ())


def test_html_without_main_uses_the_body_minus_chrome():
    page = """<body><div class="navbar">Home | About</div><h3>Section</h3><div>Para one</div><div>Para
    <span>two</span></div><table><tr><td>Cell A</td><td>Cell B</td></tr></table><div class="footer">Site footer</div>
    <div class="content with-sidebar"><h1>Title kept</h1><p>Body kept</p></div></body>"""
    assert html_main_text(page) == "### Section\n\nPara one\n\nPara two\n\nCell A Cell B\n\n# Title kept\n\nBody kept\n"


def test_site_header_goes_but_the_main_header_with_the_title_stays():
    page = """<body><header><h1>GovSite</h1></header><div class="page-header"><h2>Page title</h2></div>
    <div class="site-header">Logo</div><main><header><h1>Declaration</h1><p>intro</p></header><p>Body</p></main></body>"""
    assert html_main_text(page) == "# Declaration\n\nintro\n\nBody\n"


def test_html_heading_inside_blocks_and_nested_blocks_stay_one_line():
    assert html_main_text("<h2>A <div>nested</div><br>heading</h2><p>x</p>") == "## A nested heading\n\nx\n"


def test_deeply_nested_html_does_not_crash_and_keeps_its_text():
    deep = "<html><body>" + "<div>" * 5000 + "<p>deep text</p>" + "</div>" * 5000 + "<p>after</p></body></html>"
    assert html_main_text(deep) == "deep text\n\nafter\n"
    unclosed = "<p>start " + "<font>" * 5000 + "inner</p><h2>Later heading</h2>"
    assert html_main_text(unclosed) == "start inner\n\n## Later heading\n"


@pytest.mark.parametrize(
    "page, expected",
    [
        ("<p>unclosed <b>bold <i>italic", "unclosed bold italic\n"),
        ("<<<>>>", "<<<>>>\n"),
        ("<?xml version='1.0' encoding='utf-8'?><html><body><p>xhtml</p></body></html>", "xhtml\n"),
        ("<html><body><script>only()</script></body></html>", ""),
        ("<!-- a comment -->", ""),
        ("<pre>line 1\nline 2\n\nsecond para</pre>", "line 1\nline 2\n\nsecond para\n"),
    ],
)
def test_malformed_html(page, expected):
    assert html_main_text(page) == expected


def test_html_without_text_is_unreadable(tmp_path):
    (tmp_path / "empty.htm").write_text("<html><body><nav>Home</nav><script>x()</script></body></html>")
    with pytest.raises(UnreadableFile, match="^HTML page has no main text$"):
        read_file(tmp_path / "empty.htm")


@settings(max_examples=100, deadline=None)
@given(st.text(st.sampled_from("<>/ab=\"'&;#x!-? \nph1divbr"), max_size=200))
def test_any_markup_gives_text_or_unreadable(page):
    try:
        assert isinstance(html_main_text(page), str)
    except UnreadableFile:
        pass


# --- PDF -----------------------------------------------------------------------------------------------


def make_pdf(pages: list[str]) -> bytes:
    """A valid PDF with one Helvetica text line per page (an empty string makes a page without text)."""
    writer = PdfWriter()
    for line in pages:
        page = writer.add_blank_page(612, 792)
        if not line:
            continue
        font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"), NameObject("/BaseFont"): NameObject("/Helvetica")})
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 72 720 Td ({line}) Tj ET".encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def encrypted(pdf: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password, owner_password="owner-secret", algorithm="RC4-128")  # AES needs the cryptography package
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_pdf_text_page_by_page(tmp_path):
    (tmp_path / "decl.pdf").write_bytes(make_pdf(["The Bletchley Declaration", "", "Article 2 on safety"]))
    result = read_file(tmp_path / "decl.pdf")
    assert (result.text, result.encoding, result.fmt) == ("The Bletchley Declaration\n\nArticle 2 on safety\n", "pdf", "pdf")
    assert result.warnings == ("no extractable text on page 2 of 3 (scanned?)",)


def test_pdf_encrypted_with_a_password_is_unreadable_but_owner_only_encryption_is_read(tmp_path):
    pdf = make_pdf(["Confidential declaration"])
    (tmp_path / "locked.pdf").write_bytes(encrypted(pdf, "user-secret"))
    with pytest.raises(UnreadableFile, match=r"^encrypted PDF$"):
        read_file(tmp_path / "locked.pdf")
    (tmp_path / "permissions.pdf").write_bytes(encrypted(pdf, ""))
    assert read_file(tmp_path / "permissions.pdf").text == "Confidential declaration\n"


def test_pdf_needing_a_missing_crypto_package_says_so(tmp_path, monkeypatch):
    from pypdf.errors import DependencyError

    def needs_cryptography(self, password):
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    (tmp_path / "aes.pdf").write_bytes(encrypted(make_pdf(["AES"]), ""))
    monkeypatch.setattr(PdfReader, "decrypt", needs_cryptography)
    with pytest.raises(UnreadableFile, match=r"^encrypted PDF \(AES; .*cryptography package\)$"):
        read_file(tmp_path / "aes.pdf")


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.9, 0.99])
def test_truncated_pdf_is_broken(tmp_path, cut):
    pdf = make_pdf(["Some text"])
    (tmp_path / "cut.pdf").write_bytes(pdf[: int(len(pdf) * cut)])
    with pytest.raises(UnreadableFile, match=r"^broken PDF: "):
        read_file(tmp_path / "cut.pdf")


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"<html>not a pdf</html>", "broken PDF: no %PDF header (not a PDF file)"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 4, "broken PDF: "),
        (b"%PDF-1.4\n%%EOF\n", "broken PDF: "),
    ],
)
def test_garbage_pdf_is_broken(tmp_path, data, reason):
    (tmp_path / "x.pdf").write_bytes(data)
    with pytest.raises(UnreadableFile) as caught:
        read_file(tmp_path / "x.pdf")
    assert str(caught.value).startswith(reason) and "\n" not in str(caught.value)


def test_pdf_without_text_is_unreadable(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(make_pdf(["", ""]))
    with pytest.raises(UnreadableFile, match=r"^PDF has no extractable text \(scanned\?\)$"):
        read_file(tmp_path / "scan.pdf")


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DOCX_STYLES = (f'<w:styles {W_NS}><w:style w:styleId="Title"><w:name w:val="Title"/></w:style>'
               f'<w:style w:styleId="Heading1"><w:name w:val="heading 1"/></w:style></w:styles>')


def make_docx(path, body: str, styles: str = DOCX_STYLES, main: str | None = None):
    import zipfile

    xml = main if main is not None else f'<?xml version="1.0" encoding="UTF-8"?><w:document {W_NS}><w:body>{body}</w:body></w:document>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", xml)
        package.writestr("word/styles.xml", styles)
    return path


def para(text: str, style: str = "") -> str:
    style_xml = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    runs = "".join(f"<w:r><w:t xml:space=\"preserve\">{piece}</w:t></w:r>" for piece in text.split("|"))
    return f"<w:p>{style_xml}{runs}</w:p>"


def test_a_word_document_gives_its_paragraphs_headings_and_tables(tmp_path):
    body = (para("Example Widget Act", "Title") + para("Chapter I General Provisions", "Heading1")
            + para("Article 1 This Act governs |the use of widgets.") + para("Article 2 Developers shall test widgets.")
            + "<w:tbl><w:tr><w:tc>" + para("Risk") + "</w:tc><w:tc>" + para("High") + "</w:tc></w:tr></w:tbl>"
            + "<w:sdt><w:sdtContent>" + para("Article 3 This Act takes effect on 1 May 2099.") + "</w:sdtContent></w:sdt>")
    result = read_file(make_docx(tmp_path / "act.docx", body))
    assert result.fmt == "docx"
    assert result.text == ("## Example Widget Act\n\n## Chapter I General Provisions\n\nArticle 1 This Act governs the use of "
                           "widgets.\n\nArticle 2 Developers shall test widgets.\n\n| Risk | High |\n\n"
                           "Article 3 This Act takes effect on 1 May 2099.\n")


def test_a_broken_or_hostile_word_document_is_unreadable_with_the_reason(tmp_path):
    doctype = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
               f'<w:document {W_NS}><w:body>{para("&lol;")}</w:body></w:document>')
    with pytest.raises(UnreadableFile, match="DOCTYPE"):
        read_file(make_docx(tmp_path / "hostile.docx", "", main=doctype))
    hostile_styles = f'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "a">]><w:styles {W_NS}/>'
    with pytest.raises(UnreadableFile, match="styles.xml declares a DOCTYPE"):
        read_file(make_docx(tmp_path / "hostile_styles.docx", para("Text."), styles=hostile_styles))
    (tmp_path / "notzip.docx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(UnreadableFile, match="broken Word document"):
        read_file(tmp_path / "notzip.docx")
    import zipfile
    with zipfile.ZipFile(tmp_path / "other.docx", "w") as package:
        package.writestr("content.xml", "<x/>")
    with pytest.raises(UnreadableFile, match="no word/document.xml"):
        read_file(tmp_path / "other.docx")
    with pytest.raises(UnreadableFile, match="broken Word document"):
        read_file(make_docx(tmp_path / "bad.docx", "", main="<w:document"))
