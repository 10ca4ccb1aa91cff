"""Property tests for the cleaners: idempotent, never crash on any Unicode, never drop real content."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from govsearch.ingest import boilerplate, cleaning
from govsearch.ingest.cleaning import clean, normalise
from govsearch.ingest.junk import find_junk_tokens, remove_junk
from govsearch.ingest.segment import split_blocks
from govsearch.ingest.unscramble import is_scrambled, restore
from govsearch.text.characters import plain_characters

ANY_TEXT = st.text(max_size=400)
CHINESE = st.text(alphabet=st.sampled_from("人工智能治理技术管制手艺配合东谈主策动国发展安全，。的和在"), max_size=200)
SENTENCE = st.from_regex(r"[A-Z][a-z]{2,10}( [a-z]{2,10}){6,20}\.", fullmatch=True)


def clean_text(text: str) -> str:
    """clean() as a version is cleaned: junk tokens found in the text, Chinese restored when it is scrambled."""
    return clean(text, find_junk_tokens(text), is_scrambled(text)).text


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_cleaning_is_idempotent_and_never_crashes(text):
    once = clean_text(text)
    assert clean_text(once) == once


@settings(max_examples=200, deadline=None)
@given(CHINESE)
def test_chinese_cleaning_is_idempotent(text):
    once = clean_text(text)
    assert clean_text(once) == once


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_clean_text_keeps_every_letter_of_clean_input(text):
    """Without junk tokens or scrambling, cleaning only takes out Markdown's inline markup (emphasis, link
    addresses, footnote marks), folds whitespace and punctuation width and makes typographic forms plain
    (text/characters.py)."""
    if find_junk_tokens(text) or is_scrambled(text):
        return
    letters = lambda s: re.sub(r"[\s,:;?!，：；？！()（）]", "", s)  # noqa: E731
    assert letters(clean_text(text)) == letters(without_markdown(text))


def without_markdown(text: str) -> str:
    text = cleaning.MARKDOWN_LINK.sub(r"\1", cleaning.FOOTNOTE_MARK.sub("", plain_characters(text)))
    text = cleaning.MARKDOWN_STRONG.sub("", text)
    return cleaning.MARKDOWN_EMPHASIS.sub(r"\1", text)


def test_markdown_inline_markup_is_taken_out():
    assert clean_text("**Bold** and *Act 2004* see [the annex](https://example.org/a(1)) and snake_case") == \
        "Bold and Act 2004 see the annex and snake_case"
    # before: a footnote's mark stayed in the sentence ("sensitive data[^1] or …")
    assert clean_text("use sensitive data[^1] or their home governments[footnote 2], and [^note]") == \
        "use sensitive data or their home governments, and"


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_segmentation_never_crashes_and_blocks_point_into_the_text(text):
    for block in split_blocks(text):
        assert text[block.start:block.end] == block.raw
        assert block.raw.strip() == block.raw and block.raw


@settings(max_examples=100, deadline=None)
@given(st.lists(SENTENCE, min_size=1, max_size=5))
def test_sentences_are_never_taken_for_boilerplate(sentences):
    lines = list(sentences)
    assert boilerplate.classify(lines, [False] * len(lines)) == [None] * len(lines)


@settings(max_examples=100, deadline=None)
@given(st.lists(SENTENCE, min_size=1, max_size=6), st.sampled_from(["9x7qz", "42zzk", "77abcd"]))
def test_injected_junk_is_found_and_removed_without_touching_words(sentences, token):
    glued = [s[:-1] + token + "." if i % 2 == 0 else s for i, s in enumerate(sentences)]
    text = "\n\n".join(glued + [sentences[0] + token])
    assert token in find_junk_tokens(text)
    assert remove_junk(text, {token}) == "\n\n".join([s for s in sentences] + [sentences[0]])


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_normalise_is_idempotent(text):
    assert normalise(normalise(text)) == normalise(text)


def test_restoration_needs_detection():
    clean = "各国应完善管制措施，发扬手艺传统，加强配合。"
    assert not is_scrambled(clean) and clean_text(clean) == clean
    scrambled = "东谈主工智能管制攸关全东谈主类气运，咱们倡议在策动国框架下配合。"
    assert is_scrambled(scrambled)
    assert clean_text(scrambled) == restore(scrambled) == "人工智能治理攸关全人类命运，我们倡议在联合国框架下合作。"
