"""``python -m graph``: the same as the ``nlmg`` command."""

import sys

from graph.cli import main

sys.exit(main())
