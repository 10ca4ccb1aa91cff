"""Between Chinese and English. Takes words, queries and vectors; gives dictionary renderings (dictionary),
a query's terms in both languages (query), whether two paragraphs translate each other (parallel), and the
per-language offsets that make dense vectors comparable across languages (shift)."""
