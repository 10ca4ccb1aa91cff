"""python -m govsearch COMMAND: see govsearch/interfaces/cli.py."""
import sys

from govsearch.interfaces.cli import main

sys.exit(main())
