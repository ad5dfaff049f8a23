"""A source flooding the outcome memories with 5,000,000 distinct customers and 2,000,000
distinct closed contacts (handled by teams): past limits.max_customers and
limits.max_closed_contacts the oldest entries are forgotten and counted, exactly; memory stays
under the bound of docs/config.md#limits; and good events keep counting afterwards."""

import os
import subprocess
import unittest

import zmq

from harness import FLOORWATCHD, Daemon, Publisher, now_ms

BENCH = os.environ.get("FLOORWATCH_ZMQ_BENCH", os.path.join(os.path.dirname(FLOORWATCHD), "bench", "floorwatch-zmq-bench"))
SANITIZED = os.environ.get("FLOORWATCH_SANITIZED") == "1"  # ASan's shadow memory makes RSS meaningless
CUSTOMERS = 5_000_000
CLOSED = 2_000_000
MAX_CUSTOMERS = 2_000_000  # the defaults
MAX_CLOSED = 1_000_000
# docs/config.md#limits: 64 MiB for the daemon itself and its receive queue, plus 48 bytes per
# remembered customer and 96 per remembered closed contact at the default limits.
RSS_BOUND = 64 * 2**20 + 48 * MAX_CUSTOMERS + 96 * MAX_CLOSED
EVENTS = 100 + 2 * (CUSTOMERS - CLOSED) + 4 * CLOSED  # what the publisher sends (its docstring)

CONFIG = """
http: {listen: "127.0.0.1:0"}
inputs: [{endpoint: "tcp://127.0.0.1:*", socket: pull, mode: bind}]
"""  # default limits and outcomes: 2,000,000 customers, 1,000,000 closed contacts, 24h, 7d


def survey(contact, **fields):
    return {"type": "contact.survey", "ts": now_ms(), "contact": contact, **fields}


@unittest.skipUnless(os.path.exists(BENCH), "floorwatch-zmq-bench not built")
class OutcomeFlood(unittest.TestCase):
    def test_oldest_forgotten_and_counted_memory_bounded_good_events_keep_counting(self):
        daemon = Daemon(CONFIG)
        try:
            subprocess.run([BENCH, "outcomes", daemon.inputs[0], str(CUSTOMERS), str(CLOSED)],
                           check=True, capture_output=True, timeout=300)
            m = daemon.wait_received(EVENTS, timeout=300)
            self.assertEqual(m.get("floorwatch_events_applied_total"), EVENTS)
            # Each customer and each closed contact was new once; what no longer fits was
            # forgotten, oldest first, and counted.
            self.assertEqual(m.get("floorwatch_outcomes_forgotten_total", kind="customer"),
                             CUSTOMERS - MAX_CUSTOMERS)
            self.assertEqual(m.get("floorwatch_outcomes_forgotten_total", kind="closed_contact"),
                             CLOSED - MAX_CLOSED)
            rss = m.get("process_resident_memory_bytes")
            print(f"\nRSS after the outcome flood: {rss / 2**20:.0f} MiB (bound {RSS_BOUND / 2**20:.0f} MiB)")
            if not SANITIZED:
                self.assertLess(rss, RSS_BOUND)

            pub = Publisher(zmq.PUSH, connect=daemon.inputs[0])
            # The last contact let go is remembered: its survey counts at its queue and team.
            last = CLOSED - 1
            pub.send(survey(f"c-{last:09d}", csat=5))
            # One of the first let go in the second part was forgotten: nothing to attribute.
            pub.send(survey("c-000005000", csat=5))
            # The newest customer comes back: a repeat. The first one was forgotten: not one.
            pub.send({"type": "contact.queued", "ts": now_ms(), "contact": "back-1", "queue": "queue-0001",
                      "customer": f"cust-{CUSTOMERS - 1}"})
            pub.send({"type": "contact.queued", "ts": now_ms(), "contact": "back-2", "queue": "queue-0002",
                      "customer": "cust-0"})
            pub.close()
            m = daemon.wait_received(EVENTS + 4)
            self.assertEqual(m.get("floorwatch_queue_surveys_total", queue=f"queue-{last % 200:04d}", channel="voice"), 1)
            self.assertEqual(m.get("floorwatch_team_window_contacts", team=f"team-{last % 100 % 10:02d}", window="15m",
                                   outcome="surveyed"), 1)
            self.assertEqual(m.get("floorwatch_events_rejected_total", reason="unknown_contact"), 1)
            self.assertEqual(m.get("floorwatch_queue_repeat_contacts_total", queue="queue-0001", channel="voice"), 1)
            self.assertEqual(m.total("floorwatch_queue_repeat_contacts_total"), 1)
            self.assertEqual(m.get("floorwatch_events_applied_total"), EVENTS + 3)
            self.assertEqual(daemon.get("/healthz")[0], 200)
        finally:
            self.assertEqual(daemon.stop(), 0)


if __name__ == "__main__":
    unittest.main()
