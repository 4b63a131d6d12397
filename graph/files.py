"""Writing generated files safely: a file is either written whole or not at all, and a set of files
(a build, the maps, the exports) is swapped in at once or not at all.

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "a" / "b.txt"
>>> write_text(target, "hello")
>>> target.read_text()
'hello'
>>> out = target.parent / "set"
>>> with staged_folder(out) as stage:
...     write_text(stage / "one.txt", "1")
>>> sorted(p.name for p in out.iterdir())
['one.txt']
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

__all__ = ["is_temporary", "remove_stale", "staged_folder", "write_bytes", "write_text"]

#: What this module leaves behind only when killed: ``.name.XXXXXXXX.part`` (a file being written) and
#: ``.name.staging-PID-XXXXXXXX`` / ``.name.old-PID-XXXXXXXX`` (a folder being swapped in). Names this
#: specific are never a person's own files, so ``remove_stale`` may delete them wherever it finds them.
_OURS = re.compile(r"^\..+\.(?:[a-z0-9_]{8}\.part|(?:staging|old)-(\d+)-[a-z0-9_]{8})$")
#: The temporary files of earlier versions (``.name.XXXXXXXX``): never listed or carried over, deleted only with their folder.
_EARLIER = re.compile(r"^\..+\.[a-z0-9_]{8}$")


def is_temporary(name: str) -> bool:
    """Whether ``name`` is one of the hidden temporary files or folders a writer of this module leaves when killed.

    >>> is_temporary(".nlmg.ttl.duwgi894.part"), is_temporary(".output.staging-12-abcd_123"), is_temporary("nlmg.ttl")
    (True, True, False)
    """
    return bool(_OURS.match(name) or _EARLIER.match(name))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(folder: Path) -> list[Path]:
    """Delete the temporary files and folders a killed writer left in ``folder`` (not those of a running one)."""
    removed = []
    with contextlib.suppress(OSError):
        for entry in Path(folder).iterdir():
            match = _OURS.match(entry.name)
            if match is None or (match.group(1) and _alive(int(match.group(1)))):
                continue
            if match.group(1) is None and entry.stat().st_mtime > time.time() - 60:
                continue  # temporary files carry no pid: one younger than a minute may be another writer's
            _remove(entry)
            removed.append(entry)
    return removed


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def write_bytes(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` atomically (a temporary file beside it, then a rename).

    Raises:
        OSError: naming ``path`` (never the temporary file) when it cannot be written, e.g. a full disk.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(path)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, 0o644)  # mkstemp makes the file private; outputs are for everyone to read
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise OSError(error.errno, error.strerror, str(path)) from None
        raise


def write_text(path: Path, content: str) -> None:
    """Write ``content`` as UTF-8 to ``path`` atomically."""
    write_bytes(path, content.encode("utf-8"))


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``); False where unsupported."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name, use_errno=True) if name else None
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False  # a file system that cannot exchange: fall back to two renames
    raise OSError(code, os.strerror(code), str(second))


def _carry_over(old: Path, stage: Path, replaced: frozenset[str]) -> None:
    """Hard-link (or copy) into ``stage`` every entry of ``old`` but the ``replaced`` ones and temporary files."""
    for entry in old.iterdir():
        if is_temporary(entry.name) or entry.name in replaced:
            continue
        if entry.is_dir() and not entry.is_symlink():
            leftovers = lambda _, names: [n for n in names if is_temporary(n)]  # noqa: E731
            shutil.copytree(entry, stage / entry.name, symlinks=True, copy_function=_link_or_copy, ignore=leftovers)
        else:
            _link_or_copy(entry, stage / entry.name)


def _link_or_copy(source: str | Path, target: str | Path) -> None:
    if Path(source).is_symlink():
        os.symlink(os.readlink(source), target)
        return
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _name_target(error: OSError, stage: Path, target: Path) -> OSError:
    """The same error, naming the path the person asked for rather than the staging folder."""
    if error.filename:
        with contextlib.suppress(ValueError):
            relative = Path(os.fsdecode(error.filename)).relative_to(stage)
            return OSError(error.errno, error.strerror, str(target / relative))
    return OSError(error.errno, error.strerror, str(target))


@contextlib.contextmanager
def staged_folder(target: Path, *, replaces: Iterable[str] | None = None) -> Iterator[Path]:
    """Write a set of files into a fresh hidden sibling of ``target``, then swap it in whole.

    Yields the staging folder. With ``replaces`` (the names of the entries the writer makes), the
    staging folder starts with every other entry of ``target`` (hard links: nothing the person had
    is lost, temporary leftovers excepted); without it, the new set is the whole folder. When the
    block ends without an error, the staged folder takes ``target``'s place in one atomic step
    (Linux; two renames elsewhere). When the block raises, or the process is killed, ``target`` is
    untouched; a killed run's leftovers are removed by the next run.

    Raises:
        OSError: naming ``target`` (or the file under it) that could not be written.
    """
    target = Path(target).absolute()
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "the output folder is not a folder", str(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(target.parent)
        stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-{os.getpid()}-", dir=target.parent))
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(target)) from None
    try:
        if replaces is not None and target.is_dir():
            _carry_over(target, stage, frozenset(replaces))
        yield stage
        os.chmod(stage, 0o755)
        if target.is_dir():
            if not _exchange(stage, target):
                old = target.with_name(f".{target.name}.old-{os.getpid()}-{stage.name[-8:]}")
                os.rename(target, old)
                os.rename(stage, target)
                stage = old
            _remove(stage)  # after the exchange, the staging path holds the old set
        else:
            os.rename(stage, target)
    except OSError as error:
        _remove(stage)
        raise _name_target(error, stage, target) from None
    except BaseException:
        _remove(stage)
        raise
