"""Run the notebooks in ``notebooks/`` top to bottom and render each to a standalone HTML page.

Each notebook runs in a fresh kernel of the Python running this code (ipykernel's own kernel,
whatever other kernels are installed), with this repository first on the kernel's path so that
``import graph`` finds this package. The kernel's working directory is the folder the page is
written to, as it is the notebook's own folder in JupyterLab: a notebook that links to a file
relative to its working directory gets a link that works both in JupyterLab and in the page.

A failing cell is reported by notebook, cell number, source line and error, never as a traceback.
Committed notebooks carry no outputs and no execution counts (``strip_file`` removes them).

>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1", execution_count=3)])
>>> strip_outputs(nb), strip_outputs(nb)
(True, False)
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from graph.files import write_text
from graph.paths import root_dir

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = ["NotebookError", "Outcome", "execute_notebook", "execute_notebooks", "notebook_files", "render_html", "strip_file", "strip_outputs", "unstripped"]

#: Seconds a single cell may run before it is stopped.
CELL_TIMEOUT = 120
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{% block html_head_js_requirejs %}{% endblock %}
{% block html_head_js_mathjax %}{% endblock %}
{% block html_head_js_mermaidjs %}{% endblock %}
"""
_CELL_LINE = re.compile(r"(?:Cell In\s*\[[^\]]*\]|<ipython-input-[^>]*>), line (\d+)")


class NotebookError(Exception):
    """A notebook that cannot be read or run; the message says which notebook, which cell and why."""


@dataclass(frozen=True)
class Outcome:
    """The result of running one notebook: the page written, or the error that stopped it."""

    notebook: Path
    page: Path | None
    seconds: float
    error: str | None = None


