"""What each CLI command does, on top of the library."""
from __future__ import annotations

import argparse
import json

from govsearch.ingest.catalog import CatalogError
from govsearch.ingest.corpus import Corpus, load_corpus
from govsearch.interfaces.serialize import answer_json, comparison_json, documents_json, passage_json, result_json


class UserError(Exception):
    """A problem the user can fix; printed as one line, no traceback."""


MODEL_HELP = "encoder: 'default', 'use', 'e5', 'ensemble', or a sentence-transformers model name or path"


def add_build_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", default=None, help=MODEL_HELP)
    parser.add_argument("--index-type", default="auto", choices=["auto", "flat", "hnsw", "hnsw-sq8", "ivf-sq8"],
                        help="FAISS index: exact up to 20,000 passages, HNSW-SQ8 to 300,000, IVF-SQ8 beyond (default: auto)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--doc", action="append", default=[], help="only this document id (repeatable)")
    parser.add_argument("--issuer", action="append", default=[], help="only documents from this issuer (repeatable)")
    parser.add_argument("--lang", action="append", default=[], help="only passages in this language (repeatable)")
    parser.add_argument("--role", action="append", default=[], help="only versions with this role (repeatable)")
    parser.add_argument("--no-unofficial", action="store_true", help="leave out unofficial translations")
    parser.add_argument("--year-from", type=int, default=None)
    parser.add_argument("--year-to", type=int, default=None)
    parser.add_argument("--model", default=None, help=MODEL_HELP + " (default: the one the index was built with)")


def add_query_commands(commands, common) -> None:
    search = commands.add_parser("search", help="search the index: cited passages, one per statement")
    common(search)
    search.add_argument("query", nargs="?", help="the question or keywords (English or Chinese)")
    search.add_argument("--batch", type=argparse.FileType("r", encoding="utf-8"), help="a file with one query per line")
    search.add_argument("--k", type=int, default=10, help="number of hits (default 10)")
    search.add_argument("--mode", default="hybrid", choices=["hybrid", "dense", "bm25"])
    add_filter_arguments(search)

    compare = commands.add_parser("compare", help="what each document says about one or several topics")
    common(compare)
    compare.add_argument("topic", help="the topic (English or Chinese)")
    compare.add_argument("--topic", dest="topics", action="append", default=[], help="another topic (repeatable)")
    compare.add_argument("--no-unofficial", action="store_true", help="leave out unofficial translations")
    compare.add_argument("--model", default=None, help=MODEL_HELP)

    ask = commands.add_parser("ask", help="a short answer with numbered citations")
    common(ask)
    ask.add_argument("question")
    ask.add_argument("--no-unofficial", action="store_true", help="leave out unofficial translations")
    ask.add_argument("--generate", action="store_true",
                     help="also ask the OpenAI-compatible endpoint in GOVSEARCH_LLM_URL / GOVSEARCH_LLM_MODEL")
    ask.add_argument("--model", default=None, help=MODEL_HELP)


def run(args: argparse.Namespace) -> int:
    handler = {"documents": documents, "passages": passages, "build": build, "search": search,
               "compare": compare, "ask": ask}[args.command]
    return handler(args)


def _corpus(args) -> Corpus:
    try:
        return load_corpus(args.corpus)
    except (FileNotFoundError, CatalogError) as error:
        raise UserError(str(error)) from None


def documents(args) -> int:
    from govsearch.interfaces.summary import documents_table

    corpus = _corpus(args)
    if args.json:
        print(json.dumps(documents_json(corpus), ensure_ascii=False, indent=2))
    else:
        print(documents_table(corpus))
    return 0


def passages(args) -> int:
    from govsearch.interfaces.summary import passages_table

    corpus = _corpus(args)
    if args.json:
        for p in corpus.passages:
            print(json.dumps(passage_json(p), ensure_ascii=False))
    else:
        print(passages_table(corpus))
    return 0


def build(args) -> int:
    from govsearch.indexing.encoders import EncoderUnavailable
    from govsearch.indexing.build import build as build_index
    from govsearch.interfaces.summary import corpus_summary

    corpus = _corpus(args)
    try:
        report = build_index(args.corpus, args.index, args.model, args.index_type, progress=not args.quiet, corpus=corpus)
    except (EncoderUnavailable, ValueError) as error:
        raise UserError(str(error)) from None
    print(corpus_summary(corpus))
    m = report.manifest
    print(f"\nIndex: {report.build_dir} — model {m['model']} ({m['dimension']} dims), {m['index_type']}, "
          f"{m['counts']['passages']} passages ({report.embedded_now} embedded now, the rest from cache), "
          f"{report.seconds:.1f} s")
    return 0


