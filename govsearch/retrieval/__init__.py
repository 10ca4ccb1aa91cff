"""Requests → answers. Takes a LoadedIndex, an encoder and validated requests (request); gives ranked, cited
hits one per statement (engine, with batched query encoding: batching), what each document says about topics
(compare, with the coverage model: coverage) and short cited answers (answer). opening gives an engine for a
corpus and index folder, building the index first when needed."""
