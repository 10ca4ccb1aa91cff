"""The command line: python -m govsearch COMMAND ... (build, documents, passages, search, compare, ask).

Every command reads the corpus folder and/or the index folder; search, compare and ask turn their options into
the same request models the web app and the JSON routes use (retrieval/request.py).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from govsearch.indexing.stores.base import DEFAULT_ALIAS, FAISS, KINDS, MILVUS, StoreConfig, StoreUnavailable
from govsearch.records import IndexType, Mode, Role

DEFAULT_CORPUS = Path("corpus")
DEFAULT_INDEX = Path("index")
MODEL_HELP = "encoder: 'default', 'use', 'e5', 'ensemble', or a sentence-transformers model name or path"


class UserError(Exception):
    """A problem the user can fix; printed as one line, no traceback."""


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (UserError, StoreUnavailable) as error:  # the vector store unreachable, now or in the middle of a batch
        print(f"error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into head and the like
        sys.stderr.close()
        return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m govsearch", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    build = _command(commands, "build", build_index, "clean the corpus and build the search index")
    build.add_argument("--model", default=None, help=MODEL_HELP)
    build.add_argument("--index-type", default=IndexType.AUTO, choices=list(IndexType), type=IndexType,
                       help="FAISS index: exact up to 20,000 passages, HNSW-SQ8 to 300,000, IVF-SQ8 beyond (default: auto)")
    build.add_argument("--quiet", action="store_true", help="no progress bars")
    store_arguments(build, building=True)

    add = _command(commands, "add", add_file, "copy a file into the corpus and write its catalog entry")
    add.add_argument("file", type=Path, help="the file to add (.txt, .md, .html, .pdf, .docx)")
    add.add_argument("--title", help="the document's title (default: found in the text)")
    add.add_argument("--title-zh", help="its Chinese title")
    add.add_argument("--issuer", help="who issued it (default: found in the text)")
    add.add_argument("--date", help="when it was adopted or issued, YYYY-MM-DD (default: found in the text)")
    add.add_argument("--language", help="the file's language code, e.g. en, zh (default: detected)")
    add.add_argument("--role", choices=list(Role), type=Role, help="what this file is to its document (default: original, "
                     "or official translation with --of when its language is new)")
    add.add_argument("--of", metavar="DOCUMENT_ID", help="add the file as another version of this catalogued document")
    add.add_argument("--kind", default="document", help="declaration, law, measures, statement ... (default: document)")
    add.add_argument("--id", help="the new document's id (default: made from its title)")

    _command(commands, "documents", documents, "list the documents of the corpus with their versions")
    _command(commands, "passages", passages, "list every clean passage (JSON lines with --json)")

    search_parser = _command(commands, "search", search, "search the index: cited passages, one per statement")
    search_parser.add_argument("query", nargs="?", help="the question or keywords (English or Chinese)")
    search_parser.add_argument("--batch", type=argparse.FileType("r", encoding="utf-8"), help="a file with one query per line")
    search_parser.add_argument("--k", type=int, default=10, help="number of hits (default 10)")
    search_parser.add_argument("--mode", default=Mode.HYBRID, choices=list(Mode), type=Mode)
    _filter_arguments(search_parser)
    store_arguments(search_parser)

    compare_parser = _command(commands, "compare", compare, "what each document says about one or several topics")
    compare_parser.add_argument("topic", help="the topic (English or Chinese)")
    compare_parser.add_argument("--topic", dest="topics", action="append", default=[], help="another topic (repeatable)")
    _filter_arguments(compare_parser)
    store_arguments(compare_parser)

    ask_parser = _command(commands, "ask", ask, "a short answer with numbered citations")
    ask_parser.add_argument("question")
    ask_parser.add_argument("--generate", action="store_true",
                            help="also ask the OpenAI-compatible endpoint in GOVSEARCH_LLM_URL / GOVSEARCH_LLM_MODEL")
    _filter_arguments(ask_parser)
    store_arguments(ask_parser)
    return parser


def _command(commands, name: str, handler, help_text: str) -> argparse.ArgumentParser:
    parser = commands.add_parser(name, help=help_text)
    parser.set_defaults(handler=handler)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus folder (default: corpus/)")
    parser.add_argument("--index", type=Path, default=DEFAULT_INDEX, help="index folder (default: index/)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    return parser


def _filter_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--doc", action="append", default=[], help="only this document id (repeatable)")
    parser.add_argument("--issuer", action="append", default=[], help="only documents from this issuer (repeatable)")
    parser.add_argument("--lang", action="append", default=[], help="only passages in this language (repeatable)")
    parser.add_argument("--role", action="append", default=[], choices=list(Role), type=Role,
                        help="only versions with this role (repeatable)")
    parser.add_argument("--no-unofficial", action="store_true", help="leave out unofficial translations")
    parser.add_argument("--year-from", type=int, default=None)
    parser.add_argument("--year-to", type=int, default=None)
    parser.add_argument("--model", default=None, help=MODEL_HELP + " (default: the one the index was built with)")


def store_arguments(parser: argparse.ArgumentParser, building: bool = False) -> None:
    """Where the passage vectors are: FAISS files in the index folder, or Milvus (the app's options too)."""
    parser.add_argument("--store", choices=KINDS, default=FAISS,
                        help="vector store: FAISS files in the index folder (default) or Milvus")
    parser.add_argument("--milvus-uri", default=os.environ.get("GOVSEARCH_MILVUS_URI", ""),
                        help="with --store milvus: a path ending in .db (Milvus Lite, one process) or http://host:19530 "
                             "(a server); default $GOVSEARCH_MILVUS_URI. Credentials only from GOVSEARCH_MILVUS_TOKEN, "
                             "or GOVSEARCH_MILVUS_USER and GOVSEARCH_MILVUS_PASSWORD")
    if building:
        parser.add_argument("--milvus-alias", default=DEFAULT_ALIAS,
                            help="the alias a Milvus build switches to its new collection (default: govsearch); "
                                 "one per index folder. Readers take it from the manifest")


def store_config(args) -> StoreConfig:
    """The StoreConfig the store options ask for, or a UserError."""
    try:
        return StoreConfig(args.store, args.milvus_uri if args.store == MILVUS else "",
                           getattr(args, "milvus_alias", DEFAULT_ALIAS))
    except ValueError as error:
        raise UserError(str(error)) from None


def _filters(args) -> dict:
    """The filter options as the request models name them."""
    return {"documents": args.doc, "issuers": args.issuer, "languages": args.lang, "roles": args.role,
            "unofficial": not args.no_unofficial, "year_from": args.year_from, "year_to": args.year_to}


# --- corpus ----------------------------------------------------------------------------------------------


def _corpus(args):
    from govsearch.ingest.catalog import CatalogError
    from govsearch.ingest.corpus import load_corpus

    try:
        return load_corpus(args.corpus)
    except (FileNotFoundError, CatalogError) as error:
        raise UserError(str(error)) from None


def documents(args) -> int:
    from govsearch.indexing.index_format import documents_json
    from govsearch.interfaces.summary import documents_table

    corpus = _corpus(args)
    print(json.dumps(documents_json(corpus), ensure_ascii=False, indent=2) if args.json else documents_table(corpus))
    return 0


def passages(args) -> int:
    from govsearch.indexing.index_format import passage_json
    from govsearch.interfaces.summary import passages_table

    corpus = _corpus(args)
    if args.json:
        for p in corpus.passages:
            print(json.dumps(passage_json(p), ensure_ascii=False))
    else:
        print(passages_table(corpus))
    return 0


def add_file(args) -> int:
    """Copy the file into the corpus folder (unless it is there already) and describe it in the catalog, with
    what its text says wherever an option does not say otherwise."""
    import filecmp
    import shutil

    from govsearch.ingest.catalog import CatalogError, DocumentEntry, VersionEntry, add_document, add_version, check_date, load_catalog
    from govsearch.ingest.corpus import guess_file, slug
    from govsearch.ingest.decoding import UnreadableFile

    source: Path = args.file
    if not source.is_file():
        raise UserError(f"{source} is not a file")
    if not args.corpus.is_dir():
        raise UserError(f"corpus folder {args.corpus} does not exist")
    try:
        guess, detected = guess_file(source)
        catalog = load_catalog(args.corpus)
        date = check_date(args.date if args.date is not None else guess.date, "--date")
    except (UnreadableFile, CatalogError) as error:
        raise UserError(f"{source}: {error}") from None
    target = args.corpus / source.name
    if target.exists() and not filecmp.cmp(source, target, shallow=False):
        raise UserError(f"{target} exists and holds another file: rename one of them")
    if any(v.file == source.name for d in catalog.documents for v in d.versions):
        raise UserError(f"the catalog already describes {source.name}")
    language = args.language or detected
    if not target.exists():
        shutil.copy2(source, target)
    try:
        if args.of:
            document = next((d for d in catalog.documents if d.id == args.of), None)
            languages = {v.language for v in document.versions} if document else set()
            if args.role is None and language in languages:
                raise CatalogError(f"{args.of} already has a version in {language}: say what this one is with --role "
                                   f"({', '.join(Role)})")
            role = args.role or Role.OFFICIAL_TRANSLATION
            add_version(args.corpus, args.of, VersionEntry(source.name, ((1, None),), language, role))
            print(f"Added {target} to {args.of} as its {language} {role}.")
        else:
            title = args.title or guess.title or args.title_zh or guess.title_zh or source.stem
            title_zh = args.title_zh or guess.title_zh if (args.title_zh or guess.title_zh) != title else ""
            document_id = args.id or _unique(slug(title) or slug(source.stem) or "document", {d.id for d in catalog.documents})
            entry = DocumentEntry(document_id, title, args.issuer if args.issuer is not None else guess.issuer, date,
                                  args.kind, title_zh, "", [VersionEntry(source.name, ((1, None),), language, args.role or Role.ORIGINAL)])
            add_document(args.corpus, entry)
            print(f"Added {target} as document {document_id}: {title!r} ({entry.issuer or 'issuer unknown'}, "
                  f"{entry.date or 'date unknown'}, {language}).")
    except CatalogError as error:
        raise UserError(str(error)) from None
    print(f"Rebuild the index to search it: python build_index.py --corpus {args.corpus}")
    return 0


def _unique(base: str, taken: set[str]) -> str:
    return base if base not in taken else next(f"{base}-{n}" for n in range(2, 10_000) if f"{base}-{n}" not in taken)


def build_index(args) -> int:
    from govsearch.indexing.build import build
    from govsearch.indexing.encoders import EncoderUnavailable
    from govsearch.interfaces.summary import corpus_summary

    store = store_config(args)
    corpus = _corpus(args)
    try:
        report = build(args.corpus, args.index, args.model, args.index_type, progress=not args.quiet, corpus=corpus,
                       store=store)
    except (EncoderUnavailable, ValueError) as error:
        raise UserError(str(error)) from None
    print(corpus_summary(corpus))
    m = report.manifest
    where = f", vectors in Milvus collection {m['store']['collection']} (alias {m['store']['alias']})" if store.kind == MILVUS else ""
    print(f"\nIndex: {report.build_dir}{where} — model {m['model']} ({m['dimension']} dims), {m['index_type']}, "
          f"{m['counts']['passages']} passages ({report.embedded_now} embedded now, the rest from cache), "
          f"{report.seconds:.1f} s")
    return 0


# --- queries ---------------------------------------------------------------------------------------------


def _engine(args):
    """The loaded index and its encoder, or a UserError saying what to do."""
    from govsearch.indexing.encoders import EncoderUnavailable
    from govsearch.indexing.index_format import IndexUnavailable
    from govsearch.retrieval.opening import open_engine

    try:
        return open_engine(args.index, args.corpus, args.model, store_config(args))
    except (IndexUnavailable, EncoderUnavailable) as error:
        raise UserError(str(error)) from None


def search(args) -> int:
    from govsearch.interfaces.serialize import result_json
    from govsearch.retrieval.request import QueryError, SearchRequest

    if (args.query is None) == (args.batch is None):
        raise UserError("give either a QUERY or --batch FILE")
    engine = _engine(args)
    queries = [line.rstrip("\n") for line in args.batch] if args.batch else [args.query]
    status = 0
    for query in queries:
        try:
            result = engine.search(SearchRequest(query=query, k=args.k, mode=args.mode, **_filters(args)))
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
    lines = [f"{len(result.hits)} hits for {result.query!r} ({result.mode}, {result.timings.get('total', 0):.0f} ms)",
             *(f"Note: {note}" for note in result.notes), ""]
    for hit in result.hits:
        lines.append(f"{hit.rank:>2}. [{hit.score:.3f}] {hit.citation}")
        lines.append(f"    {hit.passage.text}")
        if hit.versions:
            lines.append("    also in: " + ", ".join(sorted({f"{v.language}/{v.role}" for v in hit.versions})))
        lines.append("")
    return "\n".join(lines)


def compare(args) -> int:
    from govsearch.interfaces.serialize import comparison_json
    from govsearch.interfaces.summary import clip, table
    from govsearch.retrieval.compare import compare_topics
    from govsearch.retrieval.request import CompareRequest, QueryError

    engine = _engine(args)
    try:
        comparison = compare_topics(engine, CompareRequest(topics=[args.topic, *args.topics], **_filters(args)))
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
    from govsearch.interfaces.serialize import answer_json
    from govsearch.retrieval.answer import ask as answer_question
    from govsearch.retrieval.request import AskRequest, QueryError

    engine = _engine(args)
    try:
        answer = answer_question(engine, AskRequest(question=args.question, generate=args.generate, **_filters(args)))
    except QueryError as error:
        raise UserError(str(error)) from None
    if args.json:
        print(json.dumps(answer_json(answer), ensure_ascii=False))
        return 0
    print(answer.answer)
    for c in answer.citations:
        print(f"  [{c.number}] {c.citation}")
    return 0
