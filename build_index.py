"""Clean and segment the corpus, embed the passages and write the search index.

    python build_index.py [--model NAME] [--corpus DIR] [--index DIR]
"""
import sys

from govsearch.interfaces.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
