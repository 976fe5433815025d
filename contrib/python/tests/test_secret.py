"""Secret redaction and wiping, SecretInfo times, the error mapping, and default paths;
no agent needed."""

from __future__ import annotations

import copy
import datetime
import os
import pickle
import tempfile
import traceback
import unittest
from unittest import mock

# fake_agent first: it puts the working tree's package first on sys.path.
import fake_agent  # noqa: F401

from secrets_agent_client import (
    AlreadyExists,
    Client,
    Conflict,
    ErrorCode,
    Internal,
    NotFound,
    ProtocolError,
    Secret,
    SecretInfo,
    SecretsAgentError,
    Unavailable,
    agent_pb2 as pb,
    default_environment,
    default_socket_path,
)
from secrets_agent_client.errors import error_from_wire

VALUE = b"sk-live-0123456789abcdef"


class SecretTests(unittest.TestCase):
    def test_every_string_form_is_redacted(self):
        secret = Secret("openai/key", "production", 4, VALUE)
        for text in (repr(secret), str(secret), f"{secret}", "%s" % secret, "{!r}".format(secret),
                     f"{secret:>12}".strip(), repr([secret]), repr({"k": secret})):
            self.assertIn("[REDACTED]", text)
            self.assertNotIn("sk-live", text)
        self.assertEqual(repr(secret), "[REDACTED]")
        self.assertEqual(str(secret), "[REDACTED]")
        self.assertFalse(hasattr(secret, "__dict__"), "no __dict__ for vars() to dump")

    def test_value_and_text_are_copies_of_the_value(self):
        secret = Secret("openai/key", "production", 4, VALUE)
        self.assertEqual(secret.value, VALUE)
        self.assertIsInstance(secret.value, bytes)
        self.assertEqual(secret.text(), VALUE.decode())
        self.assertEqual(len(secret), len(VALUE))
        self.assertEqual((secret.name, secret.environment, secret.version), ("openai/key", "production", 4))

    def test_clear_zeroes_the_buffer_in_place(self):
        secret = Secret("openai/key", "production", 4, VALUE)
        view = memoryview(secret._buffer)  # pins the allocation: the wipe must happen in place
        secret.clear()
        self.assertEqual(bytes(view), bytes(len(VALUE)))
        view.release()
        self.assertTrue(secret.cleared)
        with self.assertRaises(ValueError) as caught:
            secret.value
        self.assertIn("openai/key", str(caught.exception))
        with self.assertRaises(ValueError):
            secret.text()
        secret.clear()  # idempotent
        self.assertEqual(len(secret), 0)

    def test_a_with_block_clears_on_exit(self):
        with Secret("a", "development", 1, VALUE) as secret:
            buffer = secret._buffer
            self.assertEqual(secret.value, VALUE)
        self.assertTrue(secret.cleared)
        self.assertEqual(buffer, bytearray())

    def test_garbage_collection_clears(self):
        secret = Secret("a", "development", 1, VALUE)
        view = memoryview(secret._buffer)
        del secret
        self.assertEqual(bytes(view), bytes(len(VALUE)))

    def test_the_source_buffer_is_copied(self):
        source = bytearray(VALUE)
        secret = Secret("a", "development", 1, source)
        source[:] = bytes(len(source))
        self.assertEqual(secret.value, VALUE)

    def test_it_cannot_be_pickled_or_copied(self):
        secret = Secret("a", "development", 1, VALUE)
        for attempt in (lambda: pickle.dumps(secret), lambda: copy.copy(secret), lambda: copy.deepcopy(secret)):
            with self.assertRaises(TypeError):
                attempt()

    def test_invalid_text_names_the_offset_never_the_bytes(self):
        secret = Secret("bin/blob", "development", 1, b"ok\xfe\xff" + VALUE)
        try:
            secret.text()
        except ValueError as error:
            printed = "".join(traceback.format_exception(type(error), error, error.__traceback__))
            self.assertIn("bin/blob in development is not valid utf-8 text at byte 2", printed)
            self.assertNotIn("0xfe", printed)
            self.assertNotIn("sk-live", printed)
            self.assertIsNone(error.__context__, "the UnicodeDecodeError holding the value is dropped")
        else:
            self.fail("text() decoded invalid UTF-8")


class SecretInfoTests(unittest.TestCase):
    def test_times_are_utc_and_zero_means_unset(self):
        self.assertIsNone(SecretInfo.time_from_unix_ms(0))
        self.assertEqual(SecretInfo.time_from_unix_ms(1_700_000_000_123),
                         datetime.datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=datetime.timezone.utc))