def open_engine(index_dir, corpus_dir, model=None):
    """The loaded index and its encoder, or a UserError saying what to do."""
    from govsearch.retrieval import opening as serve
    from govsearch.indexing.encoders import EncoderUnavailable
    from govsearch.indexing.index_format import IndexUnavailable

    try:
        return serve.open_engine(index_dir, corpus_dir, model)
    except (IndexUnavailable, EncoderUnavailable) as error:
        raise UserError(str(error)) from None


def request_from(args, query: str):
    from govsearch.retrieval.engine import SearchRequest

    return SearchRequest(
        query=query, k=args.k, mode=args.mode, documents=tuple(args.doc), issuers=tuple(args.issuer),
        languages=tuple(args.lang), roles=tuple(args.role),
        exclude_roles=("unofficial translation",) if args.no_unofficial else (),
        year_from=args.year_from, year_to=args.year_to,
    )


def search(args) -> int:
    from govsearch.retrieval.engine import QueryError

    if (args.query is None) == (args.batch is None):
        raise UserError("give either a QUERY or --batch FILE")
    engine = open_engine(args.index, args.corpus, args.model)
    queries = [line.rstrip("\n") for line in args.batch] if args.batch else [args.query]
    status = 0
    for query in queries:
        try:
            result = engine.search(request_from(args, query))
        except QueryError as error:
            if not args.batch:
                raise UserError(str(error)) from None
            print(json.dumps({"query": query, "error": str(error), "hits": []}, ensure_ascii=False) if args.json else f"error: {error}")
            status = 1
            continue
        print(json.dumps(result_json(result), ensure_ascii=False) if args.json else readable_result(result))
    return status


def readable_result(result) -> str:
    if not result.hits:
        return f"No passages found for {result.query!r}."
    lines = [f"{len(result.hits)} hits for {result.query!r} ({result.mode}, {result.timings.get('total', 0):.0f} ms)", ""]
    for hit in result.hits:
        lines.append(f"{hit.rank:>2}. [{hit.score:.3f}] {hit.citation}")
        lines.append(f"    {hit.passage.text}")
        if hit.versions:
            lines.append("    also in: " + ", ".join(sorted({f"{v.language}/{v.role}" for v in hit.versions})))
        lines.append("")
    return "\n".join(lines)


UNOFFICIAL = ("unofficial translation",)


def compare(args) -> int:
    from govsearch.retrieval.compare import compare_topics
    from govsearch.retrieval.engine import QueryError
    from govsearch.interfaces.summary import clip, table

    engine = open_engine(args.index, args.corpus, args.model)
    try:
        comparison = compare_topics(engine, [args.topic, *args.topics], exclude_roles=UNOFFICIAL if args.no_unofficial else ())
    except QueryError as error:
        raise UserError(str(error)) from None
    if args.json:
        print(json.dumps(comparison_json(comparison), ensure_ascii=False))
        return 0
    rows = [[d.document_id, "yes" if d.addressed else "not addressed", f"{d.score:.2f}",
             clip(d.passages[0].sentence, 70) if d.passages else ""] for d in comparison.documents]
    print(f"Topic: {comparison.topics[0]}\n")
    print(table(rows, ["document", "addressed", "score", "most relevant passage"]))
    if len(comparison.topics) > 1:
        print("\nCoverage matrix (score, * = addressed):\n")
        matrix_rows = [[doc] + [f"{s:.2f}{'*' if a else ''}" for s, a in zip(scores, addressed)]
                       for doc, scores, addressed in zip(comparison.order, comparison.matrix, comparison.addressed)]
        print(table(matrix_rows, ["document"] + [clip(t, 24) for t in comparison.topics]))
    return 0


def ask(args) -> int:
    from govsearch.retrieval.answer import ask as answer_question
    from govsearch.retrieval.engine import QueryError

    engine = open_engine(args.index, args.corpus, args.model)
    try:
        answer = answer_question(engine, args.question, exclude_roles=UNOFFICIAL if args.no_unofficial else (),
                                 generate=True if args.generate else False)
    except QueryError as error:
        raise UserError(str(error)) from None
    if args.json:
        print(json.dumps(answer_json(answer), ensure_ascii=False))
        return 0
    print(answer.answer)
    for c in answer.citations:
        print(f"  [{c.number}] {c.citation}")
    return 0
