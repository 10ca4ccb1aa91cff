"""The Milvus vector store: a build's vectors in a Milvus collection, searched with the filters pushed down.

A build writes a new collection <alias>_<UTC time>_<6 hex>: one row per passage (position, the primary key;
vector; language, document, issuer, role and year as scalar fields for the filters), one partition per
language, and the build's identity (model, dimension, corpus fingerprint, passage count) as collection
properties. Once every row is in, indexed, loaded and counted, the build goes live (CURRENT names its folder,
whose manifest names the collection); then the alias is switched to it and the collection it named before
is dropped. The alias only ever names a complete collection: it is the Milvus counterpart of CURRENT.

A process searches the collection its manifest names, which holds exactly the passages it loaded. When a
later build has dropped that collection, it follows the alias, and carries on if the collection there was
built from the same corpus and model (same positions); otherwise it says to restart.

Each language is searched in its own partition (one search per language, as the FAISS store keeps one index
per language): in Milvus Lite a partition search touches only that language's rows.
"""
from __future__ import annotations

import re
import secrets
import threading
import time
from pathlib import Path

import numpy as np

from govsearch.indexing import dense
from govsearch.indexing.index_format import IndexUnavailable
from govsearch.indexing.stores import milvus_connection as connection
from govsearch.indexing.stores.base import (MILVUS, Allowed, BuildIdentity, LanguageVectors, PassageColumns,
                                            StoreConfig, StoreRecord, StoreUnavailable)
from govsearch.indexing.stores.milvus_expression import filter_expression, positions_expression

PROPERTY = "govsearch."  # prefix of the collection properties holding the build's identity
TEXT_FIELDS = ("language", "document", "issuer", "role")
INSERT_ROWS = 2000  # rows per insert call: 2,000 × 896 float32 = 7 MB, well under gRPC's 64 MB
SEARCH_TIMEOUT = 10.0  # seconds; a search that takes longer fails (and is not retried)
# Milvus Lite trains an IVF index per segment (~35,000 rows of 896 dimensions), not per collection
IVF_TRAINING_ROWS = 35_000


def index_spec(index_type: str, rows: int) -> tuple[str, dict]:
    """The Milvus index and build parameters for govsearch's index type (the same structures as dense.py's)."""
    if index_type == "flat":
        return "FLAT", {}
    if index_type == "hnsw":
        return "HNSW", {"M": dense.HNSW_M, "efConstruction": dense.HNSW_EF_CONSTRUCTION}
    if index_type == "hnsw-sq8":
        return "HNSW_SQ", {"M": dense.HNSW_M, "efConstruction": dense.HNSW_EF_CONSTRUCTION, "sq_type": "SQ8"}
    if index_type == "ivf-sq8":
        return "IVF_SQ8", {"nlist": max(1, int(4 * np.sqrt(min(rows, IVF_TRAINING_ROWS))))}
    raise ValueError(f"unknown index type {index_type!r}")


def search_params(k: int) -> dict:
    """ef for HNSW indexes, nprobe for IVF ones; each ignores the other's."""
    return {"metric_type": "IP", "params": {"ef": max(dense.HNSW_EF_SEARCH, k), "nprobe": dense.IVF_NPROBE}}


def partition(language: str) -> str:
    """A partition name for any language code (names allow letters, digits and underscores only)."""
    return "lang_" + language.encode().hex()


def identity_properties(identity: BuildIdentity) -> dict[str, str]:
    return {PROPERTY + name: str(value) for name, value in identity.__dict__.items()}