class ErrorTests(unittest.TestCase):
    def test_error_codes_match_the_proto(self):
        self.assertEqual({code.name: code.value for code in ErrorCode}, dict(pb.ErrorCode.items()))

    def test_every_wire_code_maps_to_its_class(self):
        expected = {
            "INVALID_ARGUMENT": "InvalidArgument", "NOT_FOUND": "NotFound", "ALREADY_EXISTS": "AlreadyExists",
            "PERMISSION_DENIED": "PermissionDenied", "LOCKED": "Locked", "CONFLICT": "Conflict",
            "INTEGRITY_FAILURE": "IntegrityFailure", "UNAVAILABLE": "Unavailable",
            "RESOURCE_EXHAUSTED": "ResourceExhausted", "INTERNAL": "Internal",
        }
        for name, cls in expected.items():
            error = error_from_wire(pb.ErrorCode.Value(name), "why (what to do)")
            self.assertEqual(type(error).__name__, cls)
            self.assertIsInstance(error, SecretsAgentError)
            self.assertEqual(error.code, pb.ErrorCode.Value(name))
            self.assertEqual(error.code_name, name)
            self.assertEqual(error.message, "why (what to do)")
            self.assertEqual(str(error), "why (what to do)")

    def test_already_exists_is_a_conflict_and_protocol_error_is_internal(self):
        self.assertTrue(issubclass(AlreadyExists, Conflict))
        self.assertTrue(issubclass(ProtocolError, Internal))
        self.assertEqual(ProtocolError(message="x").code, ErrorCode.INTERNAL)

    def test_an_unknown_code_is_kept(self):
        error = error_from_wire(42, "from a newer agent")
        self.assertIs(type(error), SecretsAgentError)
        self.assertEqual(error.code, 42)
        self.assertEqual(error.code_name, "CODE_42")

    def test_errors_repr_and_pickle(self):
        error = NotFound(ErrorCode.NOT_FOUND, "app/token not found in development")
        self.assertEqual(repr(error), "NotFound(code=NOT_FOUND, message='app/token not found in development')")
        restored = pickle.loads(pickle.dumps(error))
        self.assertIs(type(restored), NotFound)
        self.assertEqual((restored.code, restored.message), (error.code, error.message))


class DefaultPathTests(unittest.TestCase):
    def paths(self, environment, euid):
        with mock.patch.dict(os.environ, environment, clear=True), mock.patch("os.geteuid", return_value=euid):
            return default_socket_path()

    def test_the_variable_wins(self):
        self.assertEqual(self.paths({"SECRETS_AGENT_SOCK": "/x/agent.sock", "XDG_RUNTIME_DIR": "/run/user/1000"}, 1000),
                         "/x/agent.sock")

    def test_a_user_with_a_runtime_directory(self):
        self.assertEqual(self.paths({"XDG_RUNTIME_DIR": "/run/user/1000"}, 1000),
                         "/run/user/1000/secrets-agent/agent.sock")
        self.assertEqual(self.paths({"SECRETS_AGENT_SOCK": "", "XDG_RUNTIME_DIR": "/run/user/1000"}, 1000),
                         "/run/user/1000/secrets-agent/agent.sock", "an empty variable counts as unset")

    def test_root_or_no_runtime_directory(self):
        self.assertEqual(self.paths({"XDG_RUNTIME_DIR": "/run/user/0"}, 0), "/run/secrets-agent/agent.sock")
        self.assertEqual(self.paths({}, 1000), "/run/secrets-agent/agent.sock")

    def test_default_environment(self):
        with mock.patch.dict(os.environ, {}, clear=True):
            self.assertEqual(default_environment(), "development")
        with mock.patch.dict(os.environ, {"SECRETS_AGENT_ENV": "staging"}, clear=True):
            self.assertEqual(default_environment(), "staging")

    def test_no_agent_is_unavailable_and_names_the_path(self):
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "agent.sock")
            with self.assertRaises(Unavailable) as caught:
                Client(path)
            self.assertEqual(str(caught.exception),
                             "cannot connect to %s: no such file or directory (start the agent: secrets-agent serve)" % path)
            self.assertEqual(caught.exception.code, ErrorCode.UNAVAILABLE)

    def test_a_missing_default_socket_is_unavailable(self):
        with tempfile.TemporaryDirectory() as directory:
            with mock.patch.dict(os.environ, {"SECRETS_AGENT_SOCK": directory + "/nothing.sock"}):
                with self.assertRaises(Unavailable) as caught:
                    Client()
            self.assertIn(directory + "/nothing.sock", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
