"""DESIGN §3 framing: a 4-byte big-endian length N, then N bytes of one protobuf message,
with 1 <= N <= 1 MiB. The length is checked before any body byte is read (as ssh-agent
does). Errors never carry frame contents.
"""

from __future__ import annotations

import socket
import struct

from .errors import ProtocolError, Unavailable

__all__ = ["HEADER_SIZE", "MAX_BODY_SIZE", "encode_frame", "decode_header", "recv_exactly",
           "read_frame", "write_frame", "wipe"]

#: Bytes in the length prefix.
HEADER_SIZE = 4
#: Largest body sent or accepted: 1 MiB.
MAX_BODY_SIZE = 1 << 20

_HEADER = struct.Struct(">I")
_SEND_FLAGS = getattr(socket, "MSG_NOSIGNAL", 0)


def _check_length(length: int) -> None:
    if length == 0:
        raise ProtocolError(message="zero-length frame")
    if length > MAX_BODY_SIZE:
        raise ProtocolError(message="frame of %d bytes exceeds the 1 MiB limit" % length)


def encode_frame(body: bytes) -> bytes:
    """The frame (header and body) for ``body``.

    Raises:
        ProtocolError: ``body`` is empty or longer than 1 MiB.
    """
    _check_length(len(body))
    return _HEADER.pack(len(body)) + bytes(body)


def decode_header(header: bytes) -> int:
    """The body length announced by a 4-byte header.

    Raises:
        ProtocolError: the header is not 4 bytes, or announces 0 or more than 1 MiB.
    """
    if len(header) != HEADER_SIZE:
        raise ProtocolError(message="frame header of %d bytes, want %d" % (len(header), HEADER_SIZE))
    (length,) = _HEADER.unpack(bytes(header))
    _check_length(length)
    return length


def recv_exactly(sock: socket.socket, count: int) -> bytearray:
    """Reads exactly ``count`` bytes, however the kernel splits them.

    Raises:
        Unavailable: the peer closed the connection first (nothing read, or mid-frame).
        OSError: the socket failed or timed out.
    """
    buffer = bytearray(count)
    view = memoryview(buffer)
    filled = 0
    try:
        while filled < count:
            received = sock.recv_into(view[filled:], count - filled)
            if received == 0:
                why = "closed the connection" if filled == 0 else "closed the connection in the middle of a frame"
                raise Unavailable(message="the agent " + why)
            filled += received
    except BaseException:
        wipe(buffer)
        raise
    finally:
        view.release()
    return buffer


def read_frame(sock: socket.socket) -> bytearray:
    """Reads one frame and returns its body (the caller wipes it when done).

    Raises:
        ProtocolError: the header announces 0 or more than 1 MiB; nothing of the body is read.
        Unavailable: the connection closed before the frame was complete.
        OSError: the socket failed or timed out.
    """
    length = decode_header(recv_exactly(sock, HEADER_SIZE))
    return recv_exactly(sock, length)


def write_frame(sock: socket.socket, body: bytes) -> None:
    """Sends ``body`` as one frame (without SIGPIPE where the platform allows).

    Raises:
        ProtocolError: ``body`` is empty or longer than 1 MiB; nothing is sent.
        OSError: the socket failed or timed out.
    """
    _check_length(len(body))
    sock.sendall(_HEADER.pack(len(body)), _SEND_FLAGS)
    sock.sendall(body, _SEND_FLAGS)


def wipe(buffer: bytearray) -> None:
    """Overwrites ``buffer`` with zeros in place."""
    buffer[:] = bytes(len(buffer))
