"""What the endpoint and its query workers send each other: length-prefixed frames over a socket.

A frame is its length (4 bytes, little-endian) and its bytes, written in one call and read with as few
calls as it takes (one, for most answers). A worker's reply is a fixed binary form, never a pickle: a
worker runs other people's queries, so the endpoint reads from it nothing that could run code.

It imports only the standard library (the sandboxed workers load it).

>>> unpack_reply(pack_reply(True, 3, b"a,b"))
(True, 3, b'a,b')
"""

from __future__ import annotations

import select
import socket
import struct
import time

__all__ = ["MAX_FRAME", "Channel", "pack_reply", "unpack_reply"]

#: The largest frame a channel accepts (a reply of 10,000 rows of long literals stays far below).
MAX_FRAME = 1 << 30
_LENGTH = struct.Struct("<I")
_REPLY = struct.Struct("<BH")  # 1 an answer, 0 a refusal; then the answer's format number or the refusal's HTTP status
_READ = 1 << 16  # bytes asked for by the first read of a frame
_SMALL = 1 << 16  # frames up to this size go out with their length in one write


def pack_reply(ok: bool, code: int, payload: bytes) -> bytes:
    """A worker's reply: an answer (``code`` its format's number) or a refusal (``code`` the HTTP status), and its bytes."""
    return _REPLY.pack(1 if ok else 0, code) + payload


def unpack_reply(frame: bytes) -> tuple[bool, int, bytes]:
    """``(ok, code, payload)`` of a reply made by ``pack_reply``.

    Raises:
        ValueError: the frame is not a reply.
    """
    if len(frame) < _REPLY.size or frame[0] > 1:
        raise ValueError("a malformed reply from a query worker")
    ok, code = _REPLY.unpack_from(frame)
    return bool(ok), code, frame[_REPLY.size :]


class Channel:
    """Frames over a connected stream socket (blocking), one exchange at a time."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._poller = select.poll()
        self._poller.register(sock, select.POLLIN)

    def send(self, payload: bytes) -> None:
        head = _LENGTH.pack(len(payload))
        if len(payload) <= _SMALL:
            self.sock.sendall(head + payload)
        else:  # no copy of a large payload
            self.sock.sendall(head)
            self.sock.sendall(payload)

    def poll(self, seconds: float) -> bool:
        """Whether a frame (or the end of the connection) is there to read, waiting at most ``seconds``."""
        return bool(self._poller.poll(max(seconds, 0.0) * 1000))

    def recv(self, seconds: float | None = None) -> bytes:
        """The next frame; once its first bytes are in, the rest must come within ``seconds`` (``None``: no limit).

        Raises:
            EOFError: the other side closed the connection. TimeoutError: the rest of the frame came too late.
            ValueError: the frame is larger than ``MAX_FRAME``.
        """
        data = self.sock.recv(_READ)
        if not data:
            raise EOFError("the connection was closed")
        deadline = None if seconds is None else time.monotonic() + seconds
        chunks, have = [data], len(data)
        while have < _LENGTH.size:
            have += self._more(chunks, deadline)
        data = b"".join(chunks) if len(chunks) > 1 else data
        (size,) = _LENGTH.unpack_from(data)
        if size > MAX_FRAME:
            raise ValueError(f"a frame of {size:,} bytes is over the limit of {MAX_FRAME:,}")
        if have > _LENGTH.size + size:
            raise ValueError("more bytes than one frame: the other side does not wait for its answer")
        chunks = [data]
        while have < _LENGTH.size + size:
            have += self._more(chunks, deadline, _LENGTH.size + size - have)
        data = b"".join(chunks) if len(chunks) > 1 else data
        return data[_LENGTH.size :]

    def _more(self, chunks: list[bytes], deadline: float | None, wanted: int = _READ) -> int:
        if deadline is not None and not self.poll(deadline - time.monotonic()):
            raise TimeoutError("the rest of the frame did not come in time")
        chunk = self.sock.recv(min(wanted, 1 << 20))
        if not chunk:
            raise EOFError("the connection was closed in the middle of a frame")
        chunks.append(chunk)
        return len(chunk)

    def fileno(self) -> int:
        return self.sock.fileno()

    def close(self) -> None:
        self.sock.close()
