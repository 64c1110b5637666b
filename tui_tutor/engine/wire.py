"""Length-prefixed pickles over pipes: how the app and the engine's processes talk (no sympy here).

Both ends are our own processes on anonymous pipes, and still a message is read as data only:
:class:`_DataUnpickler` builds plain values (numbers, strings, lists, dicts, tuples), the engine's
result dataclasses (``results`` and the scratchpad's ``player_results``) and its exceptions, and
refuses every other global — so whatever reached a pipe could not make the reader call a function
of its choosing (pickle's way of running code). A message larger than :data:`MAX_MESSAGE` is
refused rather than read.
"""

from __future__ import annotations

import io
import pickle
import struct
from typing import Any, BinaryIO

MAX_MESSAGE = 64 * 1024 * 1024
HEADER = struct.Struct("!I")
ALLOWED_PREFIX = "tui_tutor.engine."  # a call names a function of a module in this package, nothing else


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
    """Read one message. Raises EOFError when the pipe closes (also part way through a message),
    pickle.UnpicklingError when it names a class that is not plain data."""
    return loads(receive_frame(stream)[HEADER.size:])


def loads(data: bytes) -> Any:
    """Unpickle ``data`` as data only (see :class:`_DataUnpickler`)."""
    return _DataUnpickler(io.BytesIO(data)).load()


# What may cross the pipes besides pickle's own containers and scalars: the engine's plain results
# (the scratchpad's among them) and the exceptions it sends back (host.portable turns any other
# exception into a ValueError).
# Building an exception or a dataclass runs no code of the sender's choosing; calling anything
# else might.
_DATA_BUILTINS = frozenset({"complex", "frozenset", "set", "range", "slice"})
_RESULTS = frozenset({"tui_tutor.engine.results", "tui_tutor.engine.player_results"})
_EXCEPTION_MODULES = frozenset({"builtins", "tui_tutor.engine.errors", "tui_tutor.engine.worker"})


class _DataUnpickler(pickle.Unpickler):
    """An unpickler that builds data, never calls: globals outside the short list are refused."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "builtins" and name in _DATA_BUILTINS:
            return super().find_class(module, name)
        if module in _RESULTS or module in _EXCEPTION_MODULES:
            found = super().find_class(module, name)
            if isinstance(found, type) and (
                issubclass(found, BaseException) if module in _EXCEPTION_MODULES else not name.startswith("_")
            ):
                return found
        raise pickle.UnpicklingError(f"an engine message named {module}.{name}, which is not plain data")


def _read_exact(stream: BinaryIO, size: int) -> bytes:
    chunks, remaining = [], size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            raise EOFError("an engine process closed its pipe")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
