"""FAISS over L2-normalised vectors with inner product (= cosine similarity).

Exact search up to EXACT_LIMIT vectors; up to HNSW_LIMIT, HNSW over 8-bit scalar-quantised vectors; beyond,
an inverted file over 8-bit vectors, whose memory stays near one byte per dimension per passage (HNSW's graph
would push a million 896-dimensional passages past 1 GB). bench/RESULTS.md has latency and recall@10
against exact search for each.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

EXACT_LIMIT = 20_000  # exact search of 896-dim vectors: ~4 ms at 10k, ~22 ms at 50k per query on 2 cores
HNSW_LIMIT = 300_000
INDEX_TYPES = ("auto", "flat", "hnsw", "hnsw-sq8", "ivf-sq8")
IVF_NPROBE = 32
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 96
# a filter that allows at most this many rows is searched by scoring each of them (see scan), not by the index
SCAN_BELOW = 512


def choose_index_type(count: int, requested: str = "auto") -> str:
    if requested not in INDEX_TYPES:
        raise ValueError(f"index type {requested!r} is not one of {', '.join(INDEX_TYPES)}")
    if requested != "auto":
        return requested
    if count <= EXACT_LIMIT:
        return "flat"
    return "hnsw-sq8" if count <= HNSW_LIMIT else "ivf-sq8"


def build_index(vectors: np.ndarray, index_type: str):
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dim = vectors.shape[1]
    if index_type == "flat":
        index = faiss.IndexFlatIP(dim)
    elif index_type == "hnsw":
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
    elif index_type == "hnsw-sq8":
        index = faiss.IndexHNSWSQ(dim, faiss.ScalarQuantizer.QT_8bit, HNSW_M, faiss.METRIC_INNER_PRODUCT)
    elif index_type == "ivf-sq8":
        lists = max(1, min(65536, int(4 * np.sqrt(len(vectors)))))
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFScalarQuantizer(quantizer, dim, lists, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)
        sample = vectors if len(vectors) <= lists * 64 else vectors[np.random.default_rng(0).choice(len(vectors), lists * 64, replace=False)]
        index.train(sample)
    else:
        raise ValueError(f"unknown index type {index_type!r}")
    if index_type.startswith("hnsw"):
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        if not index.is_trained:
            index.train(vectors)
    index.add(vectors)
    _tune(index)
    return index


def _tune(index) -> None:
    import faiss

    concrete = faiss.downcast_index(index)
    if hasattr(concrete, "hnsw"):
        concrete.hnsw.efSearch = HNSW_EF_SEARCH
    if hasattr(concrete, "nprobe"):
        concrete.nprobe = IVF_NPROBE


def save_index(index, path: Path) -> None:
    import faiss

    faiss.write_index(index, str(path))


def load_index(path: Path):
    import faiss

    index = faiss.read_index(str(path))
    _tune(index)
    return index


def search(index, queries: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(scores, ids) of shape (len(queries), k); ids are -1 where fewer than k exist. allowed (a boolean per
    stored vector) restricts the search inside FAISS, so a filter that leaves few passages still gets the best
    of those, not what survives of an unfiltered top k."""
    if allowed is not None:
        return search_rows(index, queries, k, np.flatnonzero(allowed))
    return index.search(np.ascontiguousarray(queries, dtype=np.float32), max(1, min(k, index.ntotal)))


def search_rows(index, queries: np.ndarray, k: int, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """search() among the given rows (ascending row numbers) only: few of them are scored in full (scan),
    more are searched inside FAISS with a selector."""
    import faiss

    k = max(1, min(k, index.ntotal))
    queries = np.ascontiguousarray(queries, dtype=np.float32)
    if len(rows) <= SCAN_BELOW and can_scan(index):
        return scan(index, queries, k, rows)
    allowed = np.zeros(index.ntotal, dtype=bool)
    allowed[rows] = True
    selector = faiss.IDSelectorBitmap(np.packbits(allowed, bitorder="little"))
    concrete = faiss.downcast_index(index)
    if hasattr(concrete, "hnsw"):
        params = faiss.SearchParametersHNSW(sel=selector, efSearch=HNSW_EF_SEARCH)
    elif hasattr(concrete, "nprobe"):
        params = faiss.SearchParametersIVF(sel=selector, nprobe=IVF_NPROBE)
    else:
        params = faiss.SearchParameters(sel=selector)
    return index.search(queries, k, params=params)


def can_scan(index) -> bool:
    """Whether scan() can read this index's stored vectors (an IVF index has no direct map to them)."""
    import faiss

    return not hasattr(faiss.downcast_index(index), "nprobe")


def scan(index, queries: np.ndarray, k: int, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """search_rows() by scoring every chosen row in full from their stored vectors (decoded, for SQ8):
    exact, and far cheaper than a graph search that has to walk past every row the filter rejects
    (compare ranks each document's ~100 passages: 0.45 ms per document by HNSW at 100k passages)."""
    vectors = index.reconstruct_batch(chosen)
    scores = queries @ vectors.T
    top = min(k, len(chosen))
    order = np.argsort(-scores, axis=1, kind="stable")[:, :top]
    found_scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
    found_ids = np.full((len(queries), k), -1, dtype=np.int64)
    found_scores[:, :top] = np.take_along_axis(scores, order, axis=1)
    found_ids[:, :top] = chosen[order]
    return found_scores, found_ids
