"""A scripted stand-in for the agent on a temporary Unix socket, for tests that need no
real agent: it accepts one connection and runs a function against it in a thread."""

from __future__ import annotations

import os
import socket
import struct
import sys
import tempfile
import threading
from pathlib import Path

# Test the working tree, not an installed copy.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from secrets_agent_client import agent_pb2 as pb  # noqa: E402


def read_request(conn: socket.socket) -> pb.Request:
    """Reads one framed Request (the fake trusts its own tests: no bound checks)."""
    (length,) = struct.unpack(">I", _read(conn, 4))
    request = pb.Request()
    request.ParseFromString(_read(conn, length))
    return request


def send_response(conn: socket.socket, response: pb.Response) -> None:
    body = response.SerializeToString()
    send_raw(conn, struct.pack(">I", len(body)) + body)


def send_raw(conn: socket.socket, data: bytes) -> None:
    conn.sendall(data)


def answer_hello(conn: socket.socket, protocol_version: int = 1, locked: bool = False) -> pb.Request:
    """Reads the Hello and answers it; returns the request."""
    request = read_request(conn)
    response = pb.Response(request_id=request.request_id)
    response.hello.agent_version = "0.1.0-fake"
    response.hello.protocol_version = protocol_version
    response.hello.locked = locked
    send_response(conn, response)
    return request


def peer_closed(conn: socket.socket, timeout: float = 5.0) -> bool:
    """True when the client closed its end (EOF within `timeout`)."""
    conn.settimeout(timeout)
    try:
        return conn.recv(1) == b""
    except (socket.timeout, OSError):
        return False


def _read(conn: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = conn.recv(count - len(data))
        if not chunk:
            raise EOFError("client closed the connection")
        data += chunk
    return data


class FakeAgent:
    """Listens on a fresh socket path; `script(conn)` runs in a thread for the first
    connection. Its return value or exception is kept for `join()`."""

    def __init__(self, script) -> None:
        self.directory = tempfile.mkdtemp(prefix="sa-fake-agent.")
        self.path = os.path.join(self.directory, "agent.sock")
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(self.path)
        self._listener.listen(1)
        self._script = script
        self.result = None
        self.error = None
        self._joined = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        self._listener.settimeout(10)
        try:
            conn, _ = self._listener.accept()
            with conn:
                self.result = self._script(conn)
        except BaseException as error:  # reported by join()
            self.error = error

    def join(self):
        """Waits for the script and returns its result (re-raising its failure)."""
        if not self._joined:
            self._joined = True
            self._thread.join(10)
            self._listener.close()
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass
            os.rmdir(self.directory)
        if self._thread.is_alive():
            raise AssertionError("the fake agent's script did not finish")
        if self.error is not None:
            raise self.error
        return self.result

    def __enter__(self) -> "FakeAgent":
        return self

    def __exit__(self, *exc_info) -> None:
        if exc_info[0] is None:
            self.join()
        else:  # the test already failed; report that failure, not the script's
            try:
                self.join()
            except BaseException:
                pass
