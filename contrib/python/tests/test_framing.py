"""Framing and the request/reply routine, without an agent: frames encode and decode, the
1 MiB bound holds both ways, short reads are reassembled, and a scripted fake agent that
breaks the protocol (wrong request id, oversize or undecodable frame, wrong reply kind)
gets the connection closed."""

from __future__ import annotations

import socket
import struct
import threading
import unittest

# fake_agent first: it puts the working tree's package first on sys.path.
from fake_agent import FakeAgent, answer_hello, peer_closed, read_request, send_raw, send_response

from secrets_agent_client import (
    Client,
    Locked,
    NotFound,
    PermissionDenied,
    ProtocolError,
    Unavailable,
    agent_pb2 as pb,
)
from secrets_agent_client._framing import (
    MAX_BODY_SIZE,
    decode_header,
    encode_frame,
    read_frame,
    recv_exactly,
    write_frame,
)

MIB = 1 << 20


def socket_pair():
    """A connected pair that fails a test in 5 s instead of hanging it."""
    left, right = socket.socketpair()
    left.settimeout(5)
    right.settimeout(5)
    return left, right


class FrameCodecTests(unittest.TestCase):
    def test_encode_prefixes_a_big_endian_length(self):
        self.assertEqual(encode_frame(b"abc"), b"\x00\x00\x00\x03abc")
        self.assertEqual(encode_frame(b"x" * 0x010203)[:4], b"\x00\x01\x02\x03")

    def test_decode_header_reads_big_endian(self):
        self.assertEqual(decode_header(b"\x00\x00\x00\x01"), 1)
        self.assertEqual(decode_header(b"\x00\x01\x02\x03"), 0x010203)
        self.assertEqual(decode_header(b"\x00\x10\x00\x00"), MIB)

    def test_the_bound_is_one_byte_to_one_mib(self):
        self.assertEqual(MAX_BODY_SIZE, MIB)
        self.assertEqual(len(encode_frame(b"\x00" * MIB)), MIB + 4)
        for bad in (b"", b"\x00" * (MIB + 1)):
            with self.assertRaises(ProtocolError):
                encode_frame(bad)
        for header in (b"\x00\x00\x00\x00", b"\x00\x10\x00\x01", b"\xff\xff\xff\xff"):
            with self.assertRaises(ProtocolError) as caught:
                decode_header(header)
            self.assertNotIn("\\x", str(caught.exception))
        with self.assertRaises(ProtocolError):
            decode_header(b"\x00\x00\x01")

    def test_write_then_read_round_trips_a_protobuf_message(self):
        left, right = socket_pair()
        with left, right:
            request = pb.Request(request_id=7)
            request.get.name = "app/token"
            write_frame(left, request.SerializeToString())
            decoded = pb.Request()
            decoded.ParseFromString(bytes(read_frame(right)))
            self.assertEqual(decoded, request)

    def test_short_reads_are_reassembled(self):
        left, right = socket_pair()
        frame = encode_frame(bytes(range(256)) * 300)

        def trickle():
            for i in range(0, len(frame), 997):
                left.sendall(frame[i:i + 997])
            left.close()

        sender = threading.Thread(target=trickle)
        sender.start()
        with right:
            self.assertEqual(bytes(read_frame(right)), bytes(range(256)) * 300)
        sender.join()

    def test_an_oversize_header_is_refused_before_the_body_is_read(self):
        left, right = socket_pair()
        with left, right:
            left.sendall(struct.pack(">I", MIB + 1) + b"body")
            with self.assertRaises(ProtocolError):
                read_frame(right)
            self.assertEqual(recv_exactly(right, 4), bytearray(b"body"))

    def test_a_truncated_frame_is_unavailable(self):
        left, right = socket_pair()
        with right:
            left.sendall(b"\x00\x00\x00\x10abc")
            left.close()
            with self.assertRaises(Unavailable) as caught:
                read_frame(right)
            self.assertIn("middle of a frame", str(caught.exception))


