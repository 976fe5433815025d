"""Python client for secrets-agent, the per-host secrets daemon.

Talks to a running agent over its Unix socket with the framed protobuf protocol of
``proto/secrets_agent/v1`` (4-byte big-endian length, then one message; 1 byte..1 MiB).
Standard library plus ``protobuf`` only; blocking.

Example::

    from secrets_agent_client import Client, NotFound

    with Client() as agent:                      # $SECRETS_AGENT_SOCK or the default path
        with agent.get("openai/key", environment="production") as secret:
            key = secret.text()                  # repr(secret) == "[REDACTED]"
        for info in agent.list(prefix="db/"):
            print(info.name, info.environment, info.version)

Every failure raises a :class:`SecretsAgentError` subclass named after the wire error code
(:class:`NotFound`, :class:`PermissionDenied`, :class:`Locked`, :class:`Unavailable`, ...).
No message ever contains a value.
"""

from .client import CLIENT_NAME, PROTOCOL_VERSION, Client, default_environment, default_socket_path
from .errors import (
    AlreadyExists,
    Conflict,
    ErrorCode,
    IntegrityFailure,
    Internal,
    InvalidArgument,
    Locked,
    NotFound,
    PermissionDenied,
    ProtocolError,
    ResourceExhausted,
    SecretsAgentError,
    Unavailable,
)
from .secret import REDACTED, Secret, SecretInfo

__version__ = "0.1.0"

__all__ = [
    "Client",
    "Secret",
    "SecretInfo",
    "REDACTED",
    "default_socket_path",
    "default_environment",
    "PROTOCOL_VERSION",
    "CLIENT_NAME",
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
    "__version__",
]
