"""Length-prefixed pickles over pipes: how the app and the engine's processes talk (no sympy here).

Every process on both ends is our own code, so unpickling what they send is safe; a message
larger than :data:`MAX_MESSAGE` is refused rather than read.
"""

from __future__ import annotations

import pickle
import struct
from typing import Any, BinaryIO

MAX_MESSAGE = 64 * 1024 * 1024
HEADER = struct.Struct("!I")


def dumps(message: Any) -> bytes:
    """One framed message, ready for :func:`send_frame`."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(data)) + data


def send(stream: BinaryIO, message: Any) -> None:
    """Write one message."""
    send_frame(stream, dumps(message))


def send_frame(stream: BinaryIO, frame: bytes) -> None:
    """Write a framed message (from :func:`dumps` or :func:`receive_frame`) whole."""
    view = memoryview(frame)
    while view:  # an unbuffered pipe may take only part of a large message per write
        written = stream.write(view)
        view = view[written if written is not None else len(view):]
    stream.flush()


def receive_frame(stream: BinaryIO) -> bytes:
    """Read one framed message without unpickling it. Raises EOFError when the pipe closes."""
    header = _read_exact(stream, HEADER.size)
    (size,) = HEADER.unpack(header)
    if size > MAX_MESSAGE:
        raise EOFError("an engine process sent an oversized message")
    return header + _read_exact(stream, size)


def receive(stream: BinaryIO) -> Any:
    """Read one message. Raises EOFError when the pipe closes (also part way through a message)."""
    return pickle.loads(receive_frame(stream)[HEADER.size:])


def _read_exact(stream: BinaryIO, size: int) -> bytes:
    chunks, remaining = [], size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            raise EOFError("an engine process closed its pipe")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