class MilvusStore:
    def __init__(self, config: StoreConfig):
        """Connects at once: a build learns that Milvus is unreachable before it spends minutes embedding."""
        self.config = config
        self.uri = connection.public_uri(config.uri)
        self.client = connection.connect(config.uri)

    # -- build ----------------------------------------------------------------------------------------------

    def write(self, build_dir: Path, languages: list[LanguageVectors], columns: PassageColumns, index_type: str,
              identity: BuildIdentity) -> StoreRecord:
        client = self.client
        with _failures(self.uri, "building"):
            self._drop_unfinished(client)
            name = f"{self.config.alias}_{time.strftime('%Y%m%d%H%M%S', time.gmtime())}_{secrets.token_hex(3)}"
            client.create_collection(name, schema=_schema(columns, identity.dimension), timeout=connection.CALL_TIMEOUT,
                                     properties=identity_properties(identity))
            try:
                self._fill(client, name, languages, columns, index_type, identity.passages)
            except BaseException:
                _drop_quietly(client, name)
                raise
        return StoreRecord(MILVUS, self.uri, name, self.config.alias)

    def _fill(self, client, name: str, languages: list[LanguageVectors], columns: PassageColumns, index_type: str,
              rows: int) -> None:
        for part in languages:
            client.create_partition(name, partition(part.language), timeout=connection.CALL_TIMEOUT)
            for start in range(0, len(part.positions), INSERT_ROWS):
                batch = [_row(int(position), vector, columns)
                         for position, vector in zip(part.positions[start:start + INSERT_ROWS], part.vectors[start:start + INSERT_ROWS])]
                client.insert(name, batch, partition_name=partition(part.language), timeout=connection.LOAD_TIMEOUT)
        client.flush(name, timeout=connection.LOAD_TIMEOUT)
        kind, build_params = index_spec(index_type, rows)
        params = client.prepare_index_params()
        params.add_index("vector", index_type=kind, metric_type="IP", params=build_params)
        client.create_index(name, params, timeout=connection.LOAD_TIMEOUT)
        client.load_collection(name, timeout=connection.LOAD_TIMEOUT)
        counted = client.query(name, filter="", output_fields=["count(*)"], timeout=connection.LOAD_TIMEOUT)[0]["count(*)"]
        if int(counted) != rows:
            raise StoreUnavailable(f"the Milvus collection {name} holds {counted} rows after loading, not {rows}")

    def _drop_unfinished(self, client) -> None:
        """Collections of this alias that it does not name were left by builds that died (the build lock of
        the index folder is held: no other build of it is running)."""
        live = _alias_target(client, self.config.alias)
        pattern = re.compile(re.escape(self.config.alias) + r"_\d{14}_[0-9a-f]{6}")
        for name in client.list_collections(timeout=connection.CALL_TIMEOUT):
            if pattern.fullmatch(name) and name != live:
                client.drop_collection(name, timeout=connection.CALL_TIMEOUT)

    def publish(self, record: StoreRecord) -> None:
        """Point the alias at the new collection (one metadata write: a reader resolves the old or the new
        one, never neither), then drop the one it named before, by its own name: dropping an alias drops
        the live collection in Milvus Lite."""
        client = self.client
        with _failures(self.uri, "switching the alias"):
            before = _alias_target(client, record.alias)
            if before is None:
                if record.alias in client.list_collections(timeout=connection.CALL_TIMEOUT):
                    raise StoreUnavailable(f"{record.alias!r} is a collection in Milvus at {self.uri}, not an alias: "
                                           "choose another name with --milvus-alias")
                client.create_alias(record.collection, record.alias, timeout=connection.CALL_TIMEOUT)
            else:
                client.alter_alias(record.collection, record.alias, timeout=connection.CALL_TIMEOUT)
            if before and before != record.collection:
                # no release first: a search in between would find it released and load it again
                client.drop_collection(before, timeout=connection.CALL_TIMEOUT)

    # -- serve ----------------------------------------------------------------------------------------------

    def open(self, build_dir: Path, record: StoreRecord, languages: list[str], identity: BuildIdentity,
             rebuild: str) -> MilvusSearcher:
        client = self.client
        with _failures(self.uri, "opening the index"):
            name = record.collection if client.has_collection(record.collection, timeout=connection.CALL_TIMEOUT) \
                else _alias_target(client, record.alias)
            if name is None:
                raise IndexUnavailable(f"Milvus at {self.uri} has no collection {record.collection!r} and no alias "
                                       f"{record.alias!r}: {rebuild}")
            problem = _mismatch(client, name, identity)
            if problem:
                raise IndexUnavailable(f"the Milvus collection {name} {problem} than the index in {build_dir.parent.parent}/: {rebuild}")
            _load(client, name)
        return MilvusSearcher(client, self.uri, name, record.alias, tuple(languages), identity)


