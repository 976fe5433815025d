"""A blocking client for a running secrets-agent, over its Unix socket.

One function per request, all through one request/reply routine (as OpenSSH's authfd.c),
speaking the framed protobuf protocol of ``proto/secrets_agent/v1`` (DESIGN §3).
"""

from __future__ import annotations

import errno
import os
import socket
import threading
from typing import List, Optional

from google.protobuf.message import DecodeError

from . import agent_pb2 as pb
from ._framing import read_frame, wipe, write_frame
from .errors import PermissionDenied, ProtocolError, SecretsAgentError, Unavailable, error_from_wire
from .secret import Secret, SecretInfo

__all__ = ["Client", "default_socket_path", "default_environment", "PROTOCOL_VERSION", "CLIENT_NAME"]

#: The protocol version this client speaks.
PROTOCOL_VERSION = 1
#: How this client introduces itself in ``Hello``.
CLIENT_NAME = "secrets-agent-python/0.1"


def _variable(name: str) -> Optional[str]:
    value = os.environ.get(name)
    return value if value else None


def default_socket_path() -> str:
    """Where the agent listens when no path is given (DESIGN §12):
    ``$SECRETS_AGENT_SOCK``, else ``$XDG_RUNTIME_DIR/secrets-agent/agent.sock`` for a
    non-root user with a runtime directory, else ``/run/secrets-agent/agent.sock``.
    Empty variables count as unset."""
    explicit = _variable("SECRETS_AGENT_SOCK")
    if explicit:
        return explicit
    runtime = _variable("XDG_RUNTIME_DIR")
    if runtime and os.geteuid() != 0:
        return runtime + "/secrets-agent/agent.sock"
    return "/run/secrets-agent/agent.sock"


def default_environment() -> str:
    """The environment used when none is given: ``$SECRETS_AGENT_ENV``, else
    ``development`` (as the CLI does)."""
    return _variable("SECRETS_AGENT_ENV") or "development"


