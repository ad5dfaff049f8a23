"""The HTTP surface's bounds: a slow-loris client is cut off while others are served, an
oversized request is refused, and connections beyond the cap are closed at once."""

import socket
import time
import unittest

from harness import DaemonTestCase

CONFIG = """
http: {listen: "127.0.0.1:0"}
inputs: []
"""


class HttpLimits(DaemonTestCase):
    CONFIG = CONFIG

    def connect(self):
        return socket.create_connection(("127.0.0.1", self.daemon.port), timeout=15)

    def test_a_slow_loris_client_is_cut_off_and_others_are_served_meanwhile(self):
        slow = self.connect()
        slow.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
        start = time.time()
        closed_after = None
        while time.time() - start < 14:
            try:
                slow.sendall(b"X-Drip: 1\r\n")  # one header line a second, never the end
            except OSError:
                closed_after = time.time() - start
                break
            self.assertEqual(self.daemon.get("/healthz")[0], 200)  # others are served
            slow.settimeout(1)
            try:
                if slow.recv(1) == b"":
                    closed_after = time.time() - start
                    break
            except socket.timeout:
                pass
        slow.close()
        self.assertIsNotNone(closed_after, "the slow client was never cut off")
        self.assertLess(closed_after, 12)  # the 10 s request timeout, plus scheduling slack

    def test_an_oversized_request_header_is_refused(self):
        s = self.connect()
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n")
        reply = s.recv(4096)
        s.close()
        self.assertTrue(reply == b"" or reply.startswith(b"HTTP/1.1 413"), reply[:100])
        self.assertEqual(self.daemon.get("/healthz")[0], 200)

    def test_connections_beyond_the_cap_are_closed_at_once(self):
        held = [self.connect() for _ in range(300)]
        time.sleep(0.5)
        refused = 0
        for s in held:
            s.settimeout(0.2)
            try:
                if s.recv(1) == b"":
                    refused += 1
            except (socket.timeout, ConnectionResetError):
                pass
        self.assertGreaterEqual(refused, 300 - 256)
        for s in held:
            s.close()
        time.sleep(0.3)
        self.assertEqual(self.daemon.get("/healthz")[0], 200)


if __name__ == "__main__":
    unittest.main()
