"""``python -m graph.bytecode`` (``make run``): what it compiles covers what the commands import, and no test extra."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from graph.bytecode import runtime_distributions, top_level_paths

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", requirement).group(0)).lower()


def test_the_dependencies_pyproject_names_are_compiled_and_the_test_extra_is_not():
    found = runtime_distributions()
    assert {_name(r) for r in PYPROJECT["dependencies"]} <= found
    only_for_tests = {_name(r) for r in PYPROJECT["optional-dependencies"]["test"]} - {_name(r) for r in PYPROJECT["dependencies"]}
    assert {"pytest", "playwright", "pyshacl"} <= only_for_tests and not only_for_tests & found


def test_every_module_a_query_command_imports_lies_in_what_is_compiled(tmp_path: Path):
    """Python's own account of the imports of ``nlmg relations`` (``-X importtime``) on an empty cache, so that it
    validates and loads the data, each module traced to the distribution that installed it (``packages_distributions``):
    every module of a distribution nlmg needs is compiled. (Optional imports of other distributions, there only because
    a test extra installed them, are left to Python.)"""
    command = [sys.executable, "-X", "importtime", "-m", "graph", "relations", "Ruth"]
    run = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True, env={**os.environ, "NLMG_CACHE": str(tmp_path)})
    imported = {line.rsplit("|", 1)[1].strip().split(".")[0] for line in run.stderr.splitlines() if line.startswith("import time:") and "|" in line}
    installed_by = packages_distributions()
    needed = runtime_distributions()
    of_needed = {name for name in imported if any(_name(dist) in needed for dist in installed_by.get(name, []))}
    compiled = {path.name.removesuffix(".py") for name in needed for path in top_level_paths(name)}
    assert {"rdflib", "networkx", "pyrudof", "pyoxigraph"} <= of_needed
    assert of_needed <= compiled