class Client:
    """A connection to the agent. Blocking; one request at a time (a lock serialises
    threads sharing one client). Use it as a context manager or call :meth:`close`.

    Example::

        with Client() as agent:
            with agent.get("openai/key", environment="production") as secret:
                use(secret.text())

    Attributes:
        socket_path: the socket this client is connected to.
        agent_version: the agent's version, from its answer to ``Hello``.
        protocol_version: the protocol version the agent speaks.
        locked: whether the agent was locked when this client connected.
    """

    def __init__(self, socket_path: Optional[str] = None, *, timeout: Optional[float] = None) -> None:
        """Connects to the agent at ``socket_path`` (default: :func:`default_socket_path`)
        and says ``Hello``.

        Args:
            socket_path: the agent's socket.
            timeout: seconds to wait for the connection and for each reply; None waits
                as long as it takes.

        Raises:
            Unavailable: no agent answers at the path (missing socket, refused, timed out,
                connection lost), naming the path.
            PermissionDenied: the socket's mode keeps this user out, or the agent's policy
                refuses this caller.
            ProtocolError: the agent answered ``Hello`` with something else, or speaks
                another protocol version.
        """
        self.socket_path = socket_path or default_socket_path()
        self.agent_version = ""
        self.protocol_version = 0
        self.locked = False
        self._lock = threading.Lock()
        self._next_request_id = 1
        self._socket: Optional[socket.socket] = None
        self._socket = self._connect(timeout)
        try:
            reply = self._call("hello", pb.Hello(protocol_version=PROTOCOL_VERSION, client=CLIENT_NAME))
            if reply.protocol_version != PROTOCOL_VERSION:
                raise ProtocolError(message="the agent at %s speaks protocol version %d, this client %d "
                                    "(use a client that matches the agent)"
                                    % (self.socket_path, reply.protocol_version, PROTOCOL_VERSION))
        except BaseException:
            self.close()
            raise
        self.agent_version = reply.agent_version
        self.protocol_version = reply.protocol_version
        self.locked = reply.locked

    def _connect(self, timeout: Optional[float]) -> socket.socket:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(self.socket_path)
        except OSError as error:
            sock.close()
            why = _describe(error)
            if error.errno in (errno.EACCES, errno.EPERM):
                raise PermissionDenied(message="cannot connect to %s: %s (the socket's mode keeps you out; "
                                       "ask the agent's owner for access)" % (self.socket_path, why)) from None
            raise Unavailable(message="cannot connect to %s: %s (start the agent: secrets-agent serve)"
                              % (self.socket_path, why)) from None
        return sock

    # -- requests -----------------------------------------------------------------------

    def get(self, name: str, environment: str = "", version: int = 0) -> Secret:
        """Reads the value of secret ``name``.

        Args:
            name: the secret's name, e.g. ``"db/main/pass"``.
            environment: where to read it; empty means :func:`default_environment`.
            version: a kept version to read; 0 means the current one.

        Returns:
            A :class:`Secret` (clear it, or use it in a ``with`` block, when done).

        Raises:
            NotFound: no such secret, environment or version.
            PermissionDenied: the policy does not grant this caller the full value.
            Locked: the agent is locked.
            IntegrityFailure: the stored ciphertext failed its integrity check.
            InvalidArgument: the name, environment or version is malformed.
            Unavailable: the connection to the agent was lost.
        """
        request = pb.GetRequest(name=name, environment=environment or default_environment(),
                                version=version, masked=False)
        reply = self._call("get", request)
        try:
            return Secret(reply.name or name, reply.environment or request.environment, reply.version, reply.value)
        finally:
            reply.Clear()

    def list(self, environment: str = "", prefix: str = "") -> List[SecretInfo]:
        """Metadata of the secrets this caller may see, sorted as the agent sends them.
        A listing larger than one reply is fetched page by page on this connection.

        Args:
            environment: only this environment; empty means every environment.
            prefix: only names starting with this.

        Returns:
            A list of :class:`SecretInfo` (never values).

        Raises:
            PermissionDenied: the policy refuses listing (that environment) to this caller.
            Locked: the agent is locked.
            InvalidArgument: the environment is malformed.
            Unavailable: the connection to the agent was lost.
        """
        request = pb.ListRequest(environment=environment, prefix=prefix)
        infos: List[SecretInfo] = []
        while True:
            reply = self._call("list", request)
            infos.extend(
                SecretInfo(
                    name=meta.name,
                    environment=meta.environment,
                    version=meta.current_version,
                    version_count=meta.version_count,
                    created_at=SecretInfo.time_from_unix_ms(meta.created_at_unix_ms),
                    updated_at=SecretInfo.time_from_unix_ms(meta.updated_at_unix_ms),
                )
                for meta in reply.secrets
            )
            if not reply.next_after_name:
                return infos
            cursor = (reply.next_after_environment, reply.next_after_name)
            if cursor == (request.after_environment, request.after_name):
                self.close()
                raise ProtocolError(message="the agent at %s did not move past %s in its list (upgrade the agent "
                                    "or this client to the same version)" % (self.socket_path, cursor[1]))
            request.after_environment, request.after_name = cursor

    # -- connection ---------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        """True once the connection is closed (by :meth:`close` or after a protocol error)."""
        return self._socket is None

    def close(self) -> None:
        """Closes the connection; later requests raise :class:`Unavailable`. Idempotent."""
        sock, self._socket = self._socket, None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked reading a reply
            except OSError:
                pass
            sock.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_socket", None) is not None:
            self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "connected"
        return "Client(socket_path=%r, %s)" % (self.socket_path, state)

    def _call(self, op: str, message):
        """Sends one request with ``op`` set to ``message`` and returns the matching reply
        field. Agent errors are raised as :class:`SecretsAgentError` subclasses; any breach
        of the protocol closes the connection and raises :class:`ProtocolError`."""
        with self._lock:
            sock = self._socket
            if sock is None:
                raise Unavailable(message="the connection to the agent at %s is closed (open a new Client)"
                                  % self.socket_path)
            request_id = self._next_request_id
            self._next_request_id += 1
            request = pb.Request(request_id=request_id)
            getattr(request, op).CopyFrom(message)
            try:
                write_frame(sock, request.SerializeToString())
                body = read_frame(sock)
            except SecretsAgentError:
                self.close()
                raise
            except socket.timeout:
                self.close()
                raise Unavailable(message="the agent at %s did not answer in time (check that it is running: "
                                  "secrets-agent status)" % self.socket_path) from None
            except OSError as error:
                self.close()
                raise Unavailable(message="lost the connection to the agent at %s: %s (check that it is running: "
                                  "secrets-agent status)" % (self.socket_path, _describe(error))) from None
            response = pb.Response()
            try:
                response.ParseFromString(memoryview(body))
                undecodable = False
            except DecodeError:
                undecodable = True
            finally:
                wipe(body)
            if undecodable:
                self.close()
                raise ProtocolError(message="the agent at %s sent an undecodable response" % self.socket_path)
            return self._result(response, request_id, op)

    def _result(self, response, request_id: int, op: str):
        kind = response.WhichOneof("result")
        if kind == "error":
            # Request id 0: the agent rejected the frame itself and closes the connection.
            if response.request_id not in (request_id, 0):
                self.close()
                raise ProtocolError(message="the agent at %s answered request %d with an error for request %d"
                                    % (self.socket_path, request_id, response.request_id))
            if response.request_id == 0:
                self.close()
            raise error_from_wire(response.error.code, response.error.message)
        if response.request_id != request_id:
            response.Clear()
            self.close()
            raise ProtocolError(message="the agent at %s answered request %d with request id %d"
                                % (self.socket_path, request_id, response.request_id))
        if kind != op:
            response.Clear()
            self.close()
            raise ProtocolError(message="the agent at %s answered a %s request with %s (is it the same version "
                                "as this client?)" % (self.socket_path, op, kind or "an empty response"))
        return getattr(response, op)


def _describe(error: OSError) -> str:
    """An OSError's reason in lower case, without the path or any data."""
    if error.errno is not None:
        return os.strerror(error.errno).lower()
    return str(error) or type(error).__name__
