"""/metrics as a user's scraper sees it when the body is streamed in slices (tens of MB at a
large centre): whole and well-formed, the same on every scrape, events applied between
slices, and clients that hang up mid-body leave nothing behind (no descriptor, no session)."""

import os
import socket
import struct
import threading
import time
import unittest

from harness import DaemonTestCase, now_ms, promtool_check, wait_until

QUEUES = 1000  # x 3 channels: a body of ~13 MB, several slices of the core thread's 2 MB

CONFIG = """
http: {listen: "127.0.0.1:0"}
inputs:
  - {endpoint: "tcp://127.0.0.1:*", socket: pull, mode: bind}
limits: {max_queues: 2000}
"""


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


class MetricsStream(DaemonTestCase):
    CONFIG = CONFIG

    def setUp(self):
        super().setUp()
        t = now_ms()
        for q in range(QUEUES):
            for ch in ("voice", "chat", "email"):
                self.pub.send({"type": "contact.queued", "ts": t, "contact": f"c-{q}-{ch}",
                               "queue": f"q-{q:04d}", "channel": ch})
        self.daemon.wait_received(QUEUES * 3, timeout=30)

    def tearDown(self):
        if self.daemon.proc.poll() is None:
            return super().tearDown()
        self.pub.close()  # the test stopped the daemon itself

    def raw_get(self, path="/metrics"):
        s = socket.create_connection(("127.0.0.1", self.daemon.port), timeout=20)
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        return s

    def test_a_streamed_body_is_chunked_whole_and_passes_promtool(self):
        s = self.raw_get()
        raw = bytearray()
        while chunk := s.recv(1 << 20):
            raw += chunk
        s.close()
        head, _, _ = bytes(raw).partition(b"\r\n\r\n")
        self.assertIn(b"transfer-encoding: chunked", head.lower())
        status, text = self.daemon.get("/metrics")  # urllib de-chunks
        self.assertEqual(status, 200)
        self.assertGreater(len(text), 8 * 2**20, "too small to need several slices")
        code, out = promtool_check(text)
        self.assertEqual(code, 0, out[:2000])
        # Every queue/channel is in the body, and the last families came last.
        waiting = [l for l in text.splitlines() if l.startswith("floorwatch_queue_waiting_contacts{")]
        self.assertEqual(len(waiting), QUEUES * 3)
        self.assertIn("floorwatch_queue_info{", text[-len(text) // 4:])

    def test_events_are_applied_while_scrapes_are_streamed(self):
        stop = threading.Event()
        scrapes = []

        def scrape_loop():
            while not stop.is_set():
                scrapes.append(self.daemon.get("/metrics")[0])

        scraper = threading.Thread(target=scrape_loop)
        scraper.start()
        try:
            before = self.daemon.metrics().get("floorwatch_events_applied_total")
            t = now_ms()
            for i in range(20000):
                self.pub.send({"type": "contact.queued", "ts": t, "contact": f"late-{i}",
                               "queue": f"q-{i % QUEUES:04d}", "channel": "voice"})
            self.daemon.wait_for(lambda m: m.get("floorwatch_events_applied_total") >= before + 20000,
                                 timeout=30, what="events applied during scrapes")
        finally:
            stop.set()
            scraper.join()
        self.assertTrue(scrapes and all(code == 200 for code in scrapes), scrapes)
        m = self.daemon.metrics()
        self.assertEqual(m.get("floorwatch_queue_waiting_contacts", queue="q-0007", channel="voice"),
                         1 + len(range(7, 20000, QUEUES)))

    def test_clients_hanging_up_mid_body_leave_no_descriptor_behind(self):
        self.daemon.get("/metrics")
        baseline = open_fds(self.daemon.proc.pid)
        for i in range(40):
            s = self.raw_get()
            s.recv(65536)  # the header and the first bytes, then gone
            if i % 2:  # half of them with a reset instead of a close
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()
        wait_until(lambda: open_fds(self.daemon.proc.pid) <= baseline, 15,
                   f"descriptors back to {baseline} after hung-up scrapes")
        status, text = self.daemon.get("/metrics")
        self.assertEqual(status, 200)
        self.assertEqual(sum(1 for l in text.splitlines() if l.startswith("floorwatch_queue_waiting_contacts{")),
                         QUEUES * 3)

    def test_the_daemon_stops_cleanly_with_a_scrape_in_flight(self):
        s = self.raw_get()
        s.recv(65536)  # a slow client: the body is still being streamed when SIGTERM comes
        code = self.daemon.stop()
        s.close()
        self.assertEqual(code, 0)


if __name__ == "__main__":
    unittest.main()
