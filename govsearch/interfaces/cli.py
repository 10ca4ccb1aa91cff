"""The command line: python -m govsearch COMMAND ..."""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

DEFAULT_CORPUS = Path("corpus")
DEFAULT_INDEX = Path("index")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus folder (default: corpus/)")
    parser.add_argument("--index", type=Path, default=DEFAULT_INDEX, help="index folder (default: index/)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m govsearch", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in [
        ("documents", "list the documents of the corpus with their versions"),
        ("passages", "list every clean passage (JSON lines with --json)"),
    ]:
        _common(commands.add_parser(name, help=help_text))
    build = commands.add_parser("build", help="clean the corpus and build the search index")
    _common(build)
    from govsearch.interfaces import commands as command_impl

    command_impl.add_build_arguments(build)
    command_impl.add_query_commands(commands, _common)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    args = build_parser().parse_args(argv)
    from govsearch.interfaces import commands

    try:
        return commands.run(args)
    except commands.UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into head and the like
        sys.stderr.close()
        return 0


def print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=None))