class ConversationTests(unittest.TestCase):
    def test_hello_then_get_over_the_wire(self):
        value = b"\x00\xffbinary\nvalue"

        def script(conn):
            hello = answer_hello(conn)
            get = read_request(conn)
            response = pb.Response(request_id=get.request_id)
            response.get.name = get.get.name
            response.get.environment = get.get.environment
            response.get.version = 3
            response.get.value = value
            send_response(conn, response)
            return hello, get

        with FakeAgent(script) as fake:
            with Client(fake.path, timeout=10) as client:
                self.assertEqual(client.agent_version, "0.1.0-fake")
                self.assertFalse(client.locked)
                secret = client.get("app/token", environment="staging", version=3)
            hello, get = fake.join()
        self.assertEqual(hello.WhichOneof("op"), "hello")
        self.assertEqual(hello.hello.protocol_version, 1)
        self.assertEqual(hello.hello.client, "secrets-agent-python/0.1")
        self.assertEqual(get.WhichOneof("op"), "get")
        self.assertGreater(get.request_id, hello.request_id)
        self.assertEqual((get.get.name, get.get.environment, get.get.version, get.get.masked),
                         ("app/token", "staging", 3, False))
        self.assertEqual(secret.value, value)
        self.assertEqual((secret.name, secret.environment, secret.version), ("app/token", "staging", 3))
        self.assertEqual(repr(secret), "[REDACTED]")
        self.assertEqual(str(secret), "[REDACTED]")
        self.assertEqual(f"{secret} {secret!r} {[secret]}", "[REDACTED] [REDACTED] [[REDACTED]]")

    def test_a_mismatched_request_id_closes_the_connection(self):
        def script(conn):
            answer_hello(conn)
            get = read_request(conn)
            response = pb.Response(request_id=get.request_id + 41)
            response.get.value = b"someone-else's-value"
            send_response(conn, response)
            return peer_closed(conn)

        with FakeAgent(script) as fake:
            client = Client(fake.path, timeout=10)
            with self.assertRaises(ProtocolError) as caught:
                client.get("app/token")
            self.assertIn("request id", str(caught.exception))
            self.assertNotIn("someone-else", str(caught.exception))
            self.assertTrue(client.closed)
            with self.assertRaises(Unavailable):
                client.get("app/token")
            self.assertTrue(fake.join(), "the client closed its end")

    def test_an_error_for_another_request_id_is_a_protocol_error(self):
        def script(conn):
            answer_hello(conn)
            get = read_request(conn)
            response = pb.Response(request_id=get.request_id + 1)
            response.error.code = pb.NOT_FOUND
            response.error.message = "app/token not found in development"
            send_response(conn, response)
            return peer_closed(conn)

        with FakeAgent(script) as fake:
            client = Client(fake.path, timeout=10)
            with self.assertRaises(ProtocolError):
                client.get("app/token")
            self.assertTrue(fake.join())

    def test_an_oversize_reply_is_refused_and_closes_the_connection(self):
        def script(conn):
            answer_hello(conn)
            read_request(conn)
            send_raw(conn, struct.pack(">I", MIB + 1))
            return peer_closed(conn)

        with FakeAgent(script) as fake:
            client = Client(fake.path, timeout=10)
            with self.assertRaises(ProtocolError) as caught:
                client.list()
            self.assertIn("1 MiB", str(caught.exception))
            self.assertTrue(client.closed)
            self.assertTrue(fake.join())

    def test_a_reply_of_exactly_one_mib_is_accepted(self):
        def script(conn):
            answer_hello(conn)
            request = read_request(conn)
            response = pb.Response(request_id=request.request_id)
            response.get.name = "big"
            response.get.version = 1
            overhead = len(response.SerializeToString()) + 6  # field 4 tag + 4-byte varint length
            response.get.value = b"v" * (MIB - overhead)
            body = response.SerializeToString()
            assert len(body) == MIB, len(body)
            send_response(conn, response)

        with FakeAgent(script) as fake:
            with Client(fake.path, timeout=10) as client:
                self.assertGreater(len(client.get("big")), MIB - 64)
            fake.join()

    def test_an_undecodable_reply_is_a_protocol_error(self):
        def script(conn):
            answer_hello(conn)
            read_request(conn)
            send_raw(conn, b"\x00\x00\x00\x03\xff\xff\xff")
            return peer_closed(conn)

        with FakeAgent(script) as fake:
            client = Client(fake.path, timeout=10)
            with self.assertRaises(ProtocolError):
                client.get("app/token")
            self.assertTrue(fake.join())

    def test_a_reply_of_the_wrong_kind_is_a_protocol_error(self):
        def script(conn):
            answer_hello(conn)
            request = read_request(conn)
            response = pb.Response(request_id=request.request_id)
            response.list.SetInParent()
            send_response(conn, response)
            return peer_closed(conn)

        with FakeAgent(script) as fake:
            client = Client(fake.path, timeout=10)
            with self.assertRaises(ProtocolError):
                client.get("app/token")
            self.assertTrue(fake.join())

    def test_agent_errors_map_to_exceptions_and_keep_the_connection(self):
        def script(conn):
            answer_hello(conn, locked=True)
            for code, message in ((pb.NOT_FOUND, "app/token not found in development"),
                                  (pb.LOCKED, "agent is locked (run: secrets-agent unlock)")):
                request = read_request(conn)
                response = pb.Response(request_id=request.request_id)
                response.error.code = code
                response.error.message = message
                send_response(conn, response)

        with FakeAgent(script) as fake:
            with Client(fake.path, timeout=10) as client:
                self.assertTrue(client.locked)
                with self.assertRaises(NotFound) as caught:
                    client.get("app/token")
                self.assertEqual(str(caught.exception), "app/token not found in development")
                with self.assertRaises(Locked):
                    client.list()
                self.assertFalse(client.closed)
            fake.join()

    def test_an_error_with_request_id_zero_closes_the_connection(self):
        def script(conn):
            answer_hello(conn)
            read_request(conn)
            response = pb.Response(request_id=0)
            response.error.code = pb.INVALID_ARGUMENT
            response.error.message = "frame is not a valid protobuf message"
            send_response(conn, response)
            return peer_closed(conn)

        with FakeAgent(script) as fake:
            client = Client(fake.path, timeout=10)
            with self.assertRaises(Exception) as caught:
                client.get("app/token")
            self.assertEqual(type(caught.exception).__name__, "InvalidArgument")
            self.assertTrue(client.closed)
            self.assertTrue(fake.join())

    def test_a_refused_hello_raises_and_closes(self):
        def script(conn):
            request = read_request(conn)
            response = pb.Response(request_id=request.request_id)
            response.error.code = pb.PERMISSION_DENIED
            response.error.message = "uid 1234 is not allowed"
            send_response(conn, response)
            return peer_closed(conn)

        with FakeAgent(script) as fake:
            with self.assertRaises(PermissionDenied):
                Client(fake.path, timeout=10)
            self.assertTrue(fake.join())

    def test_another_protocol_version_is_refused(self):
        def script(conn):
            answer_hello(conn, protocol_version=2)
            return peer_closed(conn)

        with FakeAgent(script) as fake:
            with self.assertRaises(ProtocolError) as caught:
                Client(fake.path, timeout=10)
            self.assertIn("protocol version 2", str(caught.exception))
            self.assertTrue(fake.join())

    def test_an_agent_that_hangs_up_is_unavailable(self):
        def script(conn):
            answer_hello(conn)
            read_request(conn)

        with FakeAgent(script) as fake:
            client = Client(fake.path, timeout=10)
            with self.assertRaises(Unavailable) as caught:
                client.get("app/token")
            self.assertIn("closed the connection", str(caught.exception))
            fake.join()

    def test_a_silent_agent_times_out_as_unavailable(self):
        def script(conn):
            answer_hello(conn)
            read_request(conn)
            return peer_closed(conn)

        with FakeAgent(script) as fake:
            client = Client(fake.path, timeout=0.2)
            with self.assertRaises(Unavailable) as caught:
                client.get("app/token")
            self.assertIn("did not answer in time", str(caught.exception))
            self.assertTrue(fake.join())


if __name__ == "__main__":
    unittest.main()
