"""What the client hands back: a :class:`Secret` holding a value, and :class:`SecretInfo`
holding metadata only."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Optional

from ._framing import wipe

__all__ = ["Secret", "SecretInfo", "REDACTED"]

#: What every string form of a :class:`Secret` says.
REDACTED = "[REDACTED]"


class Secret:
    """One version of a secret's value, held in a ``bytearray`` that is zeroed by
    :meth:`clear`, when a ``with`` block around it ends, or when it is garbage-collected.

    ``str()``, ``repr()`` and formatting print ``[REDACTED]``, so a value does not end up in a
    log line or traceback by accident; it cannot be pickled. Read the value with
    :attr:`value` or :meth:`text` at the point where it is needed.

    Python cannot promise that no other copy exists: the received protobuf message held the
    value in an immutable ``bytes`` object that is freed, not wiped, and every ``bytes`` or
    ``str`` returned by :attr:`value` / :meth:`text` is a new copy the caller owns.

    Attributes:
        name: the secret's name, e.g. ``"openai/key"``.
        environment: the environment it was read from, e.g. ``"production"``.
        version: the version read (never 0).
    """

    __slots__ = ("name", "environment", "version", "_buffer", "_cleared")

    def __init__(self, name: str, environment: str, version: int, value) -> None:
        """Copies ``value`` (bytes-like) into a new ``bytearray``."""
        self.name = name
        self.environment = environment
        self.version = version
        self._buffer = bytearray(value)
        self._cleared = False

    @property
    def value(self) -> bytes:
        """A ``bytes`` copy of the value.

        Raises:
            ValueError: the secret has been cleared.
        """
        self._check_not_cleared()
        return bytes(self._buffer)

    def text(self, encoding: str = "utf-8") -> str:
        """The value decoded as text (UTF-8 unless ``encoding`` says otherwise).

        Raises:
            ValueError: the secret has been cleared, or the value is not valid in
                ``encoding`` (the error names the secret and the offset, not the bytes).
        """
        self._check_not_cleared()
        try:
            return self._buffer.decode(encoding)
        except UnicodeDecodeError as error:
            offset = error.start
        # Raised outside the except block: the UnicodeDecodeError holds the whole value and
        # quotes a byte of it, so it must not become this exception's context.
        raise ValueError("%s in %s is not valid %s text at byte %d (read .value for binary values)"
                         % (self.name, self.environment, encoding, offset))

    def clear(self) -> None:
        """Zeroes the value in place and forgets it; later reads raise ``ValueError``."""
        buffer = getattr(self, "_buffer", None)
        if buffer is not None:
            wipe(buffer)
            try:
                del buffer[:]
            except BufferError:  # a memoryview of it is alive: it stays, zeroed
                pass
        self._cleared = True

    @property
    def cleared(self) -> bool:
        """True once :meth:`clear` has run."""
        return self._cleared

    def __len__(self) -> int:
        """The value's length in bytes (0 once cleared)."""
        return len(self._buffer)

    def __enter__(self) -> "Secret":
        return self

    def __exit__(self, *exc_info) -> None:
        self.clear()

    def __del__(self) -> None:
        self.clear()

    def __repr__(self) -> str:
        return REDACTED

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return format(REDACTED, spec)

    def __reduce__(self):
        raise TypeError("a Secret cannot be pickled or copied (read .value explicitly)")

    def _check_not_cleared(self) -> None:
        if self._cleared:
            raise ValueError("%s in %s has been cleared" % (self.name, self.environment))


@dataclass(frozen=True)
class SecretInfo:
    """Metadata of one secret, as ``list`` returns it; never a value.

    Attributes:
        name: the secret's name.
        environment: its environment.
        version: the current version.
        version_count: how many versions the store keeps.
        created_at: when the secret was first stored (UTC), or None if the agent did not say.
        updated_at: when the current version was stored (UTC), or None if the agent did not say.
    """

    name: str
    environment: str
    version: int
    version_count: int = 0
    created_at: Optional[datetime.datetime] = None
    updated_at: Optional[datetime.datetime] = None

    @staticmethod
    def time_from_unix_ms(milliseconds: int) -> Optional[datetime.datetime]:
        """A UTC datetime for a wire timestamp; None for 0 (unset)."""
        if not milliseconds:
            return None
        return datetime.datetime.fromtimestamp(milliseconds / 1000, tz=datetime.timezone.utc)
