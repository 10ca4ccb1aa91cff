"""Passages → a searchable index on disk, and back. Takes a Corpus; gives a build folder with the passages'
vectors (encoders, embedding cache, FAISS per language: dense), BM25 (lexical), the metadata and a manifest
(index_format, the one owner of file names), switched in atomically (build); load gives it back, checked
against its manifest, as a LoadedIndex."""
