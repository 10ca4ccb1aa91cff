"""The default vector store: one FAISS index per language in the build folder (vectors.<lang>.faiss, with
ids.<lang>.npy giving each row's passage position), loaded whole into the process (dense.py builds them)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from govsearch.indexing import dense, index_format
from govsearch.indexing.index_format import IndexUnavailable
from govsearch.indexing.stores.base import FAISS, Allowed, BuildIdentity, LanguageVectors, PassageColumns, StoreRecord


class FaissStore:
    def write(self, build_dir: Path, languages: list[LanguageVectors], columns: PassageColumns, index_type: str,
              identity: BuildIdentity) -> StoreRecord:
        for part in languages:
            dense.save_index(dense.build_index(part.vectors, index_type), build_dir / index_format.vectors_file(part.language))
            np.save(build_dir / index_format.ids_file(part.language), part.positions, allow_pickle=False)
        return StoreRecord(FAISS)

    def publish(self, record: StoreRecord) -> None:
        """Nothing to retire: old build folders are pruned with their files (index_format.publish)."""

    def open(self, build_dir: Path, record: StoreRecord, languages: list[str], identity: BuildIdentity,
             rebuild: str) -> FaissSearcher:
        return FaissSearcher({language: (_faiss(build_dir / index_format.vectors_file(language), rebuild),
                                         _ids(build_dir / index_format.ids_file(language), rebuild))
                              for language in languages})


class FaissSearcher:
    def __init__(self, indexes: dict[str, tuple[object, np.ndarray]]):
        self.indexes = indexes  # language → (FAISS index, passage position of each row)
        self.languages = tuple(indexes)

    def search(self, language: str, query: np.ndarray, k: int, allowed: Allowed | None) -> list[tuple[int, float]]:
        index, positions = self.indexes[language]
        if allowed is None:
            scores, ids = dense.search(index, query[None, :], k)
        else:
            rows = _allowed_rows(positions, allowed)
            if not len(rows):
                return []
            scores, ids = dense.search_rows(index, query[None, :], k, rows)
        return [(int(positions[local]), float(score)) for score, local in zip(scores[0], ids[0]) if local >= 0]

    def vectors(self, positions: list[int]) -> np.ndarray | None:
        rows = []
        for position in positions:
            for index, held in self.indexes.values():
                row = int(np.searchsorted(held, position))
                if row < len(held) and held[row] == position:
                    if not dense.can_scan(index):
                        return None
                    rows.append(index.reconstruct(row))
                    break
            else:
                raise KeyError(f"passage {position} has no stored vector")
        return np.vstack(rows) if rows else None

    def describe(self) -> str:
        return "FAISS files in the build folder"


def _allowed_rows(positions: np.ndarray, allowed: Allowed) -> np.ndarray:
    """The rows of one language's index (whose passage positions, ascending, are `positions`) that allowed
    lets through. A few allowed passages (compare ranks one document at a time) are looked up by bisection;
    many are read off the mask."""
    if len(allowed.positions) * 8 > len(positions):
        return np.flatnonzero(allowed.mask[positions])
    rows = np.searchsorted(positions, allowed.positions)
    found = rows < len(positions)
    found[found] = positions[rows[found]] == allowed.positions[found]
    return rows[found]


def _faiss(path: Path, rebuild: str):
    try:
        return dense.load_index(path)
    except Exception as error:  # faiss raises RuntimeError with C++ text
        raise IndexUnavailable(f"{path} is damaged ({str(error).splitlines()[0][:80]}): {rebuild}") from None


def _ids(path: Path, rebuild: str) -> np.ndarray:
    try:
        return np.load(path, allow_pickle=False)
    except (OSError, ValueError) as error:
        raise IndexUnavailable(f"{path} is damaged ({error.__class__.__name__}): {rebuild}") from None
