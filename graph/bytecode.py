"""Compile this package and every package its commands need to bytecode, on all cores: ``python -m graph.bytecode``.

``make`` installs with ``pip install --no-compile``: pip compiled all 8,000 modules of the environment one after
the other (20 s of a fresh install), most of them used only by the tests and the notebooks. This compiles the
ones a command can import: ``graph/`` and the distributions ``nlmg`` requires, with what they require, optional
extras left out. Where ``PYTHONDONTWRITEBYTECODE`` is set, Python would otherwise compile them again on every run.

>>> "networkx" in runtime_distributions()
True
>>> "pytest" in runtime_distributions()  # a test extra
False
"""

from __future__ import annotations

import compileall
import re
from importlib import metadata
from pathlib import Path

__all__ = ["compile_runtime", "runtime_distributions", "top_level_paths"]

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_EXTRA = re.compile(r"""\bextra\s*==""")


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_distributions(root: str = "nlmg") -> set[str]:
    """``root`` and the installed distributions it requires, transitively, leaving out those of optional extras."""
    found: set[str] = set()
    waiting = [root]
    while waiting:
        name = _normalized(waiting.pop())
        if name in found:
            continue
        try:
            requirements = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue  # a requirement for another platform or Python
        found.add(name)
        for requirement in requirements:
            _, _, marker = requirement.partition(";")
            if not _EXTRA.search(marker):
                waiting.append(_NAME.match(requirement.strip()).group(0))  # type: ignore[union-attr]
    return found


def top_level_paths(distribution: str) -> set[Path]:
    """The folders and single modules of ``distribution`` that hold Python source."""
    dist = metadata.distribution(distribution)
    return {
        Path(dist.locate_file(file.parts[0]))
        for file in dist.files or []
        if file.suffix == ".py" and file.parts[0] not in ("..", "bin") and not file.parts[0].endswith((".dist-info", ".data"))
    }


def compile_runtime() -> None:
    """Compile ``graph/`` and the packages of ``runtime_distributions``. A file that does not compile (a package's
    test data, say) is left as it is: Python reports it if it is ever imported."""
    paths = {Path(__file__).resolve().parent} | {path for name in runtime_distributions() for path in top_level_paths(name)}
    for path in sorted(paths):
        if path.is_dir():
            compileall.compile_dir(path, quiet=2, workers=0)
        elif path.suffix == ".py":
            compileall.compile_file(path, quiet=2)


if __name__ == "__main__":
    compile_runtime()
