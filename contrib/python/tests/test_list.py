"""Paged listings against the scripted fake agent: the client asks again with the reply's
cursor until the cursor is empty, keeps going past an empty page, and refuses a cursor
that does not move."""

from __future__ import annotations

import unittest

# fake_agent first: it puts the working tree's package first on sys.path.
from fake_agent import FakeAgent, answer_hello, peer_closed, read_request, send_response

from secrets_agent_client import Client, ProtocolError, agent_pb2 as pb


def list_reply(request: pb.Request, secrets, cursor=("", "")) -> pb.Response:
    """A ListReply to `request` holding `secrets` ((environment, name) pairs) and `cursor`."""
    response = pb.Response(request_id=request.request_id)
    for environment, name in secrets:
        response.list.secrets.add(name=name, environment=environment, current_version=1, version_count=1)
    response.list.next_after_environment, response.list.next_after_name = cursor
    response.list.SetInParent()
    return response


def cursor_of(request: pb.Request):
    return request.list.after_environment, request.list.after_name


class ListPagingTests(unittest.TestCase):
    def test_pages_are_asked_for_with_the_cursor_and_concatenated(self):
        def script(conn):
            answer_hello(conn)
            first = read_request(conn)
            send_response(conn, list_reply(first, [("development", "app/a"), ("development", "app/b")],
                                           cursor=("development", "app/b")))
            second = read_request(conn)
            send_response(conn, list_reply(second, [("production", "app/a")]))
            return first, second

        with FakeAgent(script) as fake:
            with Client(fake.path, timeout=10) as client:
                infos = client.list(prefix="app/")
                self.assertFalse(client.closed)
            first, second = fake.join()
        self.assertEqual([(info.environment, info.name) for info in infos],
                         [("development", "app/a"), ("development", "app/b"), ("production", "app/a")])
        self.assertEqual(cursor_of(first), ("", ""))
        self.assertEqual(cursor_of(second), ("development", "app/b"))
        self.assertEqual((second.list.environment, second.list.prefix), ("", "app/"))
        self.assertGreater(second.request_id, first.request_id)

    def test_an_empty_page_with_a_cursor_is_not_the_end(self):
        def script(conn):
            answer_hello(conn)
            first = read_request(conn)
            send_response(conn, list_reply(first, [], cursor=("development", "hidden/z")))
            second = read_request(conn)
            send_response(conn, list_reply(second, [("production", "app/a")]))
            return cursor_of(second)

        with FakeAgent(script) as fake:
            with Client(fake.path, timeout=10) as client:
                infos = client.list()
            self.assertEqual(fake.join(), ("development", "hidden/z"))
        self.assertEqual([(info.environment, info.name) for info in infos], [("production", "app/a")])

    def test_a_cursor_that_does_not_move_is_a_protocol_error(self):
        def script(conn):
            answer_hello(conn)
            first = read_request(conn)
            send_response(conn, list_reply(first, [("development", "app/a")], cursor=("development", "app/a")))
            second = read_request(conn)
            send_response(conn, list_reply(second, [], cursor=cursor_of(second)))
            return cursor_of(second), peer_closed(conn)

        with FakeAgent(script) as fake:
            client = Client(fake.path, timeout=10)
            with self.assertRaises(ProtocolError) as caught:
                client.list()
            message = str(caught.exception)
            self.assertIn("did not move past app/a", message)
            self.assertIn("to the same version", message)
            self.assertTrue(client.closed)
            sent, closed = fake.join()
        self.assertEqual(sent, ("development", "app/a"))
        self.assertTrue(closed, "the client closed its end instead of asking again")


if __name__ == "__main__":
    unittest.main()
