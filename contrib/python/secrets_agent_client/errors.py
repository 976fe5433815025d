"""Errors raised by the client: one exception class per wire error code.

Every failure is a :class:`SecretsAgentError` carrying the protocol's ``ErrorCode`` and a
one-line message. Messages come from the agent or from this client and never contain a
secret value (DESIGN §3, §11).
"""

from __future__ import annotations

import enum
from typing import Dict, Type

__all__ = [
    "ErrorCode",
    "SecretsAgentError",
    "InvalidArgument",
    "NotFound",
    "Conflict",
    "AlreadyExists",
    "PermissionDenied",
    "Locked",
    "IntegrityFailure",
    "Unavailable",
    "ResourceExhausted",
    "Internal",
    "ProtocolError",
    "error_from_wire",
]


class ErrorCode(enum.IntEnum):
    """The ``secrets_agent.v1.ErrorCode`` enum, value for value."""

    ERROR_CODE_UNSPECIFIED = 0
    INVALID_ARGUMENT = 1
    NOT_FOUND = 2
    ALREADY_EXISTS = 3
    PERMISSION_DENIED = 4
    LOCKED = 5
    CONFLICT = 6
    INTEGRITY_FAILURE = 7
    UNAVAILABLE = 8
    RESOURCE_EXHAUSTED = 9
    INTERNAL = 10


class SecretsAgentError(Exception):
    """Base class of every error this package raises.

    Attributes:
        code: the :class:`ErrorCode` (an ``int``; unknown codes from a newer agent are kept
            as plain integers).
        message: one line saying what failed and, where it helps, what to do. Never a value.
    """

    #: The code an instance gets when none is given; each subclass names its own.
    default_code: int = ErrorCode.ERROR_CODE_UNSPECIFIED

    def __init__(self, code: int | None = None, message: str = "") -> None:
        if code is None:
            code = self.default_code
        try:
            code = ErrorCode(code)
        except ValueError:
            code = int(code)
        super().__init__(code, message)
        self.code = code
        self.message = message

    @property
    def code_name(self) -> str:
        """The code's wire name, e.g. ``"NOT_FOUND"`` (``"CODE_<n>"`` if unknown)."""
        return self.code.name if isinstance(self.code, ErrorCode) else "CODE_%d" % self.code

    def __str__(self) -> str:
        return self.message or self.code_name.lower().replace("_", " ")

    def __repr__(self) -> str:
        return "%s(code=%s, message=%r)" % (type(self).__name__, self.code_name, self.message)

    def __reduce__(self):  # keep pickling (e.g. multiprocessing) working with two arguments
        return (type(self), (int(self.code), self.message))


class InvalidArgument(SecretsAgentError):
    """A malformed name, environment or request (``INVALID_ARGUMENT``)."""

    default_code = ErrorCode.INVALID_ARGUMENT


class NotFound(SecretsAgentError):
    """No such secret, environment or version (``NOT_FOUND``)."""

    default_code = ErrorCode.NOT_FOUND


class Conflict(SecretsAgentError):
    """A check-and-set lost (``CONFLICT``); also the base of :class:`AlreadyExists`,
    since the CLI reports both with exit code 8."""

    default_code = ErrorCode.CONFLICT


class AlreadyExists(Conflict):
    """The secret already exists (``ALREADY_EXISTS``)."""

    default_code = ErrorCode.ALREADY_EXISTS


class PermissionDenied(SecretsAgentError):
    """The agent's policy refuses this caller or operation, or the socket's mode keeps the
    caller out (``PERMISSION_DENIED``)."""

    default_code = ErrorCode.PERMISSION_DENIED


class Locked(SecretsAgentError):
    """The agent is locked: it holds no master key (``LOCKED``). An admin unlocks it with
    ``secrets-agent unlock``."""

    default_code = ErrorCode.LOCKED


class IntegrityFailure(SecretsAgentError):
    """A stored ciphertext failed authentication (``INTEGRITY_FAILURE``)."""

    default_code = ErrorCode.INTEGRITY_FAILURE


class Unavailable(SecretsAgentError):
    """No agent answers: the socket is missing, refuses connections, the connection was
    lost or timed out, or the agent reported ``UNAVAILABLE``."""

    default_code = ErrorCode.UNAVAILABLE


class ResourceExhausted(SecretsAgentError):
    """A limit was reached (``RESOURCE_EXHAUSTED``)."""

    default_code = ErrorCode.RESOURCE_EXHAUSTED


class Internal(SecretsAgentError):
    """The agent failed internally (``INTERNAL``)."""

    default_code = ErrorCode.INTERNAL


class ProtocolError(Internal):
    """The conversation broke the wire protocol: a frame outside 1 byte..1 MiB, an
    undecodable message, a response whose request id or kind does not match the request,
    or an unsupported protocol version. The client closes the connection when it raises
    this."""


_BY_CODE: Dict[int, Type[SecretsAgentError]] = {
    ErrorCode.INVALID_ARGUMENT: InvalidArgument,
    ErrorCode.NOT_FOUND: NotFound,
    ErrorCode.ALREADY_EXISTS: AlreadyExists,
    ErrorCode.PERMISSION_DENIED: PermissionDenied,
    ErrorCode.LOCKED: Locked,
    ErrorCode.CONFLICT: Conflict,
    ErrorCode.INTEGRITY_FAILURE: IntegrityFailure,
    ErrorCode.UNAVAILABLE: Unavailable,
    ErrorCode.RESOURCE_EXHAUSTED: ResourceExhausted,
    ErrorCode.INTERNAL: Internal,
}


def error_from_wire(code: int, message: str) -> SecretsAgentError:
    """The exception for an ``Error{code, message}`` the agent sent.

    Codes this client does not know (from a newer agent) become a plain
    :class:`SecretsAgentError` that keeps the numeric code.
    """
    cls = _BY_CODE.get(code, SecretsAgentError)
    return cls(code, message)