class MilvusSearcher:
    def __init__(self, client, uri: str, collection: str, alias: str, languages: tuple[str, ...], identity: BuildIdentity):
        self.client = client
        self.uri = uri
        self.collection = collection
        self.alias = alias
        self.languages = languages
        self.identity = identity
        self._moving = threading.Lock()

    def search(self, language: str, query: np.ndarray, k: int, allowed: Allowed | None) -> list[tuple[int, float]]:
        if allowed is not None and not allowed.mask.any():
            return []
        if allowed is not None and allowed.filters is not None and allowed.filters.languages \
                and language not in allowed.filters.languages:
            return []
        expression = _expression(allowed)
        vector = np.asarray(query, dtype=np.float32).tolist()
        hits = self._call(lambda collection: self.client.search(
            collection, data=[vector], limit=k, filter=expression, partition_names=[partition(language)],
            search_params=search_params(k), output_fields=["position"], timeout=SEARCH_TIMEOUT))
        return [(int(hit["position"]), float(hit["distance"])) for hit in hits[0]]

    def vectors(self, positions: list[int]) -> np.ndarray | None:
        if not positions:
            return None
        rows = self._call(lambda collection: self.client.get(
            collection, ids=[int(p) for p in positions], output_fields=["vector"], timeout=SEARCH_TIMEOUT))
        by_position = {int(row["position"]): row["vector"] for row in rows}
        return np.asarray([by_position[int(p)] for p in positions], dtype=np.float32)

    def describe(self) -> str:
        """Not the address: the About page is public."""
        return f"Milvus, collection {self.collection} (alias {self.alias})"

    def _call(self, operation):
        """operation(collection), and a second try when the first failed for a reason that may pass."""
        for attempt in (1, 2):
            collection = self.collection
            try:
                return operation(collection)
            except Exception as error:
                if not connection.is_milvus_failure(error):
                    raise
                if attempt == 2 or not self._recover(collection, error):
                    raise StoreUnavailable(self._failure(error)) from None
        raise AssertionError("unreachable")

    def _recover(self, collection: str, error: Exception) -> bool:
        """Whether a second try may succeed, after doing what it needs: a lost connection (pymilvus reconnects
        on the next call), a collection not loaded (Milvus Lite opens every collection released in a new
        process), our collection gone (dropped by a rebuild: follow the alias)."""
        if getattr(error, "code", None) == connection.CONNECTION_FAILED or connection.grpc_status(error) == "UNAVAILABLE":
            return True
        if self._gone(collection):
            self._follow_alias(collection)
            return True
        if getattr(error, "code", None) == connection.NOT_LOADED:
            with _failures(self.uri, "loading the collection"):
                _load(self.client, collection)
            return True
        return False

    def _failure(self, error) -> str:
        status = connection.grpc_status(error)
        code = getattr(error, "code", None)
        if status == "DEADLINE_EXCEEDED":
            return f"Milvus at {self.uri} did not answer a search within {SEARCH_TIMEOUT:g} s"
        if status == "UNAVAILABLE" or code == connection.CONNECTION_FAILED:
            return f"lost the connection to Milvus at {self.uri} while searching, and could not get it back"
        message = getattr(error, "message", "") or error.__class__.__name__
        return f"a search of the Milvus collection {self.collection} at {self.uri} failed ({message})"

    def _gone(self, collection: str) -> bool:
        try:
            return not self.client.has_collection(collection, timeout=connection.CALL_TIMEOUT)
        except Exception:  # the server is gone too: report the search's own failure
            return False

    def _follow_alias(self, gone: str) -> None:
        with self._moving, _failures(self.uri, "following the alias"):
            if self.collection != gone:  # another thread followed it already
                return
            target = _alias_target(self.client, self.alias)
            problem = _mismatch(self.client, target, self.identity) if target else f"{self.alias!r} names no collection"
            if problem:
                raise StoreUnavailable(f"the Milvus collection {gone} this process served was replaced by a new build, "
                                       f"and {target or 'the alias'} {problem}: restart to serve the new build")
            _load(self.client, target)
            self.collection = target


