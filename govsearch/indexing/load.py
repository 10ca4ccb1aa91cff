"""A built index, loaded from disk and checked against its manifest before anything is served."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from govsearch.indexing import index_format, stores
from govsearch.indexing.index_format import IndexUnavailable
from govsearch.indexing.lexical import LexicalIndex
from govsearch.indexing.shapes import PassageShapes
from govsearch.indexing.stores.base import MILVUS, BuildIdentity, DenseSearcher, StoreConfig, StoreRecord
from govsearch.records import Document, Passage

# A process starting while builds are switched may find the build it resolved pruned under it (two rebuilds
# in a row keep only the newest two): it then reads the live one again, this many times in all.
LOAD_ATTEMPTS = 3


@dataclass
class LoadedIndex:
    build_dir: Path
    manifest: dict
    passages: list[Passage]
    documents: dict[str, Document]
    texts: dict[str, str]
    dense: DenseSearcher  # each language's passage vectors, in the store the index was built for
    lexical: LexicalIndex
    shapes: PassageShapes  # defining and dated passages, parts (see shapes.py)
    offsets: dict[str, np.ndarray] = field(default_factory=dict)  # language → SHIFT offset (see shift.py)
    groups: dict[str, list[int]] = field(default_factory=dict)  # group → passage positions
    positions: dict[str, int] = field(default_factory=dict)  # passage id → position

    def __post_init__(self):
        for i, p in enumerate(self.passages):
            self.groups.setdefault(p.group, []).append(i)
            self.positions[p.id] = i


def load_index(index_dir: Path, corpus_dir: Path | None = None, model: str | None = None, verify: bool = True,
               store: StoreConfig = StoreConfig()) -> LoadedIndex:
    """Load the live build of index_dir. With corpus_dir, refuse an index built from another corpus;
    with model (an encoder's name, as load_encoder(spec).name gives it), refuse one built with another
    encoder; refuse one whose vectors are in another kind of store than `store`. Raises IndexUnavailable
    with one clear message, or StoreUnavailable when the store cannot be reached."""
    index_dir = Path(index_dir)
    for _ in range(LOAD_ATTEMPTS - 1):
        build = index_format.current_build(index_dir)
        try:
            return _load_build(index_dir, build, corpus_dir, model, verify, store)
        except IndexUnavailable:
            # A rebuild switched builds and pruned this one while it was being read: read the new one.
            if index_format.current_build(index_dir) == build:
                raise
    return _load_build(index_dir, index_format.current_build(index_dir), corpus_dir, model, verify, store)


def _load_build(index_dir: Path, build: Path, corpus_dir: Path | None, model: str | None, verify: bool,
                store: StoreConfig) -> LoadedIndex:
    manifest = index_format.read_manifest(build, verify=verify)
    record = StoreRecord.from_manifest(manifest)
    if record.kind == store.kind == MILVUS and record.alias:  # rebuild under the alias the index was built with
        store = replace(store, alias=record.alias)
    rebuild = f"rebuild with `python build_index.py --corpus {corpus_dir or 'corpus'} --index {index_dir}{store.options()}`"
    if record.kind == MILVUS and store.kind != MILVUS:
        raise IndexUnavailable(f"the index in {index_dir}/ keeps its vectors in Milvus at {record.uri}: add --store milvus "
                               f"--milvus-uri {record.uri} to use it, or {rebuild}")
    if record.kind != store.kind:
        raise IndexUnavailable(f"the index in {index_dir}/ keeps its vectors in FAISS files, not in Milvus: {rebuild}")
    if model and model != manifest.get("model"):
        raise IndexUnavailable(f"the index in {index_dir}/ was built with model {manifest.get('model')!r}, not {model!r}: {rebuild}" + (f" --model {model}" if model else ""))
    if corpus_dir is not None:
        from govsearch.ingest.corpus import corpus_fingerprint

        if Path(corpus_dir).is_dir() and corpus_fingerprint(Path(corpus_dir)) != manifest.get("corpus_fingerprint"):
            raise IndexUnavailable(f"the corpus in {corpus_dir}/ has changed since the index in {index_dir}/ was built: {rebuild}")
    try:
        passages = [index_format.passage_from_json(row) for row in index_format.read_jsonl(build / index_format.PASSAGES)]
        documents = {d["id"]: index_format.document_from_json(d) for d in index_format.read_json(build / index_format.DOCUMENTS)}
        texts = index_format.read_json(build / index_format.TEXTS)
        offsets = {k: np.asarray(v, dtype=np.float32) for k, v in index_format.read_json(build / index_format.OFFSETS).items()}
        shapes = PassageShapes.from_json(index_format.read_json(build / index_format.SHAPES))
    except (ValueError, KeyError, TypeError) as error:
        raise IndexUnavailable(f"metadata in {build} is damaged ({error}): {rebuild}") from None
    try:
        lexical = LexicalIndex.load(build / index_format.BM25)
    except Exception as error:  # bm25s raises many kinds of errors on damaged files
        raise IndexUnavailable(f"{build / index_format.BM25} is damaged ({error.__class__.__name__}): {rebuild}") from None
    if len(passages) != manifest["counts"]["passages"]:
        raise IndexUnavailable(f"{build / index_format.PASSAGES} does not match the manifest: {rebuild}")
    searcher = stores.store_for(store).open(build, record, manifest.get("languages", []), BuildIdentity.of(manifest), rebuild)
    return LoadedIndex(build, manifest, passages, documents, texts, searcher, lexical, shapes, offsets)

