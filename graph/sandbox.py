"""Walls around a query process so that nothing it runs can reach another machine or service.

Oxigraph answers ``SERVICE <url>`` by calling ``url`` over HTTP, and pyoxigraph (0.5) offers no way
to turn that off: its Python API has no service handler and no parsed algebra to inspect. So the
processes that run queries put up two walls of their own, with ``ctypes`` (Linux only):

1. **a network namespace of their own** (``unshare(CLONE_NEWNET)``): no interface but a loopback
   that is down, so any connection fails with "Network is unreachable", 127.0.0.1 included. It needs
   root (or ``CAP_SYS_ADMIN``); otherwise a user namespace is tried first (``CLONE_NEWUSER``), which
   unprivileged users get where the kernel allows it.
2. **no new sockets** (a seccomp filter): ``socket``, ``socketpair`` and ``io_uring_setup`` fail with
   ``EACCES``, so neither TCP, UDP (DNS), nor a Unix socket to a local resolver or proxy can be
   opened. Unprivileged processes may install it (after ``PR_SET_NO_NEW_PRIVS``); the process keeps
   the sockets it already holds (the one to its parent).

Either wall alone stops every outbound request; ``seal()`` reports which ones went up.

>>> sorted(Walls(netns=True, seccomp=False).as_dict())
['netns', 'seccomp']
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import platform
import struct
from dataclasses import asdict, dataclass

__all__ = ["Walls", "seal"]

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_SECCOMP_RET_ALLOW = 0x7FFF0000
_SECCOMP_RET_ERRNO = 0x00050000
_X32_SYSCALL_BIT = 0x40000000
#: machine -> (AUDIT_ARCH value, syscall numbers of socket, socketpair, io_uring_setup).
_ARCHES = {
    "x86_64": (0xC000003E, (41, 53, 425)),
    "aarch64": (0xC00000B7, (198, 199, 425)),
}


@dataclass(frozen=True)
class Walls:
    """Which walls are up in this process."""

    netns: bool
    seccomp: bool

    def as_dict(self) -> dict[str, bool]:
        return asdict(self)

    @property
    def any(self) -> bool:
        return self.netns or self.seccomp


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    except OSError:
        return None


def _own_network(libc: ctypes.CDLL) -> bool:
    """Move this process into a new, empty network namespace."""
    if libc.unshare(_CLONE_NEWNET) == 0:
        return True
    if ctypes.get_errno() != errno.EPERM:
        return False
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) != 0:  # unprivileged: a user namespace grants it
        return False
    try:  # keep our own uid and gid inside it, so files stay readable
        with open("/proc/self/setgroups", "w") as file:
            file.write("deny")
        with open("/proc/self/uid_map", "w") as file:
            file.write(f"{uid} {uid} 1")
        with open("/proc/self/gid_map", "w") as file:
            file.write(f"{gid} {gid} 1")
    except OSError:
        pass
    return True


def _instruction(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def _no_sockets(libc: ctypes.CDLL) -> bool:
    """Install a seccomp filter that makes socket creation fail with EACCES."""
    arch = _ARCHES.get(platform.machine())
    if arch is None:
        return False
    audit_arch, (socket_nr, socketpair_nr, uring_nr) = arch
    load_word, jump_eq, jump_ge, ret = 0x20, 0x15, 0x35, 0x06  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, BPF_JMP|JGE|K, BPF_RET|K
    deny = _SECCOMP_RET_ERRNO | errno.EACCES
    program = b"".join(
        [
            _instruction(load_word, 0, 0, 4),  # the architecture
            _instruction(jump_eq, 1, 0, audit_arch),
            _instruction(ret, 0, 0, deny),  # another ABI than ours: deny everything it tries
            _instruction(load_word, 0, 0, 0),  # the syscall number
            _instruction(jump_ge, 4, 0, _X32_SYSCALL_BIT),  # x32 calls: denied
            _instruction(jump_eq, 3, 0, socket_nr),
            _instruction(jump_eq, 2, 0, socketpair_nr),
            _instruction(jump_eq, 1, 0, uring_nr),
            _instruction(ret, 0, 0, _SECCOMP_RET_ALLOW),
            _instruction(ret, 0, 0, deny),
        ]
    )
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = struct.pack("HxxxxxxP", len(program) // 8, ctypes.addressof(buffer))
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.c_char_p(fprog), 0, 0) == 0


def seal() -> Walls:
    """Put up both walls in this process (call it before starting threads); return which went up."""
    libc = _libc() if platform.system() == "Linux" else None
    if libc is None:
        return Walls(netns=False, seccomp=False)
    netns = _own_network(libc)
    return Walls(netns=netns, seccomp=_no_sockets(libc))