def _expression(allowed: Allowed | None) -> str:
    if allowed is None:
        return ""
    return filter_expression(allowed.filters) if allowed.filters is not None else positions_expression(allowed.mask)


def _schema(columns: PassageColumns, dimension: int):
    module = connection.load_pymilvus()
    schema = module.MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("position", module.DataType.INT64, is_primary=True)
    schema.add_field("vector", module.DataType.FLOAT_VECTOR, dim=dimension)
    for field in TEXT_FIELDS:
        schema.add_field(field, module.DataType.VARCHAR, max_length=_max_bytes(getattr(columns, field)))
    schema.add_field("year", module.DataType.INT32)
    return schema


def _max_bytes(values: np.ndarray) -> int:
    """A VARCHAR length that holds every value (Milvus counts bytes)."""
    longest = max((len(str(v).encode()) for v in values), default=1)
    return min(65_535, max(64, 2 ** int(np.ceil(np.log2(longest + 1)))))


def _row(position: int, vector: np.ndarray, columns: PassageColumns) -> dict:
    return {"position": position, "vector": vector.astype(np.float32).tolist(),
            **{field: str(getattr(columns, field)[position]) for field in TEXT_FIELDS},
            "year": int(columns.year[position])}


def _alias_target(client, alias: str) -> str | None:
    if alias not in client.list_aliases(timeout=connection.CALL_TIMEOUT).get("aliases", []):
        return None
    return client.describe_alias(alias, timeout=connection.CALL_TIMEOUT).get("collection_name") or None


def _mismatch(client, collection: str, identity: BuildIdentity) -> str:
    """How the collection's build differs from identity (a phrase completing "the collection ..."), or ""."""
    described = client.describe_collection(collection, timeout=connection.CALL_TIMEOUT)
    stored = {key[len(PROPERTY):]: value for key, value in (described.get("properties") or {}).items()
              if key.startswith(PROPERTY)}
    wanted = {key[len(PROPERTY):]: value for key, value in identity_properties(identity).items()}
    if not stored:
        return "was not written by govsearch"
    if stored.get("model") != wanted["model"]:
        return f"was built with model {stored.get('model')!r}, not {wanted['model']!r} as expected"
    if stored.get("dimension") != wanted["dimension"]:
        return f"holds {stored.get('dimension')}-dimensional vectors, not {wanted['dimension']} as expected"
    if stored.get("corpus_fingerprint") != wanted["corpus_fingerprint"] or stored.get("passages") != wanted["passages"]:
        return "was built from another corpus"
    return ""


def _drop_quietly(client, collection: str) -> None:
    """Drop a collection a failed build leaves, if the server still answers (else the next build does)."""
    try:
        client.drop_collection(collection, timeout=connection.CALL_TIMEOUT)
    except Exception:  # the build's own error is the one to report
        pass


def _load(client, collection: str) -> None:
    state = client.get_load_state(collection, timeout=connection.CALL_TIMEOUT).get("state")
    if getattr(state, "name", str(state)) != "Loaded":
        client.load_collection(collection, timeout=connection.LOAD_TIMEOUT)


class _failures:
    """Turns what pymilvus raises inside the block into StoreUnavailable with one sentence."""

    def __init__(self, uri: str, doing: str):
        self.uri = uri
        self.doing = doing

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if error is None or not connection.is_milvus_failure(error):
            return False
        status = connection.grpc_status(error)
        if status == "DEADLINE_EXCEEDED":
            reason = "it did not answer in time"
        elif status == "UNAVAILABLE" or getattr(error, "code", None) == connection.CONNECTION_FAILED:
            reason = "the connection was lost"
        else:
            reason = getattr(error, "message", "") or error.__class__.__name__
        raise StoreUnavailable(f"Milvus at {self.uri} failed while {self.doing} ({reason})") from None
