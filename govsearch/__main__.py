import sys

from govsearch.interfaces.cli import main

sys.exit(main())
