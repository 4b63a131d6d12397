"""``python -m graph``: the same as the ``nlmg`` command."""

from graph.cli import run

if __name__ == "__main__":  # not when a shelf's worker process (spawned) imports this module
    run()
