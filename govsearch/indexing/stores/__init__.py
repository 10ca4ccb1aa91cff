"""Where a build's passage vectors are kept and searched: FAISS files in the build folder (the default) or a
Milvus collection (Milvus Lite in this process, or a Milvus server). base.py says what every store does;
pymilvus is imported only when the Milvus store is used."""
from __future__ import annotations

from govsearch.indexing.stores.base import (FAISS, MILVUS, Allowed, PassageColumns, StoreConfig, StoreRecord,
                                            StoreUnavailable, VectorStore)

__all__ = ["FAISS", "MILVUS", "Allowed", "PassageColumns", "StoreConfig", "StoreRecord", "StoreUnavailable", "store_for"]


def store_for(config: StoreConfig) -> VectorStore:
    if config.kind == MILVUS:
        from govsearch.indexing.stores.milvus_store import MilvusStore

        return MilvusStore(config)
    from govsearch.indexing.stores.faiss_store import FaissStore

    return FaissStore()