def notebook_files(folder: Path) -> list[Path]:
    """The notebooks in ``folder``, in the order of their names (``01-...``, ``02-...``).

    Raises:
        NotebookError: the folder does not exist or holds no notebook.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise NotebookError(f"no notebook folder {folder}")
    found = sorted(folder.glob("*.ipynb"))
    if not found:
        raise NotebookError(f"no notebooks (*.ipynb) in {folder}")
    return found


def _nbformat() -> ModuleType:
    try:
        import nbformat
    except ImportError as error:
        raise NotebookError(_missing(error)) from None
    return nbformat


def _read(path: Path) -> NotebookNode:
    nbformat = _nbformat()
    try:
        return nbformat.read(path, as_version=4)
    except (OSError, UnicodeDecodeError) as error:
        raise NotebookError(f"{path}: cannot read the file ({error})") from None
    except Exception as error:  # nbformat raises several unrelated types for malformed JSON
        raise NotebookError(f"{path}: not a valid notebook ({str(error).splitlines()[0]})") from None


def strip_outputs(notebook: NotebookNode) -> bool:
    """Remove outputs, execution counts and timing metadata in place; return whether anything changed."""
    changed = False
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if cell.get("outputs") or cell.get("execution_count") is not None:
            changed = True
        cell.outputs = []
        cell.execution_count = None
        if cell.metadata.pop("execution", None) is not None:
            changed = True
    return changed


def strip_file(path: Path) -> bool:
    """Strip the outputs of the notebook at ``path`` in place (atomically); return whether it changed."""
    notebook = _read(path)
    if not strip_outputs(notebook):
        return False
    write_text(path, _nbformat().writes(notebook) + "\n")
    return True


def unstripped(path: Path) -> list[str]:
    """What should not be in a committed notebook: one line per cell with outputs or an execution count."""
    found = []
    for number, cell in enumerate(_read(path).cells, start=1):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            found.append(f"{path.name}: cell {number} has outputs")
        if cell.get("execution_count") is not None:
            found.append(f"{path.name}: cell {number} has an execution count")
    return found


def _missing(error: ImportError) -> str:
    return f"cannot run notebooks without {error.name}: install the notebooks extra (pip install -e '.[notebooks]')"


def _kernel_manager_class() -> type:
    """A kernel manager that always starts ipykernel in this interpreter (ignoring installed kernel specs)."""
    from jupyter_client import AsyncKernelManager
    from jupyter_client.kernelspec import KernelSpecManager
    from traitlets import default

    class ThisPythonKernel(AsyncKernelManager):
        @default("kernel_spec_manager")
        def _only_this_python(self) -> KernelSpecManager:
            return KernelSpecManager(kernel_dirs=[])

    return ThisPythonKernel


def _failed_cell(notebook: NotebookNode) -> tuple[int, NotebookNode, dict] | None:
    """The first cell holding an error output: its number (from 1), the cell and the error."""
    for number, cell in enumerate(notebook.cells, start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return number, cell, output
    return None


def _describe_failure(path: Path, notebook: NotebookNode, fallback: str) -> str:
    found = _failed_cell(notebook)
    if found is None:
        return f"{path.name}: {fallback}"
    number, cell, error = found
    trace = _ANSI.sub("", "\n".join(error.get("traceback", [])))
    lines = cell.source.splitlines()
    hits = [int(n) for n in _CELL_LINE.findall(trace)]
    line_no = hits[0] if hits and 0 < hits[0] <= len(lines) else None
    where = f"cell {number}, line {line_no}: {lines[line_no - 1].strip()}" if line_no else f"cell {number}: {(lines or [''])[0].strip()}"
    return f"{path.name}, {where}\n  {error.get('ename', 'Error')}: {error.get('evalue', '')}"


def execute_notebook(path: Path, cwd: Path, timeout: int = CELL_TIMEOUT, env: Mapping[str, str] | None = None) -> NotebookNode:
    """Run the notebook at ``path`` top to bottom in a fresh kernel whose working directory is ``cwd``.

    ``env`` adds environment variables for the kernel (e.g. ``NLMG_DATA``).

    Raises:
        NotebookError: the notebook cannot be read, a cell fails or times out, or no kernel starts.
    """
    try:
        from jupyter_client.kernelspec import NoSuchKernel
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    except ImportError as error:
        raise NotebookError(_missing(error)) from None

    path = Path(path)
    notebook = _read(path)
    Path(cwd).mkdir(parents=True, exist_ok=True)
    kernel_env = {**os.environ, **(env or {})}
    kernel_env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root_dir()), kernel_env.get("PYTHONPATH", "")) if p)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        kernel_manager_class=_kernel_manager_class(),
        extra_arguments=["--IPKernelApp.log_level=ERROR"],  # not the warning about local TCP on every start
        resources={"metadata": {"path": str(cwd)}},
    )
    try:
        client.execute(env=kernel_env)
    except CellExecutionError as error:
        raise NotebookError(_describe_failure(path, notebook, f"{error.ename}: {error.evalue}")) from None
    except CellTimeoutError:
        raise NotebookError(f"{path.name}: a cell ran longer than {timeout} s and was stopped") from None
    except DeadKernelError as error:
        raise NotebookError(f"{path.name}: the kernel died ({error})") from None
    except NoSuchKernel:
        raise NotebookError("no Python kernel: install ipykernel (pip install -e '.[notebooks]')") from None
    return notebook


def render_html(notebook: NotebookNode) -> str:
    """An executed notebook as one standalone HTML page that loads nothing from the internet.

    JupyterLab's look, figures inlined; the lab template's MathJax, Mermaid and RequireJS
    script tags (CDN links, unused by these notebooks) are left out.
    """
    try:
        import jinja2
        from nbconvert import HTMLExporter
    except ImportError as error:
        raise NotebookError(_missing(error)) from None
    exporter = HTMLExporter(template_name="lab", extra_loaders=[jinja2.DictLoader({"offline.html.j2": _OFFLINE_TEMPLATE})], template_file="offline.html.j2")
    body, _ = exporter.from_notebook_node(notebook)
    return body


def execute_notebooks(
    folder: Path, out_dir: Path, timeout: int = CELL_TIMEOUT, only: Sequence[str] | None = None, env: Mapping[str, str] | None = None
) -> list[Outcome]:
    """Run every notebook of ``folder`` in order and write ``out_dir/<name>.html`` for each that succeeds.

    A failing notebook writes no page and does not stop the others: its ``Outcome.error`` says
    which cell failed and why. ``only`` keeps the notebooks whose file name starts with one of its items;
    ``env`` adds environment variables for the kernels.

    Raises:
        NotebookError: the folder has no notebooks (or none matching ``only``).
    """
    files = notebook_files(folder)
    if only:
        files = [f for f in files if f.name.startswith(tuple(only))]
        if not files:
            raise NotebookError(f"no notebook in {folder} starts with {', '.join(only)}")
    out_dir = Path(out_dir)
    outcomes = []
    for path in files:
        started = time.perf_counter()
        try:
            notebook = execute_notebook(path, out_dir, timeout, env)
            page = out_dir / f"{path.stem}.html"
            write_text(page, render_html(notebook))
        except NotebookError as error:
            outcomes.append(Outcome(path, None, time.perf_counter() - started, str(error)))
            continue
        outcomes.append(Outcome(path, page, time.perf_counter() - started))
    return outcomes
