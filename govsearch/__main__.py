import sys

from govsearch.cli import main

sys.exit(main())
