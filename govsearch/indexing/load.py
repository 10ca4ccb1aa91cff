"""A built index, loaded from disk and checked against its manifest before anything is served."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from govsearch.indexing import format as store
from govsearch.indexing import dense as vectors
from govsearch.indexing.lexical import LexicalIndex
from govsearch.records import Document, Passage, Version
from govsearch.indexing.format import IndexUnavailable


@dataclass
class LoadedIndex:
    build_dir: Path
    manifest: dict
    passages: list[Passage]
    documents: dict[str, Document]
    texts: dict[str, str]
    dense: dict[str, tuple[object, np.ndarray]]  # language → (FAISS index, passage positions)
    lexical: LexicalIndex
    offsets: dict[str, np.ndarray] = field(default_factory=dict)  # language → SHIFT offset (see shift.py)
    groups: dict[str, list[int]] = field(default_factory=dict)  # group → passage positions
    positions: dict[str, int] = field(default_factory=dict)  # passage id → position

    def __post_init__(self):
        for i, p in enumerate(self.passages):
            self.groups.setdefault(p.group, []).append(i)
            self.positions[p.id] = i

    def version_passages(self, version_id: str) -> list[Passage]:
        return [p for p in self.passages if p.version_id == version_id]


def load_index(index_dir: Path, corpus_dir: Path | None = None, model: str | None = None, verify: bool = True) -> LoadedIndex:
    """Load the live build of index_dir. With corpus_dir, refuse an index built from another corpus;
    with model (an encoder's name, as load_encoder(spec).name gives it), refuse one built with another
    encoder. Raises IndexUnavailable with one clear message."""
    index_dir = Path(index_dir)
    build = store.current_build(index_dir)
    manifest = store.read_manifest(build, verify=verify)
    rebuild = f"rebuild with `python build_index.py --corpus {corpus_dir or 'corpus'} --index {index_dir}`"
    if model and model != manifest.get("model"):
        raise IndexUnavailable(f"the index in {index_dir}/ was built with model {manifest.get('model')!r}, not {model!r}: {rebuild}" + (f" --model {model}" if model else ""))
    if corpus_dir is not None:
        from govsearch.ingest.corpus import corpus_fingerprint

        if Path(corpus_dir).is_dir() and corpus_fingerprint(Path(corpus_dir)) != manifest.get("corpus_fingerprint"):
            raise IndexUnavailable(f"the corpus in {corpus_dir}/ has changed since the index in {index_dir}/ was built: {rebuild}")
    try:
        passages = [_passage(json.loads(line)) for line in _read(build / "passages.jsonl").splitlines() if line.strip()]
        documents = {d["id"]: _document(d) for d in json.loads(_read(build / "documents.json"))}
        texts = json.loads(_read(build / "texts.json"))
        offsets = {k: np.asarray(v, dtype=np.float32) for k, v in json.loads(_read(build / "offsets.json")).items()}
    except (ValueError, KeyError, TypeError) as error:
        raise IndexUnavailable(f"metadata in {build} is damaged ({error}): {rebuild}") from None
    dense = {}
    for language in manifest.get("languages", []):
        dense[language] = (_faiss(build / f"vectors.{language}.faiss", rebuild), _ids(build / f"ids.{language}.npy", rebuild))
    try:
        lexical = LexicalIndex.load(build / "bm25")
    except Exception as error:  # bm25s raises many kinds of errors on damaged files
        raise IndexUnavailable(f"{build / 'bm25'} is damaged ({error.__class__.__name__}): {rebuild}") from None
    if len(passages) != manifest["counts"]["passages"]:
        raise IndexUnavailable(f"{build / 'passages.jsonl'} does not match the manifest: {rebuild}")
    return LoadedIndex(build, manifest, passages, documents, texts, dense, lexical, offsets)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise IndexUnavailable(f"{path} cannot be read ({error.__class__.__name__})") from None


def _faiss(path: Path, rebuild: str):
    try:
        return vectors.load_index(path)
    except Exception as error:  # faiss raises RuntimeError with C++ text
        raise IndexUnavailable(f"{path} is damaged ({str(error).splitlines()[0][:80]}): {rebuild}") from None


def _ids(path: Path, rebuild: str) -> np.ndarray:
    try:
        return np.load(path, allow_pickle=False)
    except (OSError, ValueError) as error:
        raise IndexUnavailable(f"{path} is damaged ({error.__class__.__name__}): {rebuild}") from None


def _passage(row: dict) -> Passage:
    return Passage(**{k: row[k] for k in Passage.__dataclass_fields__})


def _document(row: dict) -> Document:
    versions = [
        Version(v["id"], row["id"], v["source"], v["language"], v["role"], [], v.get("title", ""))
        for v in row["versions"]
    ]
    return Document(row["id"], row["title"], row["issuer"], row["date"], row.get("kind", ""),
                    row.get("title_zh", ""), versions, row.get("catalogued", True))
