"""``python -m graph``: the same as the ``nlmg`` command."""

import sys

from graph.cli import main

if __name__ == "__main__":  # not when a shelf's worker process (spawned) imports this module
    sys.exit(main())
