"""A source flooding 2,000,000 distinct contact, queue and agent ids: the limits hold
(rejected as "limit"), memory stays under a documented bound, and good events keep flowing."""

import os
import subprocess
import unittest

import zmq

from harness import FLOORWATCHD, Daemon, Publisher, now_ms

BENCH = os.environ.get("FLOORWATCH_ZMQ_BENCH", os.path.join(os.path.dirname(FLOORWATCHD), "bench", "floorwatch-zmq-bench"))
SANITIZED = os.environ.get("FLOORWATCH_SANITIZED") == "1"  # ASan's shadow memory makes RSS meaningless
N = 2_000_000
RSS_BOUND = 512 * 1024 * 1024  # docs/config.md#limits: default limits hold the daemon under 512 MiB

CONFIG = """
http: {listen: "127.0.0.1:0"}
inputs: [{endpoint: "tcp://127.0.0.1:*", socket: pull, mode: bind}]
"""  # default limits: 2,000 queues, 100,000 agents, 1,000,000 contacts


@unittest.skipUnless(os.path.exists(BENCH), "floorwatch-zmq-bench not built")
class Flood(unittest.TestCase):
    def test_limits_hold_memory_is_bounded_and_good_events_keep_flowing(self):
        daemon = Daemon(CONFIG)
        try:
            subprocess.run([BENCH, "flood", daemon.inputs[0], str(N)], check=True, capture_output=True, timeout=600)
            m = daemon.wait_received(3 * N, timeout=600)
            self.assertEqual(m.total("floorwatch_contacts"), 1_000_000)
            self.assertEqual(m.total("floorwatch_agents"), 100_000)
            self.assertEqual(len(m.series("floorwatch_queue_info")), 2_000)
            # Every event beyond a limit is counted as "limit", nothing else is lost.
            limited = 3 * N - m.get("floorwatch_events_applied_total")
            self.assertEqual(m.get("floorwatch_events_rejected_total", reason="limit"), limited)
            self.assertGreater(limited, 3_000_000)
            rss = m.get("process_resident_memory_bytes")
            print(f"\nRSS after the flood: {rss / 2**20:.0f} MiB (bound {RSS_BOUND / 2**20:.0f} MiB)")
            if not SANITIZED:
                self.assertLess(rss, RSS_BOUND)
            # Good events still apply: an abandon frees a slot, and a new contact takes it.
            pub = Publisher(zmq.PUSH, connect=daemon.inputs[0])
            pub.send({"type": "contact.abandoned", "ts": now_ms(), "contact": "c-000000007"})
            pub.send({"type": "contact.queued", "ts": now_ms(), "contact": "fresh", "queue": "queue-0007"})
            pub.close()
            before = m.get("floorwatch_events_applied_total")
            m = daemon.wait_received(3 * N + 2)
            self.assertEqual(m.get("floorwatch_events_applied_total"), before + 2)
            self.assertEqual(daemon.get("/healthz")[0], 200)
        finally:
            self.assertEqual(daemon.stop(), 0)


if __name__ == "__main__":
    unittest.main()
