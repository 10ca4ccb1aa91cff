"""govsearch web app: ask, compare and read AI-governance declarations in English and Chinese.

    python app.py [--corpus DIR] [--index DIR] [--model NAME] [--host 127.0.0.1] [--port 7860] [--share]
                  [--store milvus --milvus-uri URI]

Builds the index first when it is missing or out of date. Set GOVSEARCH_PASSWORD to require a login
(user name "govsearch").
"""
import argparse
import os
import sys
from pathlib import Path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--index", type=Path, default=Path("index"))
    parser.add_argument("--model", default=None, help="encoder for a (re)build; default: the bundled multilingual ensemble")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--share", action="store_true", help="also open a public Gradio share link (off by default)")
    from govsearch.interfaces.cli import UserError, store_arguments, store_config

    store_arguments(parser, building=True)
    args = parser.parse_args(argv)

    from govsearch.interfaces.web.malloc import limit_malloc_arenas

    limit_malloc_arenas()  # before the models' and the server's threads start
    from govsearch.indexing.stores import StoreUnavailable
    from govsearch.interfaces.web.app import create_app, launch
    from govsearch.interfaces.web.site import Site
    from govsearch.retrieval.opening import ensure_engine

    try:
        engine = ensure_engine(args.corpus, args.index, args.model, store=store_config(args))
    except (UserError, StoreUnavailable) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    site = Site(engine)
    launch(create_app(site), site, args.host, args.port, os.environ.get("GOVSEARCH_PASSWORD"), args.share)
    return 0


if __name__ == "__main__":
    sys.exit(main())
