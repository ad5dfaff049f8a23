"""Bad input as PROTOCOL.md says: never a crash, a stall or lost state; exact counts by reason."""

import os
import random
import unittest

from harness import DaemonTestCase, now_ms

CONFIG = """
http: {listen: "127.0.0.1:0"}
inputs:
  - {endpoint: "tcp://127.0.0.1:*", socket: pull, mode: bind}
limits: {max_event_bytes: 4096, max_contacts: 50, max_queues: 10, max_agents: 20}
"""


class BadInput(DaemonTestCase):
    CONFIG = CONFIG

    def test_each_bad_event_is_counted_under_its_reason_and_state_survives(self):
        t = now_ms()
        self.pub.send({"type": "contact.queued", "ts": t, "contact": "keep", "queue": "q"})
        bad = {
            "parse": [b"not json", b"{", b'{"type":"contact.queued",}', b"\xff\xfe\x00garbage",
                      b'{"type":"contact.ended","ts":1,"contact":"c"} {}'],
            "schema": [b"[]", b"42", b'{"ts":1}', b'{"type":"contact.queued","ts":1,"contact":"c"}',
                       b'{"type":"contact.queued","ts":"noon","contact":"c","queue":"q"}',
                       b'{"type":"agent.state","ts":1,"agent":"a","state":"asleep"}'],
            "unknown_type": [b'{"type":"contact.teleported","ts":1}', b'{"type":"","ts":1}'],
            "too_large": [b'{"type":"contact.queued","ts":1,"contact":"c","queue":"q","pad":"' + b"x" * 5000 + b'"}'],
            "unknown_contact": [b'{"type":"contact.answered","ts":1,"contact":"nobody","agent":"a"}',
                                b'{"type":"contact.wrapped","ts":1,"contact":"nobody"}'],
        }
        for payloads in bad.values():
            for p in payloads:
                self.pub.send(p)
        self.pub.sock.send_multipart([b"a", b"b", b"c"])  # three frames
        sent = 1 + sum(len(v) for v in bad.values()) + 1
        self.pub.send({"type": "contact.queued", "ts": t, "contact": "after", "queue": "q"})
        m = self.daemon.wait_received(sent + 1)
        for reason, payloads in bad.items():
            self.assertEqual(m.get("floorwatch_events_rejected_total", reason=reason), len(payloads), reason)
        self.assertEqual(m.get("floorwatch_events_rejected_total", reason="frames"), 1)
        self.assertEqual(m.get("floorwatch_events_applied_total"), 2)
        self.assertEqual(m.get("floorwatch_queue_waiting_contacts", queue="q", channel="voice"), 2)
        self.assertIn("event rejected reason=parse", self.daemon.read_log())
        self.assertEqual(self.daemon.get("/healthz")[0], 200)

    def test_random_garbage_never_stops_the_daemon(self):
        rng = random.Random(1234)
        templates = [b'{"type":"contact.queued","ts":1,"contact":"c%d","queue":"q"}',
                     b'{"type":"agent.login","ts":1,"agent":"a%d","queues":["q"]}']
        n = 3000
        for i in range(n):
            kind = rng.randrange(4)
            if kind == 0:
                payload = os.urandom(rng.randrange(1, 300))
            elif kind == 1:  # a valid event with random bytes flipped
                b = bytearray(templates[i % 2] % i)
                for _ in range(rng.randrange(1, 4)):
                    b[rng.randrange(len(b))] = rng.randrange(256)
                payload = bytes(b)
            elif kind == 2:  # deep nesting
                depth = rng.randrange(100, 5000)
                payload = b'{"type":"contact.queued","x":' + b"[" * depth + b"]" * depth + b"}"
            else:
                payload = templates[i % 2] % i
            self.pub.send(payload)
        m = self.daemon.wait_received(n, timeout=30)
        rejected = m.total("floorwatch_events_rejected_total")
        ignored = m.total("floorwatch_events_ignored_total")
        self.assertEqual(m.get("floorwatch_events_applied_total") + m.get("floorwatch_events_duplicate_total")
                         + rejected + ignored, n)
        # Limits held under the flood of new ids.
        self.assertLessEqual(m.total("floorwatch_contacts"), 50)
        self.assertLessEqual(m.total("floorwatch_agents"), 20)
        self.assertGreater(m.get("floorwatch_events_rejected_total", reason="limit"), 0)
        # Still serving, still applying.
        self.pub.send({"type": "agent.logout", "ts": 1, "agent": "a1"})
        self.daemon.wait_received(n + 1)
        self.assertEqual(self.daemon.get("/healthz")[0], 200)

    def test_rejected_lines_in_the_log_are_rate_limited(self):
        for _ in range(2000):
            self.pub.send(b"garbage")
        self.daemon.wait_received(2000)
        lines = [l for l in self.daemon.read_log().splitlines() if "event rejected" in l]
        self.assertGreater(len(lines), 0)
        self.assertLess(len(lines), 100)


if __name__ == "__main__":
    unittest.main()
